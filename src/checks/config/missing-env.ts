import { crashLog, explainExit, stderrBlock } from '../support/evidence.js';
import { findMissingConfig, listed } from '../support/missing-config.js';
import { clientOf, describeEntry, entryLocation, entryOf } from '../support/server-config.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'config.missing-env',
  title: 'The client configuration sets the variables the server needs',
  severity: 'error',
  description:
    "Reads the stderr of a server from a client configuration that exited before it was connected, for environment variables it says are missing, and reports those the entry's `env` does not set.",
  cause:
    'The server reads a key or setting from the environment, and the entry\'s "env" object does not set it: it was exported in the author\'s shell, or set in CI, and never written into the client configuration.',
  why: 'Desktop clients do not read your shell profile: a key exported in a terminal, or set in the CI step, never reaches the server a user\'s client starts, which exits with only "Connection closed" in the client.',
  fix: 'Add the variable to the entry\'s "env" object, e.g. "env": {"API_KEY": "…"}; in a committed file, use the client\'s placeholder (`${API_KEY}` for Claude Code, `${input:api-key}` or `${env:API_KEY}` for VS Code) rather than the secret itself.',
};

export const missingEnv: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => entryOf(context)?.transport === 'stdio' && context.server !== undefined,
  run(context) {
    const entry = entryOf(context);
    const exit = context.serverExit;
    // A server that answered initialize had what it needed to start; a later exit is launch.exited's.
    if (!entry || !exit || exit.phase === 'after initialize') return [];
    const missing = findMissingConfig(crashLog(context));
    const unset = missing?.variables.filter((name) => !(name in entry.env)) ?? [];
    if (!missing || !unset.length) return [];
    const names = listed(unset);
    const quoted = missing.lines.map((line) => `  ${line}`).join('\n');
    const example = JSON.stringify(Object.fromEntries(unset.map((name) => [name, '…'])));
    return [
      finding(
        meta,
        `The server ${describeEntry(entry)} ${explainExit(exit.info)} ${exit.phase}, and its stderr says it is missing ${unset.length > 1 ? 'the environment variables' : 'the environment variable'} ${names}, which the entry's "env" does not set:\n${quoted}${stderrBlock(context)}`,
        {
          location: entryLocation(entry, 'env'),
          hint: `Add ${names} to the entry's "env" in ${entry.source.file}: "env": ${example}, so that ${clientOf(entry).label} passes it however it was started; a variable exported in one terminal, or set in the CI step, reaches no other user's client.`,
        },
      ),
    ];
  },
};
