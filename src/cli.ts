import os from 'node:os';
import { EXIT, main } from './command-line.js';
import { supervisor } from './target/process.js';
import { TOOL_NAME } from './version.js';

// Ends every started process before the CLI goes away, whatever ends it; the exit code is the shell's 128 + signal.
supervisor.endRunOnSignals(
  () => undefined,
  (signal) => 128 + os.constants.signals[signal],
);

/** One line with the message: the bundle is minified, so its stack trace would only bury it. */
function failUnexpectedly(error: unknown): void {
  console.error(`${TOOL_NAME}: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  void supervisor.stopAll(1000).finally(() => process.exit(EXIT.usage));
}

process.on('unhandledRejection', failUnexpectedly);
process.on('uncaughtException', failUnexpectedly);
// After a signal the run ends early (its server is gone); the signal handler exits, with the signal's code,
// once every process is ended.
main(process.argv.slice(2)).then((code) => {
  if (!supervisor.endingOnSignal) process.exit(code);
}, failUnexpectedly);
