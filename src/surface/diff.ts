/**
 * What changed between a baseline surface snapshot and the live one, classified by what it does to a
 * client built against the baseline. Pure: snapshots in, typed changes out. JSON Schemas are compared
 * as sets of values by json-schema-diff; only `enum` and `const`, which it does not read, are compared here.
 */
import jsonSchemaDiff from 'json-schema-diff';
import { ERAS, canonicalize, compareText, type Era, type EraSurface, type Json, type SnapshotPromptArgument, type SurfaceSnapshot } from './snapshot.js';
import { wordDiff } from './word-diff.js';

export type SurfaceChangeKind =
  | 'tool-removed'
  | 'input-breaking'
  | 'output-breaking'
  | 'prompt-removed'
  | 'prompt-arguments-breaking'
  | 'resource-removed'
  | 'capability-removed'
  | 'era-dropped'
  | 'added'
  | 'compatible-change'
  | 'description-changed';

/** The changes that break a client built against the baseline. */
export const BREAKING_KINDS: readonly SurfaceChangeKind[] = [
  'tool-removed',
  'input-breaking',
  'output-breaking',
  'prompt-removed',
  'prompt-arguments-breaking',
  'resource-removed',
  'capability-removed',
  'era-dropped',
];

export interface SurfaceChange {
  kind: SurfaceChangeKind;
  era: Era;
  /** The tool, prompt or resource the change is about, to point at its definition; absent for the server's own fields. */
  subject?: { kind: 'tool' | 'prompt' | 'resource'; name: string };
  /** The change is the era itself (spoken or no longer): its summary names it already. */
  wholeEra?: boolean;
  /** One line that names what changed and how, e.g. `Tool "add": argument "c" is now required`. */
  summary: string;
  /** The evidence, one line each. */
  details: string[];
}

export interface DiffOptions {
  /** Lists the gate could not read whole: what is missing from them is not reported as removed. */
  incomplete?: { era: Era; list: string }[];
}

/** Evidence quoted from a schema is cut here: the diff of a large schema can be large. */
const MAX_EVIDENCE = 400;

export async function diffSurfaces(baseline: SurfaceSnapshot, live: SurfaceSnapshot, options: DiffOptions = {}): Promise<SurfaceChange[]> {
  const changes: SurfaceChange[] = [];
  for (const era of ERAS) {
    const before = baseline.eras[era];
    const after = live.eras[era];
    if (before && !after) {
      changes.push({
        kind: 'era-dropped',
        era,
        wholeEra: true,
        summary: `The server no longer speaks the ${era} era`,
        details: [`The baseline has a ${era} face (${before.protocolVersion ?? 'revision unknown'}); the live server answered none.`],
      });
    } else if (!before && after) {
      changes.push({
        kind: 'added',
        era,
        wholeEra: true,
        summary: `The server now speaks the ${era} era (${after.protocolVersion ?? 'revision unknown'})`,
        details: [],
      });
    } else if (before && after) {
      const skip = new Set((options.incomplete ?? []).filter((i) => i.era === era).map((i) => i.list));
      changes.push(...diffServer(era, before, after), ...(await diffTools(era, before, after, skip.has('tools'))));
      changes.push(...diffPrompts(era, before, after, skip.has('prompts')), ...diffResources(era, before, after, skip));
    }
  }
  return changes;
}

function diffServer(era: Era, before: EraSurface, after: EraSurface): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const was = before.protocolVersion;
  const now = after.protocolVersion;
  if (was && now && was !== now) {
    changes.push(
      now < was
        ? {
            kind: 'era-dropped',
            era,
            summary: `The server answers ${now} where it answered ${was}`,
            details: [`Clients that speak only ${was} can no longer connect.`],
          }
        : { kind: 'compatible-change', era, summary: `The server answers ${now} where it answered ${was}`, details: [] },
    );
  }
  changes.push(...diffCapabilities(era, before.capabilities, after.capabilities));
  for (const field of ['name', 'title', 'description', 'websiteUrl']) {
    const old = before.serverInfo?.[field];
    const current = after.serverInfo?.[field];
    if (!same(old, current))
      changes.push({ kind: 'compatible-change', era, summary: `serverInfo.${field} changed`, details: [`was ${show(old)}, now ${show(current)}`] });
  }
  if ((before.instructions ?? '') !== (after.instructions ?? '')) {
    changes.push({
      kind: 'description-changed',
      era,
      summary: 'The server instructions changed',
      details: [wordDiff(before.instructions ?? '', after.instructions ?? '')],
    });
  }
  return changes;
}

