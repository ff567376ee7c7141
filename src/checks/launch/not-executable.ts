import { stderrBlock } from '../support/evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'launch.not-executable',
  title: 'The server command is executable',
  severity: 'error',
  description: 'Recognises a server command that exists but cannot be executed (shell exit code 126, or EACCES).',
  why: 'Nothing runs, so every MCP client reports only "Connection closed".',
  cause:
    'A script committed without its run bit (created on Windows, or copied by a tool that drops file modes), or a command that names a directory or a file that is not a program.',
  fix: 'Set the run bit (`chmod +x file`, and commit it with `git update-index --chmod=+x file`), check the shebang line (e.g. `#!/usr/bin/env node`), or run the file through its interpreter (`node file.js`).',
};

/** bash: "line 1: ./server.sh: Permission denied". */
const DENIED_LINE = /([^\s:]+): Permission denied/;

export const notExecutable: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.server !== undefined,
  run(context) {
    const exit = context.serverExit?.info;
    if (!exit || (exit.code !== 126 && exit.spawnError?.code !== 'EACCES')) return [];
    const stderr = context.server?.stderrTail(50) ?? [];
    const file = stderr.map((line) => DENIED_LINE.exec(line)?.[1]).find(Boolean) ?? context.server?.options.commandLine;
    return [finding(meta, `"${file}" could not be executed (exit code 126: permission denied).${stderrBlock(context)}`)];
  },
};
