import type { SubjectKind } from '../checks/types.js';
import { readGroup, type Group, type Syntax } from './text.js';
import { escapeRegExp } from '../util/regexp.js';

/** How sure a match is: lower wins. A registration call beats a bare declaration, which beats a literal. */
export const RANK = { registration: 0, declaration: 1, literal: 2 } as const;

export type Language = 'typescript' | 'python' | 'go';

/** A place in one file's text that names a tool, prompt or resource. */
export interface Candidate {
  /** Unknown for a bare string literal: it stands for any kind of that name. */
  kind?: SubjectKind;
  name: string;
  /** Offset of the registration (the annotation's first line). */
  start: number;
  /** Offset of the name itself, or of the `def` a Python decorator decorates (its last line). */
  end: number;
  rank: number;
}

export function languageOf(path: string): Language | undefined {
  if (/\.[cm]?[jt]sx?$/.test(path)) return 'typescript';
  if (path.endsWith('.py')) return 'python';
  if (path.endsWith('.go')) return 'go';
  return undefined;
}

export function matchRegistrations(text: string, language: Language | undefined): Candidate[] {
  if (language === 'typescript') return matchTypeScriptCalls(text);
  if (language === 'python') return [...matchPythonDecorators(text), ...matchPythonConstructors(text)];
  if (language === 'go') return [...matchGoConstructors(text), ...matchGoStructs(text)];
  return [];
}