/** Capabilities as paths to their leaves: `tools.listChanged`, `resources.subscribe`, `logging`. */
function capabilityLeaves(value: unknown, prefix = ''): Map<string, Json> {
  const leaves = new Map<string, Json>();
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [key, item] of Object.entries(value)) {
      for (const [path, leaf] of capabilityLeaves(item, prefix ? `${prefix}.${key}` : key)) leaves.set(path, leaf);
    }
  } else if (prefix) leaves.set(prefix, (value ?? null) as Json);
  return leaves;
}

function diffCapabilities(era: Era, before: object, after: object): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const topAfter = new Set(Object.keys(after ?? {}));
  const topBefore = new Set(Object.keys(before ?? {}));
  const was = capabilityLeaves(before);
  const now = capabilityLeaves(after);
  const on = (value: Json | undefined) => value !== undefined && value !== false && value !== null;
  // `tools: {}` and `tools.listChanged` describe the same capability at two depths.
  const covers = (leaves: Map<string, Json>, path: string) => on(leaves.get(path)) || [...leaves.keys()].some((k) => k.startsWith(`${path}.`));
  for (const top of topBefore) {
    if (!topAfter.has(top)) changes.push({ kind: 'capability-removed', era, summary: `Capability "${top}" is no longer advertised`, details: [] });
  }
  for (const [path, value] of was) {
    if (topAfter.has(path.split('.')[0]) && on(value) && !covers(now, path)) {
      changes.push({
        kind: 'capability-removed',
        era,
        summary: `Capability "${path}" is no longer advertised`,
        details: [`was ${show(value)}, now ${show(now.get(path))}`],
      });
    }
  }
  for (const top of topAfter) if (!topBefore.has(top)) changes.push({ kind: 'added', era, summary: `Capability "${top}" is now advertised`, details: [] });
  for (const [path, value] of now) {
    if (topBefore.has(path.split('.')[0]) && on(value) && !covers(was, path))
      changes.push({ kind: 'added', era, summary: `Capability "${path}" is now advertised`, details: [] });
  }
  return changes;
}

async function diffTools(era: Era, before: EraSurface, after: EraSurface, incomplete: boolean): Promise<SurfaceChange[]> {
  const changes: SurfaceChange[] = [];
  const live = byKey(after.tools, (t) => t.name);
  for (const old of byKey(before.tools, (t) => t.name).values()) {
    const subject = { kind: 'tool' as const, name: old.name };
    const now = live.get(old.name);
    if (!now) {
      if (!incomplete) changes.push({ kind: 'tool-removed', era, subject, summary: `Tool "${old.name}" was removed`, details: [] });
      continue;
    }
    const label = `Tool "${old.name}"`;
    changes.push(...describeText(era, subject, label, old.description, now.description));
    changes.push(...fieldChanges(era, subject, label, old, now, ['title', 'annotations']));
    changes.push(...(await schemaChanges(era, subject, label, 'input', old.inputSchema, now.inputSchema)));
    changes.push(...(await schemaChanges(era, subject, label, 'output', old.outputSchema, now.outputSchema)));
  }
  for (const name of live.keys())
    if (!before.tools.some((t) => t.name === name))
      changes.push({ kind: 'added', era, subject: { kind: 'tool', name }, summary: `Tool "${name}" was added`, details: [] });
  return changes;
}

function diffPrompts(era: Era, before: EraSurface, after: EraSurface, incomplete: boolean): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const live = byKey(after.prompts, (p) => p.name);
  for (const old of byKey(before.prompts, (p) => p.name).values()) {
    const subject = { kind: 'prompt' as const, name: old.name };
    const now = live.get(old.name);
    if (!now) {
      if (!incomplete) changes.push({ kind: 'prompt-removed', era, subject, summary: `Prompt "${old.name}" was removed`, details: [] });
      continue;
    }
    const label = `Prompt "${old.name}"`;
    changes.push(...describeText(era, subject, label, old.description, now.description), ...fieldChanges(era, subject, label, old, now, ['title']));
    changes.push(...diffArguments(era, subject, label, old.arguments ?? [], now.arguments ?? []));
  }
  for (const name of live.keys())
    if (!before.prompts.some((p) => p.name === name))
      changes.push({ kind: 'added', era, subject: { kind: 'prompt', name }, summary: `Prompt "${name}" was added`, details: [] });
  return changes;
}

