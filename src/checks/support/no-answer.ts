import { isConnectionClosed, isNotConnected, isTimeout } from './evidence.js';

/**
 * How a bounded request went unanswered, as words for a finding ("no answer within 2000 ms"), or
 * undefined when the server did answer, with a result or a JSON-RPC error. The difference matters: an
 * error is the server saying no, a missing answer is a client left hanging.
 */
export function noAnswer(error: unknown, timeoutMs: number): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (isTimeout(error)) return `no answer within ${timeoutMs} ms`;
  // The SDK client says "Not connected" for requests sent after the connection went away.
  if (isConnectionClosed(error) || isNotConnected(error)) return 'the connection closed before an answer came';
  return undefined;
}
