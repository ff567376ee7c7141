import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { noAnswer } from './no-answer.js';

/** What the usual codes mean for the person who wrote the handler. */
const MEANINGS: Record<number, string> = {
  [ProtocolErrorCode.MethodNotFound]: 'the server has no handler for this method',
  [ProtocolErrorCode.InvalidParams]: 'the server rejected the parameters',
  [ProtocolErrorCode.InternalError]: "an exception in the server's handler; its log has the stack trace",
  [ProtocolErrorCode.ResourceNotFound]: 'the server says the resource does not exist',
};

const MAX_ISSUES = 5;

/**
 * A failed MCP request as a finding quotes it: a missing answer with the deadline, the server's own
 * error with what its code means, or the fields of a result the SDK's schema rejected.
 */
export function describeRequestError(error: unknown, timeoutMs: number): string {
  const missing = noAnswer(error, timeoutMs);
  if (missing) return missing;
  if (error instanceof ProtocolError) {
    const meaning = MEANINGS[error.code];
    return meaning ? `${quoteError(error)} (${meaning})` : quoteError(error);
  }
  const problems = schemaIssues(error);
  if (problems) return `clients built on the MCP SDK reject the result: ${problems}`;
  return error instanceof Error ? error.message : String(error);
}

/** An error as users' clients print it: the server's code before its own message, or the client's words. */
export function quoteError(error: unknown): string {
  if (error instanceof ProtocolError) return `MCP error ${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A result the SDK's schema rejects arrives as a zod error whose message is a JSON dump; this names each
 * path instead ("prompts[1].name: Invalid input: expected string, received undefined").
 */
export function schemaIssues(error: unknown): string | undefined {
  // The v2 client checks some results itself (a 2026-07-28 result without resultType) and says so in words.
  if (error instanceof SdkError && error.code === SdkErrorCode.InvalidResult) return error.message.replace(/^Invalid result for [^:]+: /, '');
  const issues = (error as { issues?: { path?: PropertyKey[]; message?: string }[] } | undefined)?.issues;
  if (!Array.isArray(issues) || !issues.length) return undefined;
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => `${formatPath(issue.path ?? [])}: ${issue.message ?? 'invalid'}`);
  return `${shown.join('; ')}${issues.length > shown.length ? `; and ${issues.length - shown.length} more` : ''}`;
}

function formatPath(path: PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('') || '(the result)';
}
