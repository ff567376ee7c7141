import { finding, specUrl, type CheckMeta, type Finding } from '../types.js';
import { toolsCheck } from '../support/listed-tools.js';

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

function nameProblem(name: string): string {
  if (name.length === 0) return 'is empty';
  const others = [...new Set(name.replace(/[A-Za-z0-9_.-]/g, ''))];
  if (others.length) return `has characters other than letters, digits, "_", "-" and ".": ${others.map((c) => JSON.stringify(c)).join(' ')}`;
  return `is ${name.length} characters long (at most 128)`;
}

export const toolName = toolsCheck(meta, (tools) => {
  const counts = new Map<string, number>();
  for (const { name } of tools) counts.set(name, (counts.get(name) ?? 0) + 1);
  const findings: Finding[] = [];
  for (const [name, count] of counts) {
    const subject = { kind: 'tool' as const, name };
    if (count > 1) {
      findings.push(
        finding(meta, `The tool name "${name}" is listed ${count} times; clients keep only one of them, so the others cannot be called.`, {
          severity: 'error',
          subject,
        }),
      );
    }
    if (!VALID_NAME.test(name)) {
      findings.push(
        finding(meta, `The tool name ${JSON.stringify(name)} ${nameProblem(name)}; model APIs and clients may reject or rename the tool.`, { subject }),
      );
    }
  }
  return findings;
});
