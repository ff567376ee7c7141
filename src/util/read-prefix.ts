import { withinDeadline } from './time.js';

const BODY_READ_TIMEOUT_MS = 1000;

/**
 * Reads the start of a body until `enough` says so, at most `maxChars` and `BODY_READ_TIMEOUT_MS`, then
 * cancels the rest: a hostile server may send an endless or stalled body.
 */
export async function readPrefix(body: ReadableStream<Uint8Array> | null, enough: (text: string) => boolean, maxChars: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const deadline = performance.now() + BODY_READ_TIMEOUT_MS;
  let text = '';
  try {
    while (text.length < maxChars && !enough(text)) {
      const chunk = await withinDeadline(reader.read(), deadline - performance.now());
      if (!chunk || chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } catch {
    // A body that breaks off still leaves what was read.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return text;
}
