import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { SettingsError } from '../settings-error.js';

/** What the registry publishes from `server.json`, as far as the gate reads it. Everything is optional: the schema check judges shape. */
export interface ServerJson {
  $schema?: unknown;
  name?: unknown;
  version?: unknown;
  description?: unknown;
  packages?: unknown;
  remotes?: unknown;
  [key: string]: unknown;
}

/** The project files the registry's ownership and version rules compare `server.json` with, read beside it. */
export interface ProjectManifests {
  /** package.json: its `name`, `version` and `mcpName` (the registry's npm ownership proof). */
  packageJson?: { file: string; name?: string; version?: string; mcpName?: string };
  /** pyproject.toml: `[project]` (or `[tool.poetry]`) name and version; undefined version when it is dynamic. */
  pyproject?: { file: string; name?: string; version?: string; dynamicVersion: boolean };
  /** The `mcp-name:` marker in README.md, the registry's PyPI ownership proof (PyPI publishes the README). */
  readmeMcpName?: { file: string; names: string[] };
}

/** `server.json` as the `server-json` input found it, with the manifests beside it. */
export interface ServerJsonFile {
  /** As the user wrote it, or `server.json` for the default. */
  source: string;
  file: string;
  data: ServerJson;
  manifests: ProjectManifests;
}

export const DEFAULT_SERVER_JSON = 'server.json';
/** A server.json is a few kilobytes; anything far larger is not one. */
const MAX_BYTES = 1024 * 1024;

/**
 * Reads `server-json` before anything starts. Without the input, `server.json` in the working directory is
 * read when present (and its absence is no error); a file the user named must exist and parse. A file that
 * is not JSON stops the run here with its line and column, since every registry check would be guesswork.
 */
export function readServerJson(source: string | undefined, workingDirectory: string): ServerJsonFile | undefined {
  const file = path.resolve(workingDirectory, source ?? DEFAULT_SERVER_JSON);
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats) {
    if (!source) return undefined;
    throw new SettingsError(
      'server-json',
      `${file} does not exist; give the path of the server.json you publish to the MCP Registry (relative to working-directory), or leave server-json empty`,
    );
  }
  if (!stats.isFile()) throw new SettingsError('server-json', `${file} is not a file; give the path of server.json, e.g. server.json`);
  if (stats.size > MAX_BYTES) throw new SettingsError('server-json', `${file} is ${stats.size} bytes; a server.json is far smaller, so this is not one`);
  const text = readFileSync(file, 'utf8');
  const data = parseStrictJson(text, file);
  return { source: source ?? DEFAULT_SERVER_JSON, file, data, manifests: readManifests(path.dirname(file)) };
}

function parseStrictJson(text: string, file: string): ServerJson {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !tree) {
    const first = errors[0];
    const where = first ? lineAndColumn(text, first.offset) : { line: 1, column: 1 };
    const what = first ? printParseErrorCode(first.error) : 'empty file';
    throw new SettingsError(
      'server-json',
      `${file} is not valid JSON: ${what} at line ${where.line}, column ${where.column}. mcp-publisher reads it as strict JSON: no comments, no trailing commas`,
    );
  }
  const data: unknown = JSON.parse(text);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SettingsError(
      'server-json',
      `${file} holds ${Array.isArray(data) ? 'an array' : JSON.stringify(data)}; server.json is one object with name, version and description`,
    );
  }
  return data as ServerJson;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** package.json, pyproject.toml and README.md beside server.json; one that cannot be read is left out, not an error. */
function readManifests(directory: string): ProjectManifests {
  return {
    packageJson: readPackageJson(path.join(directory, 'package.json')),
    pyproject: readPyproject(path.join(directory, 'pyproject.toml')),
    readmeMcpName: readReadmeMarker(path.join(directory, 'README.md')),
  };
}

function readText(file: string): string | undefined {
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats?.isFile() || stats.size > MAX_BYTES) return undefined;
  return readFileSync(file, 'utf8');
}

function readPackageJson(file: string): ProjectManifests['packageJson'] {
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const text_ = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return { file, name: text_(json.name), version: text_(json.version), mcpName: text_(json.mcpName) };
  } catch {
    return undefined;
  }
}

/**
 * The name and version of `[project]` (PEP 621), else `[tool.poetry]`. A small reader rather than a TOML
 * parser: only `key = "value"` lines inside those tables are read, which is how both are written in practice.
 */
function readPyproject(file: string): ProjectManifests['pyproject'] {
  const text = readText(file);
  if (text === undefined) return undefined;
  const tables = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  let dynamicVersion = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[([^[\]]+)\]$/.exec(line);
    if (header) {
      current = {};
      tables.set(header[1].trim(), current);
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\[.*\]))/.exec(line);
    if (!pair || !current) continue;
    if (pair[1] === 'dynamic' && pair[4]?.includes('version') && current === tables.get('project')) dynamicVersion = true;
    current[pair[1]] = pair[2] ?? pair[3] ?? pair[4];
  }
  const table = tables.get('project') ?? tables.get('tool.poetry');
  if (!table) return undefined;
  return { file, name: table.name, version: dynamicVersion ? undefined : table.version, dynamicVersion };
}

/** `mcp-name: io.github.user/server`, usually in an HTML comment so it does not show on PyPI. */
function readReadmeMarker(file: string): ProjectManifests['readmeMcpName'] {
  const text = readText(file);
  if (text === undefined) return undefined;
  const names = [...text.matchAll(/mcp-name:\s*([A-Za-z0-9.-]+\/[A-Za-z0-9._-]+)/g)].map((match) => match[1]);
  return { file, names };
}