/** One pattern for every name, built once per search: `"name"`, `'name'` or `` `name` ``. */
export function literalPattern(names: string[]): RegExp | undefined {
  const quotable = [...new Set(names)].filter((name) => name && !/["'`\n\\]/.test(name));
  if (!quotable.length) return undefined;
  return new RegExp(`(["'\`])(${quotable.map(escapeRegExp).join('|')})\\1`, 'g');
}

export function matchLiterals(text: string, pattern: RegExp | undefined): Candidate[] {
  if (!pattern) return [];
  return [...text.matchAll(pattern)]
    .filter((match) => !isInCommentLine(text, match.index))
    .map((match) => ({ name: match[2], start: match.index, end: match.index, rank: RANK.literal }));
}

/** A name quoted in prose ("clients call "ping" first") is a mention, not the definition. */
function isInCommentLine(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return /^\s*(?:\/\/|\/\*|\*|#)/.test(text.slice(lineStart, at));
}

function kindOf(word: string): SubjectKind {
  const lower = word.toLowerCase();
  if (lower.includes('tool')) return 'tool';
  if (lower.includes('prompt')) return 'prompt';
  return 'resource';
}

/** `server.registerTool("name"`, `server.tool('name'`, `.registerPrompt(`, `.prompt(`, `.registerResource(`, `.resource(`. */
const TS_CALL = /(?:\.\s*(tool|prompt|resource)|\b(registerTool|registerPrompt|registerResource))\s*\(\s*(['"`])((?:(?!\3)[^\\\n])+)\3/g;

function matchTypeScriptCalls(text: string): Candidate[] {
  return [...text.matchAll(TS_CALL)].map((match) => {
    const name = match[4];
    const nameAt = match.index + match[0].length - name.length - 2;
    return { kind: kindOf(match[1] ?? match[2]), name, start: match.index, end: nameAt, rank: RANK.registration };
  });
}

/** `@mcp.tool`, `@app.prompt(...)`, `@server.resource("uri")` at the start of a line. */
const PY_DECORATOR = /^[ \t]*@(?:\w+\.)+(tool|prompt|resource)\b/gm;
const PY_NAME_ARGUMENT = /[(,]\s*name\s*=\s*(['"])([^'"\n]+)\1/;

function matchPythonDecorators(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(PY_DECORATOR)) {
    const kind = match[1] as SubjectKind;
    const after = match.index + match[0].length;
    const args = groupAfter(text, after);
    const definition = functionAfter(text, args ? args.close + 1 : after);
    if (!definition) continue;
    const name = (args && decoratorName(args.topLevel, kind)) ?? definition.name;
    found.push({ kind, name, start: match.index, end: definition.at, rank: RANK.registration });
  }
  return found;
}

/** The arguments of a decorator, when its parenthesis opens on the same line. */
function groupAfter(text: string, from: number): Group | undefined {
  const open = /[ \t]*\(/y;
  open.lastIndex = from;
  return open.exec(text) ? readGroup(text, open.lastIndex - 1, 'python') : undefined;
}

/** `name="…"` overrides the function's name; so does a first positional string, except for a resource's URI. */
function decoratorName(topLevel: string, kind: SubjectKind): string | undefined {
  const keyword = PY_NAME_ARGUMENT.exec(topLevel);
  if (keyword) return keyword[2];
  if (kind === 'resource') return undefined;
  return /^\(\s*(['"])([^'"\n]+)\1\s*[,)]/.exec(topLevel)?.[2];
}

/** The function a decorator applies to, past any other decorators and comments in between. */
function functionAfter(text: string, from: number): { name: string; at: number } | undefined {
  let at = from;
  for (let step = 0; step < 10; step += 1) {
    const definition = /\s*((?:async\s+)?def\s+(\w+))/y;
    definition.lastIndex = at;
    const found = definition.exec(text);
    if (found) return { name: found[2], at: found.index + found[0].length - found[1].length };
    const skippable = /\s*(?:#[^\n]*|@[\w.]+)/y;
    skippable.lastIndex = at;
    if (!skippable.exec(text)) return undefined;
    const args = groupAfter(text, skippable.lastIndex);
    at = args ? args.close + 1 : skippable.lastIndex;
  }
  return undefined;
}

/** `types.Tool(name="…", …)` in a low-level server's list handler. */
const PY_CONSTRUCTOR = /\b(Tool|Prompt|Resource|ResourceTemplate)[ \t]*\(/g;

function matchPythonConstructors(text: string): Candidate[] {
  return matchFields(text, PY_CONSTRUCTOR, 'python', () => PY_NAME_ARGUMENT, RANK.declaration);
}

/** mark3labs/mcp-go: `mcp.NewTool("name"`, `mcp.NewPrompt("name"`, `mcp.NewResource("uri", "name"`. */
const GO_CONSTRUCTOR = /\bNew(Tool|Prompt|Resource|ResourceTemplate)\s*\(/g;
const GO_FIRST_STRING = /^\(\s*(["`])([^"`\n]+)\1/;
const GO_SECOND_STRING = /^\(\s*(["`])[^"`\n]*\1\s*,\s*(["`])([^"`\n]+)\2/;

function matchGoConstructors(text: string): Candidate[] {
  const argumentFor = (match: RegExpMatchArray) => (kindOf(match[1]) === 'resource' ? GO_SECOND_STRING : GO_FIRST_STRING);
  return matchFields(text, GO_CONSTRUCTOR, 'c', argumentFor, RANK.registration);
}

/** The official go-sdk: `&mcp.Tool{Name: "name"`, strongest inside `mcp.AddTool(` / `server.AddPrompt(`. */
const GO_STRUCT = /(?:&\s*)?\b(?:\w+\.)?(Tool|Prompt|Resource|ResourceTemplate)\s*\{/g;
const GO_NAME_FIELD = /[{,]\s*Name\s*:\s*(["`])([^"`\n]+)\1/;

function matchGoStructs(text: string): Candidate[] {
  return matchFields(text, GO_STRUCT, 'c', () => GO_NAME_FIELD, RANK.declaration).map((candidate) => {
    const call = enclosingAddCall(text, candidate.start);
    return call === undefined ? candidate : { ...candidate, start: call, rank: RANK.registration };
  });
}

/** An `AddTool(`-like call starting shortly before `at` whose parentheses contain it. */
function enclosingAddCall(text: string, at: number): number | undefined {
  const from = Math.max(0, at - 200);
  const calls = [...text.slice(from, at).matchAll(/\bAdd(?:Tool|Prompt|Resource|ResourceTemplate)\s*\(/g)];
  const call = calls.at(-1);
  if (!call) return undefined;
  const start = from + call.index;
  const group = readGroup(text, start + call[0].length - 1, 'c');
  return group && group.close > at ? start : undefined;
}

/**
 * For each opener (a pattern ending at an opening bracket, its group 1 naming the kind), the name the
 * field pattern finds at the top level of the bracketed group. Field patterns end with the name's
 * closing quote.
 */
function matchFields(text: string, opener: RegExp, syntax: Syntax, fieldFor: (match: RegExpMatchArray) => RegExp, rank: number): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(opener)) {
    const open = match.index + match[0].length - 1;
    const hit = fieldIn(readGroup(text, open, syntax), fieldFor(match));
    if (!hit) continue;
    const name = hit.at(-1) as string;
    const nameAt = open + hit.index + hit[0].length - name.length - 2;
    found.push({ kind: kindOf(match[1]), name, start: match.index, end: nameAt, rank });
  }
  return found;
}

function fieldIn(group: Group | undefined, field: RegExp): RegExpExecArray | null {
  return group ? field.exec(group.topLevel) : null;
}
