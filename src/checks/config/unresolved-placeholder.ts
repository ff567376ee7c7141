import { describeEntry, entryLocation, entryOf, hasEntry } from '../support/server-config.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'config.unresolved-placeholder',
  title: 'Every placeholder in the client configuration resolves',
  severity: 'warning',
  description:
    'Resolves the placeholders of the entry as its client does (`${VAR}` and `${VAR:-default}` for Claude Code; `${env:NAME}`, `${input:id}`, `${workspaceFolder}` and `envFile` for VS Code and Cursor; `${env:NAME}` and `${file:path}` for Windsurf) and reports those that do not.',
  why: 'An unresolved placeholder reaches the server as literal text or as nothing: a key that reads "${input:api-key}" fails authentication, and Claude Code refuses a file with an unset variable that has no default.',
  fix: "Set the variable in the step's env: (from secrets.* for a credential); for VS Code's `${input:id}`, set MCP_PREFLIGHT_INPUT_<ID> (the id upper-cased, other characters as _); or give a default.",
};

export const unresolvedPlaceholder: Check = {
  meta,
  stage: 'probe',
  appliesTo: hasEntry,
  run(context) {
    const entry = entryOf(context);
    if (!entry) return [];
    return entry.unresolved.map((missing) => {
      const topKey = missing.key.split(/[.[]/)[0];
      return finding(
        meta,
        `The server ${describeEntry(entry, topKey)} has ${missing.placeholder} in ${missing.key}, which the gate could not resolve: ${missing.reason}`,
        {
          location: entryLocation(entry, topKey),
        },
      );
    });
  },
};
