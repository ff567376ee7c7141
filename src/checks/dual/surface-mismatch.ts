import { isDeepStrictEqual } from 'node:util';
import type { ListKind, Session } from '../../session/session.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding, type SubjectKind } from '../types.js';

const meta: CheckMeta = {
  id: 'dual.surface-mismatch',
  title: 'Both eras of a dual-era server offer the same surface',
  severity: 'warning',
  since: '2026-07-28',
  description:
    "For a server that speaks both eras, compares what its legacy face (initialize) and its modern face (server/discover) advertise: the tools with their descriptions and input and output schemas, the prompts with their arguments, the resources and the resource templates, and which of tools, prompts, resources and completions each face declares. A capability's flags (listChanged, subscribe) that differ are a notice: the two eras deliver change notifications differently.",
  why: 'Which face a client meets depends on its SDK, not on the user: a tool missing from one era, or with another schema there, works for some users and fails for others, and the gate checks the surface in detail on the modern face only.',
  fix: "Register the tools, prompts and resources once and serve both eras from that one definition (the v2 SDKs do by default); look for era-specific code paths or wrappers that filter or rewrite one era's lists.",
  specUrl: specUrl('2026-07-28', 'basic/versioning'),
};

/** The capabilities whose presence decides what a client may ask; logging, tasks and extensions differ by era by design. */
const COMPARED_CAPABILITIES = ['tools', 'prompts', 'resources', 'completions'] as const;

interface Kind {
  list: ListKind;
  subject?: SubjectKind;
  label: string;
  key: (item: Record<string, unknown>) => string;
  /** The fields a client acts on; `_meta` and era-specific additions are left out. */
  fields: readonly string[];
}

const KINDS: readonly Kind[] = [
  { list: 'tools', subject: 'tool', label: 'tool', key: (i) => String(i.name), fields: ['description', 'inputSchema', 'outputSchema'] },
  { list: 'prompts', subject: 'prompt', label: 'prompt', key: (i) => String(i.name), fields: ['description', 'arguments'] },
  { list: 'resources', subject: 'resource', label: 'resource', key: (i) => String(i.uri), fields: ['name', 'mimeType'] },
  { list: 'resourceTemplates', label: 'resource template', key: (i) => String(i.uriTemplate), fields: ['name', 'mimeType'] },
];

function faceName(era: 'legacy' | 'modern', face: Session): string {
  return era === 'legacy' ? `the legacy face (initialize, ${face.protocolVersion})` : `the modern face (${face.protocolVersion})`;
}

function compareCapabilities(legacy: Session, modern: Session): Finding[] {
  const findings: Finding[] = [];
  for (const name of COMPARED_CAPABILITIES) {
    const [old, now] = [legacy.capabilities[name], modern.capabilities[name]];
    if ((old === undefined) !== (now === undefined)) {
      const [has, lacks] = old === undefined ? ['modern', 'legacy'] : ['legacy', 'modern'];
      findings.push(
        finding(meta, `The ${name} capability is declared on the ${has} face only: clients of the ${lacks} era are told the server has no ${name}.`),
      );
    } else if (old !== undefined && !isDeepStrictEqual(old, now)) {
      // Python mcp 2.3 declares listChanged: false on its legacy face and true on its modern one: the modern
      // era announces changes through subscriptions/listen. The same items are offered either way.
      findings.push(
        finding(
          meta,
          `The ${name} capability's flags differ between the eras: legacy ${JSON.stringify(old)}, modern ${JSON.stringify(now)}. Clients of one era may not hear of changes the other era's clients hear of.`,
          {
            severity: 'notice',
            fingerprintKey: `capability ${name}`,
          },
        ),
      );
    }
  }
  return findings;
}

/** A value as quoted in a message: a schema can be long, and the point is only that the two differ. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'absent';
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

const SHOWN_CHARS = 300;

async function itemsOf(face: Session, kind: Kind): Promise<Map<string, Record<string, unknown>> | undefined> {
  const listing = await face.list(kind.list);
  // A failed or cut listing is another check's finding; comparing what is left would invent differences.
  if (listing.error || listing.truncated || listing.stoppedBy) return undefined;
  return new Map((listing.items as Record<string, unknown>[]).map((item) => [kind.key(item), item]));
}

async function compareKind(legacy: Session, modern: Session, kind: Kind): Promise<Finding[]> {
  const capability = kind.list === 'tools' ? 'tools' : kind.list === 'prompts' ? 'prompts' : 'resources';
  if (!legacy.advertises(capability) || !modern.advertises(capability)) return [];
  const [old, now] = await Promise.all([itemsOf(legacy, kind), itemsOf(modern, kind)]);
  if (!old || !now) return [];
  const findings: Finding[] = [];
  const subject = (name: string) => (kind.subject ? { subject: { kind: kind.subject, name } } : {});
  for (const [name, item] of old) {
    const other = now.get(name);
    if (!other) {
      findings.push(
        finding(
          meta,
          `The ${kind.label} "${name}" is listed by ${faceName('legacy', legacy)} but not by ${faceName('modern', modern)}: 2026-07-28 clients cannot use it.`,
          subject(name),
        ),
      );
      continue;
    }
    const differing = kind.fields.filter((field) => !isDeepStrictEqual(item[field], other[field]));
    if (differing.length) {
      const detail = differing.map((field) => `${field}: legacy ${shown(item[field])}, modern ${shown(other[field])}`).join('\n');
      findings.push(finding(meta, `The ${kind.label} "${name}" differs between the eras in ${differing.join(', ')}.\n${detail}`, subject(name)));
    }
  }
  for (const name of now.keys()) {
    if (!old.has(name))
      findings.push(
        finding(
          meta,
          `The ${kind.label} "${name}" is listed by ${faceName('modern', modern)} but not by ${faceName('legacy', legacy)}: legacy clients cannot use it.`,
          subject(name),
        ),
      );
  }
  return findings;
}

export const surfaceMismatch: Check = {
  meta,
  stage: 'session',
  appliesTo: (context) => Boolean(context.faces?.legacy && context.faces.modern),
  async run(context) {
    const { legacy, modern } = context.faces ?? {};
    if (!legacy || !modern) return [];
    const perKind = await Promise.all(KINDS.map((kind) => compareKind(legacy, modern, kind)));
    return [...compareCapabilities(legacy, modern), ...perKind.flat()];
  },
};
