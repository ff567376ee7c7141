import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { SettingsError } from '../settings-error.js';
import { detectFormat, FORMATS, isObject, workspaceFolderOf } from './formats.js';
import { expand, parseEnvFile, type ExpansionContext } from './placeholders.js';
import type { ConfigFile, ConfiguredServer, EntryTransport, SyntaxProblem, UnresolvedPlaceholder } from './types.js';
import { lineStarts, positionOf } from '../util/text-position.js';

export interface ServersConfig {
  source: ConfigFile;
  /** Every entry, in file order; an entry shadowed by a later one of the same name is left out, as clients do. */
  entries: ConfiguredServer[];
}

export interface ReadOptions {
  /** Paths in findings are relative to it (the repository root). */
  workspace: string;
  /** Relative paths (the file's, `${workspaceFolder}` outside .vscode/ and .cursor/) resolve against it. */
  workingDirectory: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** A file bigger than this is not a client configuration; reading it whole would only cost memory. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Reads a client's configuration file into its servers, resolving placeholders as that client does.
 * Syntax errors are kept for config.invalid-json as long as the servers can still be read; a file with
 * none to read is a SettingsError naming the line and column.
 */
export function readServersConfig(file: string, options: ReadOptions): ServersConfig {
  const absolutePath = path.resolve(options.workingDirectory, file);
  const text = readText(absolutePath);
  const syntax = syntaxProblems(text);
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const content: unknown = root ? getNodeValue(root) : undefined;
  const format = detectFormat(absolutePath, content);
  const rules = FORMATS[format];
  const serversNode = root?.type === 'object' ? property(root, rules.serversKey) : undefined;
  const display = path.relative(options.workspace, absolutePath).split(path.sep).join('/');
  if (!serversNode || serversNode.type !== 'object') {
    const hard = syntax.find((problem) => !problem.jsoncOnly);
    if (hard)
      throw new SettingsError(
        'servers-config',
        `${display}:${hard.line}:${hard.column}: ${hard.message}; the file is not valid JSON, so no server can be read from it`,
      );
    throw new SettingsError('servers-config', `${display} has no "${rules.serversKey}" object; ${rules.label} lists its servers there (${rules.docsUrl})`);
  }
  const source: ConfigFile = { file: display, absolutePath, format, syntax, windowsEvidence: windowsEvidence(text, absolutePath) };
  const context: ExpansionContext = {
    format,
    env: options.env ?? process.env,
    workspaceFolder: workspaceFolderOf(absolutePath, options.workingDirectory),
    home: options.home ?? os.homedir(),
    inputs: declaredInputs(content),
  };
  const lines = lineStarts(text);
  const all = (serversNode.children ?? []).map((member) => readEntry(member, source, context, lines));
  return { source, entries: withoutShadowed(all) };
}

function readText(absolutePath: string): string {
  const stats = statSync(absolutePath, { throwIfNoEntry: false });
  if (!stats)
    throw new SettingsError(
      'servers-config',
      `${absolutePath} does not exist; give the path of a client configuration such as claude_desktop_config.json or .vscode/mcp.json`,
    );
  if (!stats.isFile()) throw new SettingsError('servers-config', `${absolutePath} is not a file`);
  if (stats.size > MAX_FILE_BYTES) throw new SettingsError('servers-config', `${absolutePath} is ${stats.size} bytes; a client configuration is far smaller`);
  return readFileSync(absolutePath, 'utf8').replace(/^\uFEFF/, '');
}

/** Every syntax error a strict JSON reader meets, marking those a JSONC reader accepts. */
function syntaxProblems(text: string): SyntaxProblem[] {
  const tolerated: ParseError[] = [];
  parseTree(text, tolerated, { allowTrailingComma: true, disallowComments: false });
  const strict: ParseError[] = [];
  parseTree(text, strict, { allowTrailingComma: false, disallowComments: true });
  const fatal = new Set(tolerated.map((error) => error.offset));
  const lines = lineStarts(text);
  const byOffset = new Map<number, SyntaxProblem>();
  for (const error of [...strict, ...tolerated].sort((a, b) => a.offset - b.offset)) {
    const jsoncOnly = !fatal.has(error.offset);
    // A strict reader stumbles on the } or ] after a trailing comma; the comma is what to delete.
    const offset = jsoncOnly && !text.startsWith('/', error.offset) ? trailingCommaBefore(text, error.offset) : error.offset;
    if (byOffset.has(offset)) continue;
    byOffset.set(offset, { message: describeError(error, text, jsoncOnly), ...positionOf(offset, lines), jsoncOnly });
  }
  return [...byOffset.values()];
}

function trailingCommaBefore(text: string, offset: number): number {
  let index = offset - 1;
  while (index >= 0 && /\s/.test(text[index])) index--;
  return text[index] === ',' ? index : offset;
}

function describeError(error: ParseError, text: string, jsoncOnly: boolean): string {
  if (jsoncOnly) return text.startsWith('/', error.offset) ? 'a comment' : 'a trailing comma';
  const phrases: Record<string, string> = {
    InvalidSymbol: 'an unexpected character',
    PropertyNameExpected: 'a property name in double quotes is expected',
    ValueExpected: 'a value is expected',
    ColonExpected: 'a colon is expected',
    CommaExpected: 'a comma is expected',
    CloseBraceExpected: 'a closing } is expected',
    CloseBracketExpected: 'a closing ] is expected',
    EndOfFileExpected: 'the file should end here',
    UnexpectedEndOfString: 'a string is not closed',
    InvalidEscapeCharacter: 'an invalid escape (a Windows path needs \\\\ for each \\)',
  };
  const code = printParseErrorCode(error.error);
  return phrases[code] ?? code;
}

function property(node: Node, name: string): Node | undefined {
  // The last of duplicate keys wins, as in JSON.parse.
  return node.children?.filter((member) => member.children?.[0]?.value === name).at(-1)?.children?.[1];
}

function declaredInputs(content: unknown): Map<string, string | undefined> {
  const inputs = isObject(content) && Array.isArray(content.inputs) ? content.inputs : [];
  return new Map(
    inputs
      .filter(isObject)
      .filter((input) => typeof input.id === 'string')
      .map((input) => [input.id as string, typeof input.description === 'string' ? input.description : undefined]),
  );
}

/** A drive-letter path, `%APPDATA%`, a `cmd /c` or an `.exe`: the file was written for Windows. */
function windowsEvidence(text: string, absolutePath: string): string | undefined {
  if (process.platform === 'win32') return 'the gate runs on Windows';
  const drive = /(?<![A-Za-z])[A-Za-z]:(?:\\\\|\/(?!\/))[^"]*/.exec(text)?.[0];
  if (drive) return `it holds the Windows path "${drive.replace(/\\\\/g, '\\')}"`;
  const variable = /%(?:APPDATA|LOCALAPPDATA|USERPROFILE|ProgramFiles|SystemRoot)%/i.exec(text)?.[0];
  if (variable) return `it names ${variable}`;
  if (/"command"\s*:\s*"cmd(?:\.exe)?"/i.test(text)) return 'another entry runs its command through cmd';
  if (/"command"\s*:\s*"[^"]+\.exe"/i.test(text)) return 'an entry runs an .exe';
  if (/[\\/]AppData[\\/]/i.test(absolutePath)) return 'it lives under AppData';
  return undefined;
}

function readEntry(member: Node, source: ConfigFile, context: ExpansionContext, lines: number[]): ConfiguredServer {
  const [keyNode, valueNode] = member.children ?? [];
  const name = String(keyNode?.value ?? '');
  const line = positionOf(member.offset, lines).line;
  const keyLines: Record<string, number> = {};
  for (const child of valueNode?.type === 'object' ? (valueNode.children ?? []) : []) {
    keyLines[String(child.children?.[0]?.value)] = positionOf(child.offset, lines).line;
  }
  const raw: unknown = valueNode ? getNodeValue(valueNode) : undefined;
  const entry: ConfiguredServer = {
    name,
    source,
    line,
    keyLines,
    transport: 'stdio',
    args: [],
    env: {},
    headers: {},
    unresolved: [],
    shadowedLines: [],
    disabled: false,
  };
  if (!isObject(raw)) return { ...entry, problem: 'is not an object with "command" or "url"' };
  entry.disabled = raw.disabled === true;
  const unresolved = entry.unresolved;
  const text = (value: unknown, key: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    const expanded = expand(typeof value === 'string' ? value : JSON.stringify(value), key, context);
    unresolved.push(...expanded.unresolved);
    return expanded.value;
  };
  entry.command = text(raw.command, 'command');
  entry.args = Array.isArray(raw.args) ? raw.args.map((arg, index) => text(arg, `args[${index}]`) ?? '') : [];
  entry.url = text(raw.url ?? raw.serverUrl, raw.url === undefined && raw.serverUrl !== undefined ? 'serverUrl' : 'url');
  entry.headers = textMap(raw.headers, 'headers', text);
  const cwd = text(raw.cwd, 'cwd');
  if (cwd) entry.cwd = path.resolve(context.workspaceFolder, cwd);
  entry.env = { ...readEnvFile(text(raw.envFile, 'envFile'), context, unresolved), ...textMap(raw.env, 'env', text) };
  const transport = transportOf(raw, entry);
  return typeof transport === 'string' ? { ...entry, transport } : { ...entry, problem: transport.problem };
}

function textMap(value: unknown, key: string, text: (value: unknown, key: string) => string | undefined): Record<string, string> {
  if (!isObject(value)) return {};
  // An explicit null asks the client to leave the variable out; the gate passes nothing for it either.
  return Object.fromEntries(Object.entries(value).flatMap(([name, v]) => (v === null ? [] : [[name, text(v, `${key}.${name}`) ?? '']])));
}

function readEnvFile(file: string | undefined, context: ExpansionContext, unresolved: UnresolvedPlaceholder[]): Record<string, string> {
  if (!file) return {};
  const absolute = path.resolve(context.workspaceFolder, file);
  try {
    return parseEnvFile(readFileSync(absolute, 'utf8'));
  } catch (error) {
    unresolved.push({
      key: 'envFile',
      placeholder: file,
      reason: `${absolute} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}), so none of its variables reach the server; create it in an earlier step, or set them in the step's env:.`,
    });
    return {};
  }
}

const HTTP_TYPES = new Set(['http', 'streamable-http', 'streamablehttp', 'streamable_http']);

function transportOf(raw: Record<string, unknown>, entry: ConfiguredServer): EntryTransport | { problem: string } {
  if (entry.command && entry.url) return { problem: 'has both "command" and a URL; a server is either started (command) or reached (url)' };
  const type = typeof raw.type === 'string' ? raw.type.toLowerCase() : undefined;
  if (type === 'stdio' || (type === undefined && entry.command)) {
    return entry.command ? 'stdio' : { problem: 'is a stdio server without "command"' };
  }
  if (type !== undefined && type !== 'sse' && !HTTP_TYPES.has(type)) return { problem: `has "type": "${raw.type as string}"; expected stdio, http or sse` };
  if (!entry.url) return { problem: 'has neither "command" nor "url"' };
  return type === 'sse' ? 'sse' : type ? 'streamable-http' : 'auto';
}

/** Clients keep the last of several entries of one name; the earlier ones are remembered by their lines. */
function withoutShadowed(entries: ConfiguredServer[]): ConfiguredServer[] {
  const kept = new Map<string, ConfiguredServer>();
  for (const entry of entries) {
    const earlier = kept.get(entry.name);
    if (earlier) entry.shadowedLines = [...earlier.shadowedLines, earlier.line];
    kept.delete(entry.name);
    kept.set(entry.name, entry);
  }
  return entries.filter((entry) => kept.get(entry.name) === entry);
}
