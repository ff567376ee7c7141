import { ManagedProcess, type ExitInfo } from './process.js';
import type { Masker } from '../util/masker.js';
import { withinDeadline } from '../util/time.js';

export interface CommandOutcome {
  commandLine: string;
  exit?: ExitInfo;
  timedOut: boolean;
  durationMs: number;
  /** Masked last lines of stdout and stderr together, for findings. */
  outputTail: string[];
  /** The last http(s) URL printed, for deploy commands. */
  lastUrl?: string;
}

const URL_PATTERN = /https?:\/\/[^\s"'<>`)\]]+/g;

/** The last http(s) URL in the output: deploy tools print progress links before the final address. */
export function findLastUrl(lines: string[]): string | undefined {
  let last: string | undefined;
  for (const line of lines) {
    for (const match of line.matchAll(URL_PATTERN)) last = match[0].replace(/[.,;:]+$/, '');
  }
  return last;
}

/** Runs a command that is expected to finish (deploy, teardown), bounded by `timeoutMs`. */
export async function runToCompletion(
  role: string,
  commandLine: string,
  cwd: string,
  timeoutMs: number,
  masker: Masker,
): Promise<CommandOutcome> {
  const child = new ManagedProcess({ role, commandLine, cwd, masker });
  child.stdin?.end();
  const exit = await withinDeadline(child.exited, timeoutMs);
  // Even a command that finished may have left background children in its group.
  await child.stop();
  const stdout = child.stdoutTail(200);
  const stderr = child.stderrTail(200);
  return {
    commandLine,
    exit,
    timedOut: exit === undefined,
    durationMs: Math.round(performance.now() - child.startedAt),
    outputTail: [...stdout, ...stderr].slice(-40),
    lastUrl: findLastUrl(stdout) ?? findLastUrl(stderr),
  };
}
