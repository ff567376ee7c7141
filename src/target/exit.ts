import type { ExitInfo } from './process.js';

/** What an exit usually means, for a person who has never looked up signal numbers. */
export function explainExit(exit: ExitInfo): string {
  if (exit.spawnError) return `could not be started (${exit.spawnError.code ?? exit.spawnError.message})`;
  if (exit.signal === 'SIGKILL' || exit.code === 137) return `was killed (${exit.signal ?? 'exit 137'}), often by the out-of-memory killer`;
  if (exit.signal === 'SIGTERM' || exit.code === 143) return `was terminated (${exit.signal ?? 'exit 143'}) by something other than the gate`;
  if (exit.signal) return `was ended by signal ${exit.signal}`;
  if (exit.code === 0) return 'exited normally with code 0, which is unexpected for a server that should keep running';
  if (exit.code === 1) return 'exited with code 1, an application error (usually an uncaught exception or a failed start-up check)';
  return `exited with code ${exit.code}`;
}
