import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'tools.name',
  title: 'Tool names are well-formed and unique',
  severity: 'warning',
  since: '2025-11-25',
  description: 'Expects 1–128 characters of `[A-Za-z0-9_.-]` per tool name, and no name twice across all pages.',
  why: 'Clients prefix, filter and route by tool name; model APIs reject other characters, and a duplicate name makes one tool unreachable.',
  fix: 'Rename the tool to letters, digits, `_`, `-` and `.`, at most 128 characters, unique within the server.',
  specUrl: specUrl('2025-11-25', 'server/tools#tool-names'),
};

const VALID_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export const toolName: Check = {
  meta,
  stage: 'session',
  appliesTo: ({ session }) => session?.advertises('tools') ?? false,
  async run({ session }) {
    if (!session) return [];
    const { items } = await session.list('tools');
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const { name } of items) {
      const subject = { kind: 'tool' as const, name };
      if (seen.has(name)) {
        findings.push(finding(meta, `The tool name "${name}" is listed more than once; clients keep only one of them.`, { severity: 'error', subject }));
      }
      seen.add(name);
      if (!VALID_NAME.test(name)) {
        const why = name.length === 0 ? 'is empty' : name.length > 128 ? `is ${name.length} characters long` : 'has characters other than A-Z a-z 0-9 _ - .';
        findings.push(finding(meta, `The tool name ${JSON.stringify(name)} ${why}.`, { subject }));
      }
    }
    return findings;
  },
};