function diffArguments(
  era: Era,
  subject: SurfaceChange['subject'],
  label: string,
  before: SnapshotPromptArgument[],
  after: SnapshotPromptArgument[],
): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const was = byKey(before, (a) => a.name);
  const now = byKey(after, (a) => a.name);
  for (const [name, old] of was) {
    const current = now.get(name);
    if (!current) changes.push({ kind: 'prompt-arguments-breaking', era, subject, summary: `${label}: argument "${name}" was removed`, details: [] });
    else if (current.required && !old.required)
      changes.push({ kind: 'prompt-arguments-breaking', era, subject, summary: `${label}: argument "${name}" is now required`, details: [] });
    else if (!current.required && old.required)
      changes.push({ kind: 'compatible-change', era, subject, summary: `${label}: argument "${name}" is now optional`, details: [] });
    else if (!same(old, current))
      changes.push({
        kind: 'compatible-change',
        era,
        subject,
        summary: `${label}: argument "${name}" changed its ${changedKeys(old, current).join(', ')}`,
        details: [],
      });
  }
  for (const [name, current] of now) {
    if (was.has(name)) continue;
    if (current.required)
      changes.push({ kind: 'prompt-arguments-breaking', era, subject, summary: `${label}: required argument "${name}" was added`, details: [] });
    else changes.push({ kind: 'compatible-change', era, subject, summary: `${label}: optional argument "${name}" was added`, details: [] });
  }
  return changes;
}

function diffResources(era: Era, before: EraSurface, after: EraSurface, incomplete: Set<string>): SurfaceChange[] {
  type Keyed = { key: string; name: string; title?: string; description?: string; mimeType?: string };
  const lists: { list: string; label: string; items: (s: EraSurface) => Keyed[] }[] = [
    { list: 'resources', label: 'Resource', items: (s: EraSurface) => s.resources.map((r) => ({ ...r, key: r.uri })) },
    { list: 'resourceTemplates', label: 'Resource template', items: (s: EraSurface) => s.resourceTemplates.map((r) => ({ ...r, key: r.uriTemplate })) },
  ];
  const changes: SurfaceChange[] = [];
  for (const { list, label, items } of lists) {
    const live = byKey(items(after), (r) => r.key);
    const old = byKey(items(before), (r) => r.key);
    for (const [key, was] of old) {
      const subject = { kind: 'resource' as const, name: was.name };
      const now = live.get(key);
      const name = `${label} ${key}`;
      if (!now) {
        if (!incomplete.has(list)) changes.push({ kind: 'resource-removed', era, subject, summary: `${name} ("${was.name}") was removed`, details: [] });
        continue;
      }
      changes.push(
        ...describeText(era, subject, name, was.description, now.description),
        ...fieldChanges(era, subject, name, was, now, ['name', 'title', 'mimeType']),
      );
    }
    for (const [key, now] of live)
      if (!old.has(key))
        changes.push({ kind: 'added', era, subject: { kind: 'resource', name: now.name }, summary: `${label} ${key} ("${now.name}") was added`, details: [] });
  }
  return changes;
}

function describeText(era: Era, subject: SurfaceChange['subject'], label: string, before: string | undefined, after: string | undefined): SurfaceChange[] {
  if ((before ?? '') === (after ?? '')) return [];
  return [{ kind: 'description-changed', era, subject, summary: `${label}: the description changed`, details: [wordDiff(before ?? '', after ?? '')] }];
}

function fieldChanges<T extends object>(
  era: Era,
  subject: SurfaceChange['subject'],
  label: string,
  before: T,
  after: T,
  fields: (keyof T & string)[],
): SurfaceChange[] {
  const changed = fields.filter((f) => !same(before[f], after[f]));
  if (!changed.length) return [];
  return [
    {
      kind: 'compatible-change',
      era,
      subject,
      summary: `${label}: ${changed.join(', ')} changed`,
      details: changed.map((f) => `${f}: was ${show(before[f])}, now ${show(after[f])}`),
    },
  ];
}

/**
 * Judges a change of schema by the values it accepts. For an input, values it no longer accepts are
 * arguments an existing client may send and now sees refused; for an output, values it now allows are
 * results an existing client was never promised.
 */
