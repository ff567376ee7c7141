import { EXIT, main } from './command-line.js';
import { supervisor } from './target/process.js';
import { TOOL_NAME } from './version.js';

/** Ends every started process before the CLI goes away, whatever ends it. */
function exitOnSignal(signal: NodeJS.Signals, code: number): void {
  process.once(signal, () => {
    void supervisor.stopAll(1000).finally(() => process.exit(code));
  });
}

exitOnSignal('SIGINT', 130);
exitOnSignal('SIGTERM', 143);
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`${TOOL_NAME}: unexpected error: ${(error as Error).stack ?? error}`);
    void supervisor.stopAll(1000).finally(() => process.exit(EXIT.usage));
  },
);
