import { randomBytes } from 'node:crypto';

/**
 * Characters a terminal or the runner acts on instead of showing: C0 controls other than tab and
 * newline (ESC starts colour, cursor and OSC-8 link sequences; a bare CR ends a line for the runner and
 * lets a later line overwrite an earlier one on a terminal; BEL rings), DEL, the C1 controls (U+009B is
 * a one-byte CSI), the Unicode line separators, and the bidirectional overrides that reorder a line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** Text for a terminal or the runner's log: every control character shown as a visible escape (`\x1b`). */
export function showControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Text for the runner's log in which no line is a workflow command. The runner runs `::name::` at the
 * start of a line (after spaces) and `##[name]` anywhere in it, so a server that prints
 * `::add-mask::`, `::error::` or `::stop-commands::` would otherwise act through the gate. Between
 * `::stop-commands::<token>` and `::<token>::` the runner runs nothing; the token is random, so the text
 * cannot end the block early. The text is shown byte for byte, and the runner's masking still applies.
 */
export function fenceCommands(text: string, token = randomBytes(16).toString('hex')): string {
  return `::stop-commands::${token}\n${text}\n::${token}::`;
}

/**
 * Untrusted text for an inline place in GitHub-flavoured Markdown (a paragraph, a list item): it shows
 * as the characters it is, and nothing in it renders as an image, a link, HTML, emphasis or a mention.
 *
 * Code spans are kept: nothing renders inside one, and the project's own messages use them. They are
 * found as CommonMark finds them (a run of backticks closed by the next run of the same length), so a
 * backtick in the untrusted part can end a span early only to have the rest escaped like any other text.
 * Newlines become spaces: a new line could start a block (`<script>`, a heading, a table) even inside
 * what looks like a code span, because blocks are parsed before spans.
 */
export function escapeMarkdown(text: string): string {
  const flat = showControls(text.replace(/\r?\n/g, ' '));
  const runs = [...flat.matchAll(/`+/g)];
  const closers = nextOfSameLength(runs.map((run) => run[0].length));
  let out = '';
  let from = 0;
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i];
    const closeAt = closers[i];
    if (closeAt === -1) continue;
    const close = runs[closeAt];
    const end = (close.index ?? 0) + close[0].length;
    out += escapePlain(flat.slice(from, open.index)) + flat.slice(open.index, end);
    from = end;
    i = closeAt;
  }
  return out + escapePlain(flat.slice(from));
}

/** For each backtick run, the index of the next run of the same length, or -1: linear, for text of any size. */
function nextOfSameLength(lengths: number[]): number[] {
  const next = new Array<number>(lengths.length).fill(-1);
  const seen = new Map<number, number>();
  for (let i = lengths.length - 1; i >= 0; i--) {
    next[i] = seen.get(lengths[i]) ?? -1;
    seen.set(lengths[i], i);
  }
  return next;
}

/**
 * Untrusted text for a cell of a GitHub table, which splits cells on `|` even inside code spans, unless
 * the pipe is escaped: preceded by an odd number of backslashes.
 */
export function escapeTableCell(text: string): string {
  return escapeMarkdown(text).replace(/(?<!\\)((?:\\\\)*)\|/g, '$1\\|');
}

/**
 * Untrusted text as one code span, in which nothing renders: fenced by more backticks than the longest
 * run inside it, and padded with a space where it starts or ends with a backtick (CommonMark strips one).
 */
export function codeSpan(text: string): string {
  const flat = showControls(text.replace(/\r?\n/g, ' '));
  const fence = '`'.repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((run) => run[0].length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Untrusted text for a fenced code block opened with three backticks: only three backticks in a row
 * could close it.
 */
export function escapeCodeBlock(text: string): string {
  return showControls(text).replace(/```/g, "'''");
}

/**
 * A SARIF plain-text message: `[text](target)` is SARIF's embedded-link syntax, which code scanning
 * renders as a link, so literal brackets are escaped as the SARIF specification says (section 3.11.6).
 */
export function escapeSarifText(text: string): string {
  return showControls(text).replace(/[[\]]/g, '\\$&');
}

/**
 * Outside code spans: backslash escapes for everything that starts a construct (CommonMark renders an
 * escaped ASCII punctuation character as itself), entities for `<` and `>`, and a zero-width space after
 * `@` and before the digits of `#1`, which GitHub turns into mentions and issue links after rendering.
 * An escaped `:` in `://` and `.` after `www` keep GitHub from linking bare URLs.
 */
function escapePlain(text: string): string {
  return text
    .replace(/[\\`*_~[\]|&!]/g, '\\$&')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/@/g, '@\u200b')
    .replace(/#(?=\d)/g, '#\u200b');
}
