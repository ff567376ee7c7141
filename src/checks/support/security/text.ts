import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from '@modelcontextprotocol/client';
import type { ListKind, Session } from '../../../session/session.js';
import type { Subject } from '../../types.js';

/**
 * One piece of text the server controls and a client shows to its model or its user, with where it
 * came from. `prose` is read by the model; `name` identifies something; `uri` is an address.
 */
export interface SurfaceText {
  text: string;
  /** Which field of the item, for the message: `description`, `inputSchema properties.to.description`, `URI`. */
  field: string;
  kind: 'prose' | 'name' | 'uri';
  /** The tool, prompt or resource it belongs to; absent for the server's instructions. */
  subject?: Subject;
}

/** Schema keywords whose strings are machinery, not words a model reads as guidance. */
const SCHEMA_MACHINERY = new Set(['type', 'format', 'pattern', '$schema', '$ref', '$id', '$anchor', 'required']);
/** A server-controlled schema may nest without end; nothing a model reads sits this deep. */
const MAX_SCHEMA_DEPTH = 32;

/** Every text of the advertised surface, from the listings the session already fetched. */
export async function collectSurfaceTexts(session: Session): Promise<SurfaceText[]> {
  const texts: SurfaceText[] = [];
  const { instructions } = session;
  if (instructions) texts.push({ text: instructions, field: 'instructions', kind: 'prose' });
  const kinds = [
    ...(session.advertises('tools') ? (['tools'] as const) : []),
    ...(session.advertises('prompts') ? (['prompts'] as const) : []),
    ...(session.advertises('resources') ? (['resources', 'resourceTemplates'] as const) : []),
  ];
  for (const kind of kinds) appendTexts(texts, kind, (await session.list(kind)).items);
  return texts.filter((t) => typeof t.text === 'string' && t.text !== '');
}

/**
 * The texts of each listed item, appended one by one: a server may list 100,000 tools, and spreading
 * that many into one call overflows the stack.
 */
export function appendTexts(texts: SurfaceText[], kind: ListKind, items: unknown[]): void {
  const textsOf = kind === 'tools' ? toolTexts : kind === 'prompts' ? promptTexts : resourceTexts;
  for (const item of items) for (const text of textsOf(item as never)) texts.push(text);
}

function toolTexts(tool: Tool): SurfaceText[] {
  const subject: Subject = { kind: 'tool', name: tool.name };
  return [
    { text: tool.name, field: 'name', kind: 'name', subject },
    { text: tool.title ?? '', field: 'title', kind: 'prose', subject },
    { text: tool.annotations?.title ?? '', field: 'annotations.title', kind: 'prose', subject },
    { text: tool.description ?? '', field: 'description', kind: 'prose', subject },
    ...schemaTexts(tool.inputSchema, 'inputSchema').map((t) => ({ ...t, subject })),
  ];
}

function promptTexts(prompt: Prompt): SurfaceText[] {
  const subject: Subject = { kind: 'prompt', name: prompt.name };
  return [
    { text: prompt.name, field: 'name', kind: 'name', subject },
    { text: prompt.title ?? '', field: 'title', kind: 'prose', subject },
    { text: prompt.description ?? '', field: 'description', kind: 'prose', subject },
    ...(prompt.arguments ?? []).flatMap((argument): SurfaceText[] => [
      { text: argument.name, field: 'argument name', kind: 'name', subject },
      { text: argument.description ?? '', field: `argument "${argument.name}" description`, kind: 'prose', subject },
    ]),
  ];
}

function resourceTexts(resource: Resource | ResourceTemplate): SurfaceText[] {
  const subject: Subject = { kind: 'resource', name: resource.name };
  const address = 'uri' in resource ? { text: String(resource.uri), field: 'URI' } : { text: String(resource.uriTemplate), field: 'URI template' };
  return [
    { text: resource.name, field: 'name', kind: 'name', subject },
    { text: resource.title ?? '', field: 'title', kind: 'prose', subject },
    { text: resource.description ?? '', field: 'description', kind: 'prose', subject },
    { ...address, kind: 'uri', subject },
  ];
}

/**
 * The words of a JSON Schema a model reads: descriptions, titles, defaults, examples and enum values at
 * any depth, and the property names themselves.
 */
export function schemaTexts(schema: unknown, path: string, depth = 0): Omit<SurfaceText, 'subject'>[] {
  if (typeof schema === 'string') return [{ text: schema, field: path, kind: 'prose' }];
  if (depth > MAX_SCHEMA_DEPTH || schema === null || typeof schema !== 'object') return [];
  if (Array.isArray(schema)) return schema.flatMap((item, i) => schemaTexts(item, `${path}[${i}]`, depth + 1));
  return Object.entries(schema as Record<string, unknown>).flatMap(([key, value]) => {
    if (SCHEMA_MACHINERY.has(key)) return [];
    const nested = schemaTexts(value, `${path}.${key}`, depth + 1);
    if (key !== 'properties' || value === null || typeof value !== 'object' || Array.isArray(value)) return nested;
    const names = Object.keys(value).map((name) => ({ text: name, field: `${path}.properties name`, kind: 'name' as const }));
    return [...names, ...nested];
  });
}

/**
 * Characters a person cannot see but a model reads: zero-width and joiner characters (U+200B–U+200F),
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), invisible operators
 * (U+2060–U+2064), the byte-order mark (U+FEFF) and Unicode tag characters (U+E0000–U+E007F).
 */
export const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]/gu;
/** Control characters that would garble a log line or an annotation; shown escaped like the invisible ones. */
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;

/** `\u200B`, `\u{E0041}`: a code point written so a reader sees it. */
export function escapeCodePoint(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase();
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/** The text with every invisible or control character written as a `\u` escape. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, escapeCodePoint).replace(CONTROL, escapeCodePoint);
}

export const QUOTE_LENGTH = 120;

/**
 * The text in quotes on one line, invisible characters escaped, clipped between words or before an
 * escape. Whole words only: a credential inside the text is either quoted whole, which the masker then
 * replaces, or left out; a clipped fragment of one would slip past the masker.
 */
export function quote(text: string, max = QUOTE_LENGTH): string {
  // Only the start can be shown; escaping a megabyte to show 120 characters of it would waste seconds.
  const cut = text.length > max * 4;
  const shown = showInvisible(cut ? text.slice(0, max * 4) : text)
    .replace(/\s+/g, ' ')
    .trim();
  if (!cut && shown.length <= max) return `"${shown}"`;
  const pieces = shown.split(/(?<= )|(?=\\u)/);
  // Where the text was cut, its last piece may be part of a word.
  if (cut) pieces.pop();
  let clipped = '';
  for (const piece of pieces) {
    if ((clipped + piece).trimEnd().length > max) break;
    clipped += piece;
  }
  clipped = clipped.trimEnd();
  return clipped ? `"${clipped} …"` : `"${redact(shown)}"`;
}

/** The first four characters of a secret and an ellipsis: enough to find it, too little to use it. */
export function redact(value: string): string {
  return `${[...value].slice(0, 4).join('')}…`;
}
