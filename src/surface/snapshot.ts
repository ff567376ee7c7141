/**
 * The surface snapshot: what a server advertises to its clients, per protocol era, as one canonical JSON
 * file that is the same byte for byte on every run of the same server (so it reviews well in a pull
 * request). Pure: it builds, writes and reads the file's text and knows nothing of sessions or settings.
 */

export const SNAPSHOT_FORMAT = 1;
/** The file `update-baseline` and the CLI's `snapshot` write when no path is given. */
export const DEFAULT_SNAPSHOT_FILE = 'mcp-surface.json';

/** The protocol eras a server may speak: `legacy` (initialize, up to 2025-11-25) and `modern` (2026-07-28). */
export const ERAS = ['legacy', 'modern'] as const;
export type Era = (typeof ERAS)[number];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface SnapshotTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: JsonObject;
  outputSchema?: JsonObject;
  annotations?: JsonObject;
}

export interface SnapshotPromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}

export interface SnapshotPrompt {
  name: string;
  title?: string;
  description?: string;
  arguments: SnapshotPromptArgument[];
}

export interface SnapshotResource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface SnapshotResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

/** One face of the server: what a client speaking that era sees. */
export interface EraSurface {
  /** The revision the server answered the gate's request with. */
  protocolVersion?: string;
  serverInfo: JsonObject;
  capabilities: JsonObject;
  instructions?: string;
  tools: SnapshotTool[];
  prompts: SnapshotPrompt[];
  resources: SnapshotResource[];
  resourceTemplates: SnapshotResourceTemplate[];
}

export interface SurfaceSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  eras: Partial<Record<Era, EraSurface>>;
}

/** What the session read of one face, as the server sent it (unknown fields and run-to-run values included). */
export interface FaceInput {
  protocolVersion?: string;
  serverInfo: object;
  capabilities: object;
  instructions?: string;
  tools: readonly object[];
  prompts: readonly object[];
  resources: readonly object[];
  resourceTemplates: readonly object[];
}

/** A snapshot file that cannot be used, with the reason in words. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/** Fields of serverInfo that describe the server rather than this run of it. */
const SERVER_INFO_FIELDS = ['name', 'title', 'version', 'description', 'websiteUrl'];
const TOOL_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'];
const PROMPT_ARGUMENT_FIELDS = ['name', 'title', 'description', 'required'];
// A resource's `size` and `annotations.lastModified` may change from run to run: left out.
const RESOURCE_FIELDS = ['uri', 'name', 'title', 'description', 'mimeType'];
const TEMPLATE_FIELDS = ['uriTemplate', 'name', 'title', 'description', 'mimeType'];

/** Builds the snapshot of the faces the server spoke. */
export function buildSnapshot(faces: Partial<Record<Era, FaceInput>>): SurfaceSnapshot {
  const eras: Partial<Record<Era, EraSurface>> = {};
  for (const era of ERAS) {
    const face = faces[era];
    if (face) eras[era] = buildEra(face);
  }
  return { format: SNAPSHOT_FORMAT, eras };
}

function buildEra(face: FaceInput): EraSurface {
  const era: EraSurface = {
    serverInfo: pick(face.serverInfo, SERVER_INFO_FIELDS),
    capabilities: (canonicalize(face.capabilities) ?? {}) as JsonObject,
    tools: sortBy(
      face.tools.map((t) => pick(t, TOOL_FIELDS) as unknown as SnapshotTool),
      (t) => t.name,
    ),
    prompts: sortBy(face.prompts.map(buildPrompt), (p) => p.name),
    resources: sortBy(
      face.resources.map((r) => pick(r, RESOURCE_FIELDS) as unknown as SnapshotResource),
      (r) => r.uri,
    ),
    resourceTemplates: sortBy(
      face.resourceTemplates.map((r) => pick(r, TEMPLATE_FIELDS) as unknown as SnapshotResourceTemplate),
      (r) => r.uriTemplate,
    ),
  };
  if (typeof face.protocolVersion === 'string') era.protocolVersion = face.protocolVersion;
  if (typeof face.instructions === 'string' && face.instructions !== '') era.instructions = face.instructions;
  return canonicalize(era) as unknown as EraSurface;
}

