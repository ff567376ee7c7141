// The one event-stream reader (eventsource-parser underneath): what it reads, and where it stops.
import { readEvents } from '../../src/util/http/sse.js';

const encoder = new TextEncoder();

/** A body that sends `chunks` one by one, then ends, or (with `stall`) stays open and silent. */
function streamOf(chunks: string[], { stall = false } = {}): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(encoder.encode(chunks[next++]));
      else if (!stall) controller.close();
      else return new Promise(() => undefined);
    },
  });
}

const bounds = (overrides: Partial<{ maxChars: number; maxBytes: number; deadline: number }> = {}) => ({
  maxChars: 64 * 1024,
  maxBytes: 1024 * 1024,
  deadline: performance.now() + 5000,
  ...overrides,
});

describe('readEvents', () => {
  it('puts together an event split across chunks, mid-field and mid-line', async () => {
    const read = await readEvents(streamOf(['eve', 'nt: endpo', 'int\nda', 'ta: /message?sessionId=1', '\n', '\n']), bounds());
    expect(read.events).toEqual([{ event: 'endpoint', data: '/message?sessionId=1', id: undefined }]);
    expect(read.stop).toBe('enough');
  });

  it('joins multi-line data with newlines, as the SSE specification says', async () => {
    const read = await readEvents(streamOf(['event: message\r\ndata: {"jsonrpc":"2.0",\r\ndata: "id":1}\r\n\r\n']), bounds());
    expect(read.events.map((e) => e.data)).toEqual(['{"jsonrpc":"2.0",\n"id":1}']);
    expect(JSON.parse(read.events[0].data)).toEqual({ jsonrpc: '2.0', id: 1 });
  });

  it('skips comments and keep-alives before the first event, and keeps the raw text for quoting', async () => {
    const read = await readEvents(streamOf([': keep-alive\n\n', ':\n\n', 'data: first\n\n', 'data: second\n\n']), bounds());
    expect(read.events.map((e) => e.data)).toEqual(['first']);
    expect(read.text).toBe(': keep-alive\n\n:\n\ndata: first\n\n');
  });

  it('reads on until the event asked for', async () => {
    const read = await readEvents(streamOf(['data: a\n\n', 'event: endpoint\ndata: /m\n\n', 'data: c\n\n']), bounds(), (e) => e.event === 'endpoint');
    expect(read.events.map((e) => e.data)).toEqual(['a', '/m']);
  });

  it('stops at the byte cap on a stream that never ends an event', async () => {
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(encoder.encode(`data: ${'x'.repeat(1000)}\n`)),
    });
    const read = await readEvents(endless, bounds({ maxBytes: 10_000 }));
    expect(read).toMatchObject({ stop: 'cap', events: [] });
    expect(read.text.length).toBeLessThanOrEqual(10_000);
  });

  it('stops at the deadline on a silent stream, keeping what came before', async () => {
    const started = performance.now();
    const read = await readEvents(streamOf([': hello\n\n'], { stall: true }), bounds({ deadline: performance.now() + 200 }));
    expect(read).toMatchObject({ stop: 'deadline', events: [], text: ': hello\n\n' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('dispatches nothing for an event cut off by the end of the stream', async () => {
    const read = await readEvents(streamOf(['data: {"jsonrpc":"2.0"']), bounds());
    expect(read).toMatchObject({ stop: 'end', events: [] });
  });

  it('finds no event in an answer that is not an event stream', async () => {
    const read = await readEvents(streamOf(['{"jsonrpc":"2.0","id":1,"result":{}}']), bounds());
    expect(read).toMatchObject({ stop: 'end', events: [], text: '{"jsonrpc":"2.0","id":1,"result":{}}' });
  });
});
