import { clientOf, entryOf, hasEntry } from '../support/server-config.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'config.invalid-json',
  title: 'The client configuration is JSON the client can read',
  severity: 'error',
  description:
    'Parses the client configuration (servers-config) as its client does: strict JSON for Claude Desktop, Claude Code and Windsurf, JSONC (comments, trailing commas) for VS Code and Cursor.',
  why: 'A client that cannot parse its configuration starts none of the servers in it, and often says only that no server is configured, or nothing at all.',
  fix: 'Fix the JSON at the line and column given: remove comments and trailing commas for clients that read strict JSON, quote property names, and write each backslash of a Windows path as \\\\.',
};

/** Problems listed in one finding; the first few are enough to find the place, and each fix may move the rest. */
const SHOWN = 5;

export const invalidJson: Check = {
  meta,
  stage: 'probe',
  appliesTo: hasEntry,
  run(context) {
    const entry = entryOf(context);
    if (!entry) return [];
    const client = clientOf(entry);
    const problems = entry.source.syntax.filter((problem) => !problem.jsoncOnly || !client.acceptsJsonc);
    if (!problems.length) return [];
    const { file } = entry.source;
    const lines = problems.slice(0, SHOWN).map((p) => `  ${file}:${p.line}:${p.column}: ${p.message}`);
    if (problems.length > SHOWN) lines.push(`  … and ${problems.length - SHOWN} more`);
    const onlyJsonc = problems.every((problem) => problem.jsoncOnly);
    const consequence = onlyJsonc
      ? `${client.label} reads this file as strict JSON, which allows no comments and no trailing commas, so it starts none of its servers.`
      : `${client.label} cannot parse this file, so it starts none of its servers; the gate read what it could around the error.`;
    return [
      finding(meta, `${file} is not valid ${client.acceptsJsonc ? 'JSONC' : 'JSON'}:\n${lines.join('\n')}\n${consequence}`, {
        location: { file, startLine: problems[0].line },
      }),
    ];
  },
};
