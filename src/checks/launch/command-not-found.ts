import { stderrBlock } from '../support/evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'launch.command-not-found',
  title: 'The server command exists',
  severity: 'error',
  description: 'Recognises a server command whose executable does not exist (shell exit code 127, or ENOENT).',
  why: 'Nothing runs, so every MCP client reports only "Connection closed".',
  cause:
    'The executable is not installed on the runner (no `npm ci` or `pip install` step ran before the gate), its name is misspelled, or a relative path is resolved from another working directory.',
  fix: 'Install the executable in an earlier step (e.g. `npm ci`, `pip install`), check the spelling and the working directory, or give the full path. On Windows, `npx` must be run as `cmd /c npx …`.',
};

/** bash: "line 1: foo: command not found"; dash: "1: foo: not found"; both exit 127. */
const NOT_FOUND_LINE = /(?:^|:\s)([^\s:]+): (?:command )?not found/;

export const commandNotFound: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.server !== undefined,
  run(context) {
    const exit = context.serverExit?.info;
    if (!exit || (exit.code !== 127 && exit.spawnError?.code !== 'ENOENT')) return [];
    const stderr = context.server?.stderrTail(50) ?? [];
    const named = stderr.map((line) => NOT_FOUND_LINE.exec(line)?.[1]).find(Boolean);
    const executable = named ?? context.server?.options.argv?.[0] ?? firstWord(context.server?.options.commandLine ?? '');
    return [
      finding(meta, `The executable "${executable}" was not found (exit code 127).\nPATH searched: ${process.env.PATH ?? '(empty)'}${stderrBlock(context)}`),
    ];
  },
};

function firstWord(commandLine: string): string {
  const words = commandLine.trim().split(/\s+/);
  return words.find((word) => !/^\w+=/.test(word)) ?? commandLine;
}