async function schemaChanges(
  era: Era,
  subject: SurfaceChange['subject'],
  label: string,
  direction: 'input' | 'output',
  before: Json | undefined,
  after: Json | undefined,
): Promise<SurfaceChange[]> {
  if (same(before, after)) return [];
  const field = `${direction}Schema`;
  const breakingKind = direction === 'input' ? 'input-breaking' : 'output-breaking';
  if (direction === 'output' && before === undefined)
    return [{ kind: 'compatible-change', era, subject, summary: `${label}: an outputSchema was added`, details: [] }];
  if (direction === 'output' && after === undefined) {
    return [
      {
        kind: breakingKind,
        era,
        subject,
        summary: `${label}: the outputSchema was removed`,
        details: ['Clients that read structuredContent were promised its shape, and no longer are.'],
      },
    ];
  }
  let judged: { added: boolean; removed: boolean; addedSchema: unknown; removedSchema: unknown };
  try {
    const [source, destination] = direction === 'input' ? [closeObjects(before ?? {}), after ?? {}] : [openObjects(before ?? {}), openObjects(after ?? {})];
    const result = await jsonSchemaDiff.diffSchemas({ sourceSchema: forDiff(source), destinationSchema: forDiff(destination) });
    judged = { added: result.additionsFound, removed: result.removalsFound, addedSchema: result.addedJsonSchema, removedSchema: result.removedJsonSchema };
  } catch (error) {
    return [
      {
        kind: 'compatible-change',
        era,
        subject,
        summary: `${label}: the ${field} changed in a way the gate could not judge`,
        details: [`json-schema-diff: ${(error as Error).message.split('\n')[0]}`, 'Review the change by hand.'],
      },
    ];
  }
  const enums = enumChanges(before, after);
  const narrowed = judged.removed || enums.some((e) => e.removed.length);
  const widened = judged.added || enums.some((e) => e.added.length);
  const breaking = direction === 'input' ? narrowed : widened;
  const details = [...describeSchemaChange(before, after, direction), ...enums.flatMap(describeEnum)];
  if (breaking) {
    const what = direction === 'input' ? 'rejects arguments it accepted' : 'allows values it did not before';
    const evidence =
      direction === 'input'
        ? judged.removed && `no longer accepted: ${clip(judged.removedSchema)}`
        : judged.added && `now possible: ${clip(judged.addedSchema)}`;
    return [{ kind: breakingKind, era, subject, summary: `${label}: the ${field} now ${what}`, details: [...details, ...(evidence ? [evidence] : [])] }];
  }
  const how =
    narrowed || widened ? (direction === 'input' ? 'accepts more arguments' : 'narrowed what it returns') : 'changed without changing the values it accepts';
  return [{ kind: 'compatible-change', era, subject, summary: `${label}: the ${field} ${how}`, details }];
}

/** Keywords whose values are schemas, or maps or lists of schemas, that the contract rules below reach into. */
const SUBSCHEMA_MAPS = ['properties', '$defs', 'definitions'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf'];
const MAX_SCHEMA_DEPTH = 32;

/** The schema with `change` applied to every object schema in it (through properties, items, combinators and definitions). */
function reshape(schema: Json, change: (node: { [key: string]: Json }) => void, depth = 0): Json {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema) || depth > MAX_SCHEMA_DEPTH) return schema;
  const node: { [key: string]: Json } = { ...schema };
  for (const key of SUBSCHEMA_MAPS) {
    const map = node[key];
    if (map && typeof map === 'object' && !Array.isArray(map))
      node[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, reshape(sub, change, depth + 1)]));
  }
  for (const key of SUBSCHEMA_LISTS) if (Array.isArray(node[key])) node[key] = node[key].map((sub) => reshape(sub, change, depth + 1));
  if (node.items !== undefined) node.items = reshape(node.items, change, depth + 1);
  change(node);
  return node;
}

/**
 * The arguments an existing client sends are the ones the baseline declared: a property it never
 * declared is not part of the contract, so adding an optional one breaks nobody (as oasdiff judges it).
 */
function closeObjects(schema: Json): Json {
  return reshape(schema, (node) => {
    if (node.properties && node.additionalProperties === undefined && node.patternProperties === undefined) node.additionalProperties = false;
  });
}

/** Clients read the fields they know and ignore the rest: a new optional output field breaks nobody. */
function openObjects(schema: Json): Json {
  return reshape(schema, (node) => {
    if (node.additionalProperties === false) delete node.additionalProperties;
  });
}

