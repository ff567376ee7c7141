import path from 'node:path';
import { crashLog, explainExit, stderrBlock } from '../support/evidence.js';
import { findMissingConfig, listed, type MissingConfig } from '../support/missing-config.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'launch.missing-config',
  title: 'The server has the configuration it needs',
  severity: 'error',
  description:
    'Reads the stderr of a server that exited before it was connected, for a missing environment variable, command-line argument or configuration file.',
  why: "A server that needs a secret, an argument or a file works on the author's machine and dies in CI and in users' clients, where they are not set.",
  cause:
    "An environment variable, argument or file the server reads at start-up is set on the author's machine (a shell profile, a .env file that is not committed) but not in the workflow step.",
  fix: "Set the variable in the step's `env:` (from `secrets.*` when it is a credential), add the argument to the command, or create the file in an earlier step. Document it in the server's README so users set it in their client configuration too.",
};

export const missingConfig: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.server !== undefined,
  run(context) {
    const exit = context.serverExit;
    // A server that answered initialize had what it needed to start; a later exit is launch.exited's.
    if (!exit || exit.phase === 'after initialize') return [];
    const missing = findMissingConfig(crashLog(context));
    if (!missing) return [];
    const cwd = context.server?.options.cwd ?? context.settings.workingDirectory;
    const quoted = missing.lines.map((line) => `  ${line}`).join('\n');
    return [
      finding(
        meta,
        `The server ${explainExit(exit.info)} ${exit.phase}, and its stderr says it is missing ${describe(missing)}:\n${quoted}${stderrBlock(context)}`,
        {
          hint: fixesFor(missing, cwd).join(' '),
        },
      ),
    ];
  },
};

function describe({ variables, argument, files }: MissingConfig): string {
  const parts = [
    variables.length === 1 && `the environment variable ${variables[0]}`,
    variables.length > 1 && `the environment variables ${listed(variables)}`,
    argument && 'a command-line argument',
    ...files.map((file) => (file ? `the file ${file}` : 'a configuration file (the line does not say which)')),
  ];
  return listed(parts.filter((part): part is string => typeof part === 'string'));
}

function fixesFor({ variables, argument, files }: MissingConfig, cwd: string): string[] {
  const fixes: string[] = [];
  if (variables.length) {
    const snippets = variables.map((name) => `\`${name}: \${{ secrets.${name} }}\``).join(', ');
    fixes.push(`Set ${listed(variables)} in the step's env: (${snippets}), from secrets.* for a credential or vars.* otherwise.`);
  }
  if (argument) {
    const usage = argument.usage ? `, as its usage line shows: \`${argument.usage}\`` : ', as the line above asks';
    fixes.push(`Add the argument the server needs to its command${usage}.`);
  }
  for (const file of files) {
    fixes.push(
      file
        ? `Create ${file} in an earlier step (or commit it), or point the server at it; the server ran in ${cwd}, so it looked for ${path.resolve(cwd, file)}.`
        : `Create the configuration file the server expects in an earlier step; the server ran in ${cwd}.`,
    );
  }
  return fixes;
}
