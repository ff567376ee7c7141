import { clientOf, entryOf, hasEntry } from '../support/server-config.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'config.duplicate-name',
  title: 'Each server name appears once in the client configuration',
  severity: 'warning',
  description: 'Looks for a server name defined more than once in the same client configuration.',
  why: 'JSON keeps the last of duplicate keys: the client silently drops the earlier definition, so edits to it change nothing and the server it describes never runs.',
  fix: 'Keep one definition per name: delete or merge the earlier one, or rename it if both servers are wanted.',
};

export const duplicateName: Check = {
  meta,
  stage: 'probe',
  appliesTo: hasEntry,
  run(context) {
    const entry = entryOf(context);
    if (!entry?.shadowedLines.length) return [];
    const { file } = entry.source;
    const earlier = entry.shadowedLines.map((line) => `${file}:${line}`).join(', ');
    return [
      finding(
        meta,
        `The server "${entry.name}" is defined ${entry.shadowedLines.length + 1} times in ${file}. ${clientOf(entry).label} keeps only the last one (line ${entry.line}), which the gate verified; the definition at ${earlier} is ignored.`,
        { location: { file, startLine: entry.shadowedLines[0] } },
      ),
    ];
  },
};
