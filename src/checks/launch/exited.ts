import { crashOf, explainExit, stderrTailBlock } from '../support/evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'launch.exited',
  title: 'The server process stays up',
  severity: 'error',
  description: 'Watches the started server process and reports when it ends before the gate is done with it.',
  why: 'An MCP client that loses its server reports only "MCP error -32000: Connection closed"; the exit code and stderr say why.',
  cause:
    'An exception at start-up (a port already in use, a missing module, a database or API that cannot be reached, a bug), or a command that runs once and exits instead of serving.',
  fix: 'Run the command locally and read its stderr; the exception quoted first (the last line of a Python traceback) or the last lines usually name the cause (a port in use, a missing module, a bug at start-up).',
};

export const exited: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.server !== undefined,
  run(context) {
    const exit = context.serverExit;
    if (!exit) return [];
    // The exception on the first line: it is the line that fails the job and heads the annotation.
    const crash = crashOf(context);
    if (!crash) return [finding(meta, `The server ${explainExit(exit.info)} ${exit.phase}.${stderrTailBlock(context)}`)];
    const [exception, ...continued] = crash.exception;
    const more = continued.length ? `\n${continued.map((line) => `  ${line}`).join('\n')}` : '';
    return [finding(meta, `The server ${explainExit(exit.info)} ${exit.phase}. It raised ${exception}${more}${stderrTailBlock(context)}`)];
  },
};
