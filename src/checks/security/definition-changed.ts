import { PromptSchema, ResourceSchema, ResourceTemplateSchema, ToolSchema } from '@modelcontextprotocol/core';
import { LIST_METHODS, type ListKind, type Session } from '../../session/session.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding, type Subject, type SubjectKind } from '../types.js';
import { isIgnored } from '../support/security/ignore.js';
import { findPoisoning } from '../support/security/poisoning-rules.js';
import { mapInTurns } from '../../util/turns.js';
import { appendTexts, type SurfaceText } from '../support/security/text.js';

const meta: CheckMeta = {
  id: 'security.definition-changed',
  title: 'Tools, prompts and resources keep their definitions during a run',
  severity: 'error',
  description:
    'Lists tools again at the end of the run, and prompts and resources too when the server said they changed (`notifications/…/list_changed`), and compares each item with the first listing by name (a list already past the `limits` is read again only after list_changed). A changed definition is a warning; one whose new text breaks a security.tool-poisoning rule, or a new item that does, is an error.',
  why: 'Clients ask the user to approve a tool once, by its description, and then use whatever the server lists later: a server that swaps in new instructions after approval (a rug pull) turns an approved tool against its user, and a review of the first listing never sees it.',
  fix: "Keep each tool's name, description and schemas stable while clients are connected; give a changed tool a new name, so clients ask again. Never add instructions for the model to a definition.",
  specUrl: specUrl('2025-11-25', 'server/tools#list-changed-notification'),
};

/** The lists a client reads again, and the subject kind of their items. */
const KINDS: Record<'tools' | 'prompts' | 'resources', { lists: ListKind[]; subject: SubjectKind }> = {
  tools: { lists: ['tools'], subject: 'tool' },
  prompts: { lists: ['prompts'], subject: 'prompt' },
  resources: { lists: ['resources', 'resourceTemplates'], subject: 'resource' },
};

type Named = { name: string } & Record<string, unknown>;

/** The item as JSON with its keys sorted: a server may send the same definition with its keys reordered. */
function fingerprint(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${fingerprint((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

function byName(items: unknown[]): Map<string, Named> {
  const named = new Map<string, Named>();
  for (const item of items) if (typeof (item as Named).name === 'string' && !named.has((item as Named).name)) named.set((item as Named).name, item as Named);
  return named;
}

/**
 * Whether two items are the same JSON, keys in any order, compared in place: most items of a re-read are
 * unchanged, and building their fingerprints (an 8 MB description twice over) only to find them equal
 * was most of the memory the re-read cost. Nesting is already cut to limits.maxDepth where messages arrive.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, index) => sameJson(item, (b as unknown[])[index]));
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}

function changedFields(before: Named, after: Named): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((key) => fingerprint(before[key]) !== fingerprint(after[key]));
}

/**
 * The SDK's schema per list, applied to one re-read item at a time: the first read went through it
 * (which drops unknown keys), and a whole second validated copy of a long list would double the memory.
 */
const ITEM_SCHEMAS: Record<ListKind, { safeParse(item: unknown): { success: boolean; data?: unknown } }> = {
  tools: ToolSchema,
  prompts: PromptSchema,
  resources: ResourceSchema,
  resourceTemplates: ResourceTemplateSchema,
};

function asValidated(kind: ListKind, item: Named): Named {
  const parsed = ITEM_SCHEMAS[kind].safeParse(item);
  return parsed.success ? (parsed.data as Named) : item;
}

/** The poisoning evidence in an item's new texts, one line each. */
async function poisoningIn(kind: ListKind, item: Named): Promise<string[]> {
  const texts: SurfaceText[] = [];
  appendTexts(texts, kind, [item]);
  const lines = await mapInTurns(
    texts.filter((t) => t.kind !== 'uri' && typeof t.text === 'string' && t.text !== ''),
    ({ text, field }) =>
      findPoisoning(text)
        .filter((m) => m.severity === 'error')
        .map((m) => `  - ${field} [${m.rule}]: ${m.evidence}`),
  );
  return lines;
}

interface Comparison {
  kind: ListKind;
  subject: SubjectKind;
  when: string;
  /** The server said the list changed. */
  notified: boolean;
}

async function compare(session: Session, { kind, subject, when, notified }: Comparison, ignore: Parameters<typeof isIgnored>[0]): Promise<Finding[]> {
  const first = await session.list(kind);
  if (first.error) return [];
  // A list already past the gate's limits is an error of security.unbounded-answer; reading it again
  // unprompted would parse once more what the gate refused to keep.
  if (!notified && (first.truncated || session.exchange.truncatedLists.has(LIST_METHODS[kind].field))) return [];
  const again = await session.listLater(kind);
  if (again.error) return [];
  const before = byName(first.items);
  const findings: Finding[] = [];
  for (const [name, raw] of byName(again.items)) {
    const target: Subject = { kind: subject, name };
    const previous = before.get(name);
    // The first read's item is the schema's output, which the schema gives back unchanged: an item sent
    // again as it was needs no copy of its own to be found unchanged.
    if (previous && sameJson(previous, raw)) continue;
    const after = asValidated(kind, raw);
    const fields = previous && !sameJson(previous, after) ? changedFields(previous, after) : [];
    if (previous && !fields.length) continue;
    const poisoning = await poisoningIn(kind, after);
    if (!previous && !poisoning.length) continue;
    if (isIgnored(ignore, meta.id, target, previous ? 'changed' : 'added')) continue;
    const what = previous ? `${subject} "${name}" changed its definition ${when} (${fields.join(', ')})` : `${subject} "${name}" appeared ${when}`;
    const message = poisoning.length
      ? [`${what}, and its new text carries hidden instructions to the model:`, ...poisoning].join('\n')
      : `${what[0].toUpperCase()}${what.slice(1)}. Clients that approved the first definition now use this one without asking again.`;
    findings.push(finding(meta, poisoning.length ? `The ${message}` : message, { severity: poisoning.length ? 'error' : 'warning', subject: target }));
  }
  return findings;
}

/**
 * Late, so it runs after the session checks that call tools: a server that changes its tools after the
 * first listing (or after the first call) has done so by then.
 */
export const definitionChanged: Check = {
  meta,
  stage: 'session',
  ignorableRules: ['changed', 'added'],
  runs: 'late',
  appliesTo: ({ session }) => session?.advertises('tools') === true || (session?.exchange.listChanged.size ?? 0) > 0,
  async run({ session, settings }) {
    if (!session) return [];
    const findings: Finding[] = [];
    for (const [name, { lists, subject }] of Object.entries(KINDS) as [keyof typeof KINDS, (typeof KINDS)[keyof typeof KINDS]][]) {
      const notified = session.exchange.listChanged.has(name);
      if (!session.advertises(name) || (name !== 'tools' && !notified)) continue;
      const when = notified ? `after the server sent notifications/${name}/list_changed` : `between two reads of ${name}/list`;
      for (const kind of lists) findings.push(...(await compare(session, { kind, subject, when, notified }, settings.config.ignore)));
    }
    return findings;
  },
};
