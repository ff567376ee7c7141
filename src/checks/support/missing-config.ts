import { findCrash, type Crash } from './crash.js';

/**
 * Reads what a server that died at start-up says it lacks (environment variables, a command-line
 * argument, a configuration file), for launch.missing-config and config.missing-env.
 */

/** What a server that exited said it lacks, with the stderr lines that say so. */
export interface MissingConfig {
  /** Environment variables, in the order stderr names them. */
  variables: string[];
  /** A command-line argument, asked for or told by printing only the usage line, which is quoted. */
  argument?: { usage?: string };
  /** Configuration files; an empty string when the line does not say which. */
  files: string[];
  lines: string[];
}

/**
 * An environment variable's name as people write it: UPPER_SNAKE with at least one underscore. A bare
 * upper-case word (PORT, TOKEN) counts only beside the words "environment variable". Case matters: "is",
 * "the" and "required" are words, never names.
 */
const SNAKE_NAME = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
const ENV_WORDS = String.raw`(?:env(?:ironment)?[\s_-]*var(?:iable)?s?|env(?:ironment)?\s+settings?)`;
// Case-insensitive for the words; every captured name is then held to the case-sensitive NAME.
const NAME_BEFORE_ENV_WORDS = new RegExp(String.raw`\b([A-Z][A-Z0-9_]+)["'\`]?\s+${ENV_WORDS}`, 'gi');
const NAMES_AFTER_ENV_WORDS = new RegExp(
  String.raw`${ENV_WORDS}[\s:"'\`]+([A-Z][A-Z0-9_]*(?:["'\`]?\s*(?:,|\band\b|\bor\b|&)\s*["'\`]?[A-Z][A-Z0-9_]*)*)`,
  'gi',
);
const NAME = /^[A-Z][A-Z0-9_]+$/;
const MENTIONS_ENV = new RegExp(String.raw`\b${ENV_WORDS}\b`, 'i');
/** Words saying something is absent. */
const ABSENT =
  /\b(?:required|missing|undefined|unset|not\s+(?:been\s+)?(?:set|defined|provided|configured|found|present|specified|available)|must\s+(?:be|also\s+be)\s+(?:set|provided|defined|specified|configured|given)|is\s+empty|please\s+(?:set|provide|define|export|configure|add))\b/i;
/** Upper-case words that are never a server's configuration: Node's error codes, log levels. */
const NOT_A_VARIABLE = /^(?:ERR_|E[A-Z]+$)/;

/** How a server says a command-line argument is missing (postgres, filesystem, commander, argparse, click, yargs). */
const ARGUMENT_PATTERNS = [
  /\b(?:provide|pass|give|specify)\b.*\bcommand[- ]line\s+arguments?\b/i,
  /\bcommand[- ]line\s+arguments?\b.*\b(?:required|missing|expected|not\s+(?:provided|given))\b/i,
  /\bmissing\s+(?:required\s+)?(?:argument|option)s?\b/i,
  /\bthe following arguments are required\b/i,
  /\brequired\s+(?:argument|option)\s+\S+\s+not\s+specified\b/i,
  /\bnot enough (?:non-option )?arguments\b/i,
  /\b(?:at least one|no)\s+(?:allowed\s+)?(?:directory|directories|path|paths|argument)s?\s+(?:is\s+|are\s+|were\s+)?(?:required|provided|specified|given)\b/i,
];
const ARGUMENT_REJECTED = /\b(?:unknown|unrecognized|unexpected)\s+(?:option|argument|flag)s?\b/i;
const USAGE = /^\s*(?:error:\s*)?usage:\s+\S/i;

