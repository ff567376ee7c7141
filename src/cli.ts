import os from 'node:os';
import { EXIT, main } from './command-line.js';
import { supervisor } from './target/process.js';
import { TOOL_NAME } from './version.js';

// Ends every started process before the CLI goes away, whatever ends it; the exit code is the shell's 128 + signal.
supervisor.endRunOnSignals(
  () => undefined,
  (signal) => 128 + os.constants.signals[signal],
);
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`${TOOL_NAME}: unexpected error: ${(error as Error).stack ?? error}`);
    void supervisor.stopAll(1000).finally(() => process.exit(EXIT.usage));
  },
);
