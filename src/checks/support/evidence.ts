import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError, SseError, UnauthorizedError } from '@modelcontextprotocol/client';
import { exceptionBlock, findCrash, type Crash } from './crash.js';
import type { CheckContext } from '../types.js';

export { explainExit } from '../../target/exit.js';

/** Helpers that read the recorded evidence the same way in every check. */

export const STDERR_TAIL_LINES = 20;

export function connectFailed(context: CheckContext): boolean {
  return context.connect !== undefined && context.session === undefined;
}

/** The error of the last connection attempt: the one a user would have seen. */
export function connectError(context: CheckContext): Error | undefined {
  return context.connect?.attempts.at(-1)?.error;
}

export function httpStatusOf(error: Error | undefined): number | undefined {
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof SdkHttpError) return error.status;
  if (error instanceof SseError) return error.code;
  const match = /\(HTTP (\d{3})\)/.exec(error?.message ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The JSON-RPC error code the server answered with; undefined for the client's own errors. */
export function mcpErrorCode(error: Error | undefined): number | undefined {
  return error instanceof ProtocolError ? error.code : undefined;
}

export function isTimeout(error: Error | undefined): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;
}

export function isConnectionClosed(error: Error | undefined): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed;
}

export function isNotConnected(error: Error | undefined): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.NotConnected;
}

/** Lines searched for why a server died: a long traceback is still read whole. */
const CRASH_SEARCH_LINES = 200;

/** The end of the server's stderr (masked), where the start-up checks look for why it died. */
export function crashLog(context: CheckContext): string[] {
  return context.server?.stderrTail(CRASH_SEARCH_LINES) ?? [];
}

/** The exception the server died of, when its stderr shows one. */
export function crashOf(context: CheckContext): Crash | undefined {
  return findCrash(crashLog(context));
}

/**
 * The stderr tail, after the exception the server died of when it printed one: a Python traceback names
 * its cause on its last line, below every frame, where a reader skimming from the top never gets.
 */
export function stderrBlock(context: CheckContext, lines = STDERR_TAIL_LINES): string {
  const crash = crashOf(context);
  const raised = crash ? `\nIt raised:\n${exceptionBlock(crash)}` : '';
  return `${raised}${stderrTailBlock(context, lines)}`;
}

/** The stderr tail alone, for a finding that already quoted the exception. */
export function stderrTailBlock(context: CheckContext, lines = STDERR_TAIL_LINES): string {
  const tail = context.server?.stderrTail(lines) ?? [];
  return tail.length ? `\nLast ${tail.length} lines of stderr:\n${tail.map((l) => `  ${l}`).join('\n')}` : '\nIt wrote nothing to stderr.';
}

export function outputBlock(lines: string[]): string {
  return lines.length ? `\nLast ${lines.length} lines of output:\n${lines.map((l) => `  ${l}`).join('\n')}` : '\nIt printed nothing.';
}
