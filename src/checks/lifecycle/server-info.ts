import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.server-info',
  title: 'serverInfo identifies the server',
  severity: 'warning',
  since: '2024-11-05',
  description:
    'Expects a non-empty serverInfo.name and version, and notes the optional fields of the negotiated revision the server leaves out (title from 2025-06-18; description, websiteUrl and icons from 2025-11-25).',
  why: 'Clients show serverInfo to users and in logs; an empty name or version makes a server hard to identify and to support.',
  fix: "Pass a name and version (your package's) when creating the server; add a title and, for 2025-11-25, a description and icons.",
  specUrl: specUrl('2025-11-25', 'basic/lifecycle#initialization'),
};

const OPTIONAL_FIELDS: { field: string; since: string }[] = [
  { field: 'title', since: '2025-06-18' },
  { field: 'description', since: '2025-11-25' },
  { field: 'websiteUrl', since: '2025-11-25' },
  { field: 'icons', since: '2025-11-25' },
];

export const serverInfo: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  run({ session }) {
    if (!session?.initialize) return [];
    const info = session.initialize.serverInfo as Record<string, unknown>;
    const findings: Finding[] = [];
    for (const field of ['name', 'version']) {
      const value = info[field];
      if (typeof value !== 'string' || !value.trim()) {
        findings.push(
          finding(
            meta,
            `serverInfo.${field} is blank (${JSON.stringify(value ?? null)}); clients show it to users and in their logs, where this server cannot be told apart.`,
          ),
        );
      }
    }
    const missing = OPTIONAL_FIELDS.filter(({ field, since }) => session.protocolVersion >= since && info[field] === undefined);
    if (missing.length) {
      findings.push(
        finding(
          meta,
          `serverInfo has no ${missing.map((m) => m.field).join(', ')} (optional in ${session.protocolVersion}, shown by clients that support them).`,
          {
            severity: 'notice',
          },
        ),
      );
    }
    return findings;
  },
};
