import { lineStarts, positionOf } from '../util/text-position.js';

/** How a language writes comments and strings, as far as skipping over them needs. */
export type Syntax = 'c' | 'python';

/** The 1-based line of an offset; the line starts are computed once per file, on the first match. */
export function lineFinder(text: string): (offset: number) => number {
  let starts: number[] | undefined;
  return (offset) => positionOf(offset, (starts ??= lineStarts(text))).line;
}

/** A bracketed group: where it closes, and its text with only the top level kept. */
export interface Group {
  close: number;
  /**
   * The text from the opening bracket to the closing one, with nested groups and comments blanked to
   * spaces. Offsets match the source (`open + i`), so a field found here is found at the top level.
   */
  topLevel: string;
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** A registration's arguments rarely run this long; past it the bracket is probably unbalanced. */
const MAX_GROUP_CHARS = 8000;

/** Reads the group opened at `open`, skipping strings and comments so their brackets do not count. */
export function readGroup(text: string, open: number, syntax: Syntax): Group | undefined {
  const expected: string[] = [];
  const kept: string[] = [];
  const limit = Math.min(text.length, open + MAX_GROUP_CHARS);
  for (let i = open; i < limit;) {
    const literal = literalAt(text, i, syntax);
    if (literal) {
      const keep = literal.kind === 'string' && expected.length === 1;
      kept.push(keep ? text.slice(i, literal.end) : ' '.repeat(literal.end - i));
      i = literal.end;
      continue;
    }
    const char = text[i];
    const depthBefore = expected.length;
    if (CLOSERS[char]) expected.push(CLOSERS[char]);
    else if (char === expected.at(-1)) expected.pop();
    // A bracket belongs to the deeper of the two levels it separates.
    kept.push(Math.max(depthBefore, expected.length) > 1 ? ' ' : char);
    if (!expected.length) return { close: i, topLevel: kept.join('') };
    i += 1;
  }
  return undefined;
}

interface Literal {
  kind: 'string' | 'comment';
  end: number;
}

/** The string or comment starting at `i`, if one does. Single-line strings stop at the line's end. */
function literalAt(text: string, i: number, syntax: Syntax): Literal | undefined {
  const char = text[i];
  if (syntax === 'python' && char === '#') return { kind: 'comment', end: endOfLine(text, i) };
  if (syntax === 'c' && text.startsWith('//', i)) return { kind: 'comment', end: endOfLine(text, i) };
  if (syntax === 'c' && text.startsWith('/*', i)) return { kind: 'comment', end: endOf(text, '*/', i + 2) };
  if (syntax === 'python' && (text.startsWith('"""', i) || text.startsWith("'''", i))) {
    return { kind: 'string', end: endOf(text, text.slice(i, i + 3), i + 3) };
  }
  if (char === '"' || char === "'" || char === '`') return { kind: 'string', end: endOfString(text, i) };
  return undefined;
}

function endOfString(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === quote) return i + 1;
    else if (text[i] === '\n' && quote !== '`') return i;
  }
  return text.length;
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

function endOf(text: string, terminator: string, from: number): number {
  const end = text.indexOf(terminator, from);
  return end === -1 ? text.length : end + terminator.length;
}