function buildPrompt(prompt: object): SnapshotPrompt {
  const picked = pick(prompt, ['name', 'title', 'description']) as unknown as SnapshotPrompt;
  const args = (prompt as { arguments?: unknown }).arguments;
  const list = Array.isArray(args) ? args.filter((a): a is object => typeof a === 'object' && a !== null) : [];
  return {
    ...picked,
    arguments: sortBy(
      list.map((a) => pick(a, PROMPT_ARGUMENT_FIELDS) as unknown as SnapshotPromptArgument),
      (a) => a.name,
    ),
  };
}

function pick(item: object, fields: string[]): JsonObject {
  const picked: JsonObject = {};
  for (const field of fields) {
    const value = canonicalize((item as Record<string, unknown>)[field]);
    if (value !== undefined) picked[field] = value;
  }
  return picked;
}

/** Code-unit order: the same in every locale and on every Node version. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted by key, and by the whole item's text when two share a key (a server may list a name twice). */
function sortBy<T>(items: T[], key: (item: T) => unknown): T[] {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));
  return [...items].sort((a, b) => compareText(text(key(a)), text(key(b))) || compareText(JSON.stringify(a), JSON.stringify(b)));
}

/**
 * The value as plain JSON with every object's keys in code-unit order; undefined, functions and
 * non-finite numbers are left out as JSON.stringify would. Array order is kept: it can carry meaning.
 */
export function canonicalize(value: unknown): Json | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => canonicalize(item) ?? null);
  if (typeof value !== 'object') return undefined;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort(compareText)) {
    const item = canonicalize((value as Record<string, unknown>)[key]);
    if (item !== undefined) sorted[key] = item;
  }
  return sorted;
}

/** The file's text: canonical, pretty-printed with two spaces, ending with a newline. */
export function serializeSnapshot(snapshot: SurfaceSnapshot): string {
  return `${JSON.stringify(canonicalize(snapshot), null, 2)}\n`;
}

/** Reads a snapshot file's text; `source` names it in the error. */
export function parseSnapshot(text: string, source: string): SurfaceSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SnapshotError(
      `${source} is not valid JSON (${(error as Error).message}); write it again with "mcp-preflight snapshot --out ${source}" or update-baseline: true`,
    );
  }
  const { format, eras } = (value ?? {}) as { format?: unknown; eras?: unknown };
  if (format !== SNAPSHOT_FORMAT) {
    const found = format === undefined ? 'no "format"' : `"format": ${JSON.stringify(format)}`;
    throw new SnapshotError(
      `${source} has ${found}; this version of mcp-preflight reads surface snapshots of "format": ${SNAPSHOT_FORMAT}. Write it again with this version`,
    );
  }
  if (typeof eras !== 'object' || eras === null || Array.isArray(eras)) throw new SnapshotError(`${source} has no "eras" object`);
  for (const [era, surface] of Object.entries(eras)) {
    if (!(ERAS as readonly string[]).includes(era)) throw new SnapshotError(`${source} has an unknown era "${era}"; known eras are ${ERAS.join(', ')}`);
    checkEra(surface, `${source}: eras.${era}`);
  }
  return value as SurfaceSnapshot;
}

function checkEra(surface: unknown, where: string): void {
  if (typeof surface !== 'object' || surface === null) throw new SnapshotError(`${where} is not an object`);
  const era = surface as Record<string, unknown>;
  for (const [list, key] of [
    ['tools', 'name'],
    ['prompts', 'name'],
    ['resources', 'uri'],
    ['resourceTemplates', 'uriTemplate'],
  ] as const) {
    const items = era[list];
    if (!Array.isArray(items)) throw new SnapshotError(`${where}.${list} is not an array`);
    const bad = items.findIndex((item) => typeof (item as Record<string, unknown> | null)?.[key] !== 'string');
    if (bad >= 0) throw new SnapshotError(`${where}.${list}[${bad}] has no "${key}" string`);
  }
  for (const field of ['serverInfo', 'capabilities'] as const) {
    if (typeof era[field] !== 'object' || era[field] === null) throw new SnapshotError(`${where}.${field} is not an object`);
  }
}