/** json-schema-diff validates against draft-07, which does not know the 2020-12 meta-schema URI. */
function forDiff(schema: Json): never {
  if (schema && typeof schema === 'object' && !Array.isArray(schema)) {
    const rest = { ...schema };
    delete rest.$schema;
    return rest as never;
  }
  return schema as never;
}

/** Plain words for the common cases, beside the set-based verdict (which is the judgment). */
function describeSchemaChange(before: Json | undefined, after: Json | undefined, direction: 'input' | 'output'): string[] {
  const lines: string[] = [];
  const b = asObject(before);
  const a = asObject(after);
  const props = (s: { [key: string]: Json }) => asObject(s.properties);
  const required = (s: { [key: string]: Json }) => new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
  const newlyRequired = [...required(a)].filter((name) => !required(b).has(name));
  const noLongerRequired = [...required(b)].filter((name) => !required(a).has(name));
  const removed = Object.keys(props(b)).filter((name) => !(name in props(a)));
  const addedProps = Object.keys(props(a)).filter((name) => !(name in props(b)));
  const retyped = Object.keys(props(b)).filter((name) => name in props(a) && !same(asObject(props(b)[name]).type, asObject(props(a)[name]).type));
  if (newlyRequired.length) lines.push(`now required: ${newlyRequired.join(', ')}`);
  if (noLongerRequired.length) lines.push(`no longer required: ${noLongerRequired.join(', ')}`);
  if (removed.length)
    lines.push(
      `properties removed: ${removed.join(', ')}${direction === 'input' && a.additionalProperties === false ? ' (and additionalProperties is false)' : ''}`,
    );
  if (addedProps.length) lines.push(`properties added: ${addedProps.join(', ')}`);
  for (const name of retyped) lines.push(`"${name}" type: was ${show(asObject(props(b)[name]).type)}, now ${show(asObject(props(a)[name]).type)}`);
  return lines;
}

interface EnumChange {
  path: string;
  added: Json[];
  removed: Json[];
}

/**
 * `enum` and `const` at the same place in both schemas (the root, `properties`, `items`), compared as
 * sets of allowed values. An enum that appears narrows; one that goes away widens, by values unknown.
 */
function enumChanges(before: Json | undefined, after: Json | undefined, path = '', depth = 0): EnumChange[] {
  const b = asObject(before);
  const a = asObject(after);
  if (depth > 32 || (!Object.keys(b).length && !Object.keys(a).length)) return [];
  const changes: EnumChange[] = [];
  const was = allowedValues(b);
  const now = allowedValues(a);
  if (was || now) {
    const key = (v: Json) => JSON.stringify(canonicalize(v));
    const removed = was ? (now ? was.filter((v) => !now.some((n) => key(n) === key(v))) : []) : ['(any value not in the new list)'];
    const added = now ? (was ? now.filter((v) => !was.some((w) => key(w) === key(v))) : []) : ['(any value of its type)'];
    if (removed.length || added.length) changes.push({ path: path || '(root)', removed, added });
  }
  for (const name of Object.keys(asObject(b.properties))) {
    if (name in asObject(a.properties))
      changes.push(...enumChanges(asObject(b.properties)[name], asObject(a.properties)[name], `${path}${path ? '.' : ''}${name}`, depth + 1));
  }
  if (b.items !== undefined && a.items !== undefined) changes.push(...enumChanges(b.items, a.items, `${path}[]`, depth + 1));
  return changes;
}

function allowedValues(schema: { [key: string]: Json }): Json[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  return 'const' in schema ? [schema.const] : undefined;
}

function describeEnum(change: EnumChange): string[] {
  return [
    ...(change.removed.length ? [`${change.path}: values no longer allowed: ${change.removed.map(show).join(', ')}`] : []),
    ...(change.added.length ? [`${change.path}: values now allowed: ${change.added.map(show).join(', ')}`] : []),
  ];
}

function asObject(value: unknown): { [key: string]: Json } {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as { [key: string]: Json }) : {};
}

function byKey<T>(items: T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonicalize(a)) === JSON.stringify(canonicalize(b));
}

function changedKeys(a: object, b: object): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareText);
  return keys.filter((k) => !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : clip(value);
}

function clip(value: unknown): string {
  const text = JSON.stringify(canonicalize(value)) ?? String(value);
  return text.length > MAX_EVIDENCE ? `${text.slice(0, MAX_EVIDENCE)}…` : text;
}
