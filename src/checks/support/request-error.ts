import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { noAnswer } from './no-answer.js';

/** -32002 is MCP's own code, not in the SDK's enum. */
const RESOURCE_NOT_FOUND = -32002;

/** What the usual codes mean for the person who wrote the handler. */
const MEANINGS: Record<number, string> = {
  [ErrorCode.MethodNotFound]: 'the server has no handler for this method',
  [ErrorCode.InvalidParams]: 'the server rejected the parameters',
  [ErrorCode.InternalError]: "an exception in the server's handler; its log has the stack trace",
  [RESOURCE_NOT_FOUND]: 'the server says the resource does not exist',
};

const MAX_ISSUES = 5;

/**
 * A failed MCP request as a finding quotes it: a missing answer with the deadline, the server's own
 * error with what its code means, or the fields of a result the SDK's schema rejected.
 */
export function describeRequestError(error: unknown, timeoutMs: number): string {
  const missing = noAnswer(error, timeoutMs);
  if (missing) return missing;
  if (error instanceof McpError) {
    const meaning = MEANINGS[error.code];
    return meaning ? `${error.message} (${meaning})` : error.message;
  }
  const problems = schemaIssues(error);
  if (problems) return `clients built on the MCP SDK reject the result: ${problems}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A result the SDK's schema rejects arrives as a zod error whose message is a JSON dump; this names each
 * path instead ("prompts[1].name: Invalid input: expected string, received undefined").
 */
export function schemaIssues(error: unknown): string | undefined {
  const issues = (error as { issues?: { path?: PropertyKey[]; message?: string }[] } | undefined)?.issues;
  if (!Array.isArray(issues) || !issues.length) return undefined;
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => `${formatPath(issue.path ?? [])}: ${issue.message ?? 'invalid'}`);
  return `${shown.join('; ')}${issues.length > shown.length ? `; and ${issues.length - shown.length} more` : ''}`;
}

function formatPath(path: PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('') || '(the result)';
}
