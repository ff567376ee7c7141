import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { readText, type BodyRead, type ReadBounds } from './body.js';

export type { EventSourceMessage } from 'eventsource-parser';

export interface EventsRead extends BodyRead {
  /** Each event dispatched, as the SSE specification parses it: data lines joined, comments dropped. */
  events: EventSourceMessage[];
}

/**
 * Reads an event stream within `bounds` until `until` accepts an event (by default the first one), then
 * cancels the rest: the raw text read is kept for quoting. A stream that ends mid-event dispatches nothing
 * for it, as the specification says.
 */
export async function readEvents(
  body: ReadableStream<Uint8Array> | null,
  bounds: ReadBounds,
  until: (event: EventSourceMessage) => boolean = () => true,
): Promise<EventsRead> {
  const events: EventSourceMessage[] = [];
  let satisfied = false;
  const parser = createParser({
    onEvent: (event) => {
      events.push(event);
      satisfied ||= until(event);
    },
    maxBufferSize: bounds.maxBytes,
  });
  const read = await readText(body, bounds, (_text, piece) => {
    try {
      parser.feed(piece);
    } catch {
      // The parser stops for good once its buffer passes the cap; so does the read.
      return true;
    }
    return satisfied;
  });
  return { ...read, events };
}