const FILE_PATTERNS = [
  /ENOENT: no such file or directory, (?:open|stat|lstat|access|scandir) '([^']+)'/,
  /FileNotFoundError: \[Errno 2\] No such file or directory: '([^']+)'/,
];
const CONFIG_FILE_ABSENT =
  /\b(?:config(?:uration)?|settings)\s+file\b.*\b(?:not\s+found|does\s+not\s+exist|doesn't\s+exist|is\s+missing|missing)\b|\b(?:cannot|can't|could\s+not|couldn't|unable\s+to)\s+(?:find|locate|open|read|load)\s+(?:the\s+)?(?:config(?:uration)?|settings)\s+file\b|\bno\s+(?:config(?:uration)?|settings)\s+file\b/i;
const QUOTED_PATH = /["'`]([^"'`\s]+)["'`]/;
const BARE_PATH = /(?:^|[\s:=])((?:[~.\w-]*\/)*[\w.-]+\.(?:json|jsonc|ya?ml|toml|ini|env|conf|cfg))\b/i;

/** A warning is by definition not why the server stopped, and a quoted source line is not what it printed. */
const NOT_A_CAUSE = [/^\W*warn(?:ing)?\b/i, /\bwarn(?:ing)?:/i, /\bWARN(?:ING)?\b/, /\blevel=warn/i, /^\s*(?:raise|throw)\b/, /^\s+File "/];

/**
 * What configuration the exited server says it lacks. When it died of an exception, only the exception
 * is read: a warning it printed earlier about an optional variable is not why it stopped.
 */
export function findMissingConfig(lines: string[]): MissingConfig | undefined {
  const crash = findCrash(lines);
  const read = crash ? crash.exception : lines;
  const found: MissingConfig = { variables: [], files: [], lines: [] };
  read.forEach((line, index) => {
    if (NOT_A_CAUSE.some((pattern) => pattern.test(line))) return;
    const names = variablesIn(line, read.slice(index + 1));
    const file = fileIn(line);
    const argument = ARGUMENT_PATTERNS.some((pattern) => pattern.test(line));
    addNew(found.variables, names);
    if (file !== undefined) addNew(found.files, [file]);
    if (argument) found.argument ??= {};
    if (names.length || file !== undefined || argument) addNew(found.lines, [line.trim()]);
  });
  if (crash) addNew(found.variables, variablesOfCrash(crash));
  if (found.argument || (!crash && !found.variables.length && !found.files.length)) addUsage(found, lines);
  if (!found.variables.length && !found.files.length && !found.argument) return undefined;
  if (!found.lines.length && crash) found.lines.push(...crash.exception.map((line) => line.trim()));
  return found;
}

function addNew(list: string[], items: string[]): void {
  for (const item of items) if (!list.includes(item)) list.push(item);
}

/** Names on a line that says something is absent; a heading ("Missing environment variables:") lists them below. */
function variablesIn(line: string, following: string[]): string[] {
  if (!ABSENT.test(line)) return [];
  const names = [...line.matchAll(SNAKE_NAME)].map((m) => m[0]);
  if (MENTIONS_ENV.test(line)) {
    names.push(...[...line.matchAll(NAME_BEFORE_ENV_WORDS)].map((m) => m[1]));
    names.push(...[...line.matchAll(NAMES_AFTER_ENV_WORDS)].flatMap((m) => m[1].split(/[^A-Za-z0-9_]+/)));
    if (/:\s*$/.test(line)) names.push(...listedBelow(following));
  }
  const bracketed = new Set([...line.matchAll(/\[([A-Z0-9_]+)\]/g)].map((m) => m[1]));
  return [...new Set(names)].filter((name) => NAME.test(name) && !NOT_A_VARIABLE.test(name) && !bracketed.has(name));
}

/** `    API_KEY: undefined`, `  - API_KEY`: the list under a heading, as envalid and similar validators print it. */
function listedBelow(lines: string[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    const name = /^\s+(?:[-*•]\s*)?([A-Z][A-Z0-9_]+)\b/.exec(line)?.[1];
    if (!name) break;
    names.push(name);
  }
  return names;
}

/**
 * Python reports `os.environ["X"]` of an unset X as `KeyError: 'X'`, and pydantic-settings an unset field
 * as "Field required" under the field's name (read from the variable of that name, upper-cased).
 */
function variablesOfCrash(crash: Crash): string[] {
  const [first, ...rest] = crash.exception;
  const key = /^KeyError: ['"]([A-Za-z_][A-Za-z0-9_]*)['"]$/.exec(first)?.[1];
  if (key) return readsEnviron(crash) || NAME.test(key) ? [key] : [];
  if (!/ValidationError: \d+ validation errors? for \w*(?:Settings|Config|Env)\w*/.test(first)) return [];
  return rest.flatMap((line, index) => {
    const field = /^([A-Za-z_][A-Za-z0-9_]*)$/.exec(line.trim())?.[1];
    return field && /^\s+Field required\b/.test(rest[index + 1] ?? '') ? [field.toUpperCase()] : [];
  });
}

function readsEnviron(crash: Crash): boolean {
  return /(?:<frozen os>|[\\/]os\.py)", line \d+, in __getitem__/.test(crash.frames.at(-1) ?? '');
}

function fileIn(line: string): string | undefined {
  for (const pattern of FILE_PATTERNS) {
    const file = pattern.exec(line)?.[1];
    if (file) return file;
  }
  if (!CONFIG_FILE_ABSENT.test(line)) return undefined;
  return QUOTED_PATH.exec(line)?.[1] ?? BARE_PATH.exec(line)?.[1] ?? '';
}

/**
 * The usage line a server prints when it exits over its command line; alone, it says an argument is
 * missing, unless the server refused one it was given (a wrong command, not a missing argument).
 */
function addUsage(found: MissingConfig, lines: string[]): void {
  const usage = lines.find((line) => USAGE.test(line))?.trim();
  if (!usage || (!found.argument && lines.some((line) => ARGUMENT_REJECTED.test(line)))) return;
  found.argument = { usage };
  if (!found.lines.length) found.lines.push(usage);
}

/** "A", "A and B", "A, B and C". */
export function listed(items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
