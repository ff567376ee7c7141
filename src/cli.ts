import { EXIT, main } from './command-line.js';
import { supervisor } from './target/process.js';
import { TOOL_NAME } from './version.js';

/** Ends every started process before the CLI goes away, whatever ends it. */
function exitOnSignal(signal: NodeJS.Signals, code: number): void {
  process.once(signal, () => {
    void supervisor.stopAll(1000).finally(() => process.exit(code));
  });
}

/** One line with the message: the bundle is minified, so its stack trace would only bury it. */
function failUnexpectedly(error: unknown): void {
  console.error(`${TOOL_NAME}: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  void supervisor.stopAll(1000).finally(() => process.exit(EXIT.usage));
}

exitOnSignal('SIGINT', 130);
exitOnSignal('SIGTERM', 143);
process.on('unhandledRejection', failUnexpectedly);
process.on('uncaughtException', failUnexpectedly);
main(process.argv.slice(2)).then((code) => process.exit(code), failUnexpectedly);
