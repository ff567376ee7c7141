import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AcceptedFileError, parseAcceptedFile, type AcceptedFindings } from './accepted-file.js';
import { INPUTS, type InputName, type RawInputs } from './inputs.js';
import { SettingsError } from './settings-error.js';
import { loadConfig, type CheckCatalogue, type PreflightConfig } from './config.js';
import { readBaseline, type Baseline } from './baseline.js';
import { DEFAULT_SNAPSHOT_FILE } from './surface/snapshot.js';
import type { ConfiguredServer } from './servers-config/types.js';
import type { HttpLimits } from './util/http/request.js';
import { readServerJson, type ServerJsonFile } from './registry/server-json.js';

export const TRANSPORTS = ['auto', 'stdio', 'streamable-http', 'sse'] as const;
export const FAIL_ON = ['error', 'warning', 'never'] as const;

export type TransportChoice = (typeof TRANSPORTS)[number];
export type FailOn = (typeof FAIL_ON)[number];
export const EXPECT_AUTH = ['auto', 'true', 'false'] as const;
export const COMMENT_MODES = ['auto', 'always', 'never'] as const;
export const BOOLEANS = ['true', 'false'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

/** OAuth 2.1 client credentials, for servers that demand a token and where nobody can click through consent. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  scope?: string;
  tokenUrl?: URL;
}

/** The one validated description of a run: everything the engine needs, nothing raw. */
export interface Settings {
  command?: string;
  start?: string;
  deploy?: string;
  teardown?: string;
  url?: URL;
  healthUrl?: URL;
  transport: TransportChoice;
  startupTimeoutMs: number;
  requestTimeoutMs: number;
  headers: Record<string, string>;
  bearerToken?: string;
  oauth?: OAuthClient;
  /** Whether anonymous requests must be refused; `auto` decides from what the server does. */
  expectAuth: (typeof EXPECT_AUTH)[number];
  failOn: FailOn;
  /** Findings reviewed and accepted for now: they are reported, but only new findings fail the gate. */
  accepted?: AcceptedFindings;
  reportPath?: string;
  sarifPath?: string;
  junitPath?: string;
  /** Where the definitions of tools, prompts and resources are searched, for annotation locations. */
  sourceRoot: string;
  comment: CommentMode;
  githubToken?: string;
  maxPages: number;
  /** The surface snapshot the live surface is compared with (`baseline`), read and checked before the run. */
  baseline?: Baseline;
  /** `update-baseline`: the file the live surface snapshot is written to, instead of running the checklist. */
  snapshotPath?: string;
  /** The registry's server.json (`server-json`, else server.json in the working directory), read and parsed before the run. */
  serverJson?: ServerJsonFile;
  /** The repository root (GITHUB_WORKSPACE on a runner): annotation paths are relative to it. */
  workspace: string;
  workingDirectory: string;
  config: PreflightConfig;
  /**
   * The client configuration entry this target was read from (servers-config): a stdio entry runs as
   * its `command` and `args` without a shell, with its `env` and `cwd`; the config.* checks lint it.
   */
  serverConfig?: ConfiguredServer;
}

export { SettingsError } from './settings-error.js';

/** The bounds of every HTTP request the gate makes itself: request-timeout and limits.maxBodyBytes. */
export function httpLimitsOf(settings: Pick<Settings, 'requestTimeoutMs' | 'config'>): HttpLimits {
  return { timeoutMs: settings.requestTimeoutMs, maxBodyBytes: settings.config.limits.maxBodyBytes };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_TIMEOUT_SECONDS = 3600;
/** Below this a time-out is a typo (0.0001 for 100 ms?) and would blame the server for the gate's own deadline. */
const MIN_TIMEOUT_SECONDS = 0.1;
const DEFAULT_MAX_PAGES = 100;
const MAX_PARALLEL = 64;

export function parseSettings(raw: RawInputs, catalogue: CheckCatalogue, baseDirectory = process.cwd()): Settings {
  for (const key of Object.keys(raw)) {
    if (!INPUTS.some((input) => input.name === key)) {
      throw new SettingsError(key as InputName, `unknown input; known inputs are ${INPUTS.map((i) => i.name).join(', ')}`);
    }
  }
  if (readText(raw, 'server')) throw new SettingsError('server', 'needs servers-config: the client configuration file whose entries it names');
  if (readText(raw, 'max-parallel'))
    throw new SettingsError('max-parallel', 'needs servers-config: one server is verified at a time unless a client configuration names several');
  if (readText(raw, 'servers-config')) {
    throw new SettingsError(
      'servers-config',
      'names several servers; its entries are read with readServerTargets (src/servers-config/targets.ts), one Settings each',
    );
  }
  const command = readText(raw, 'command');
  const start = readText(raw, 'start');
  const deploy = readText(raw, 'deploy');
  const url = readUrl(raw, 'url');
  const transport = readChoice(raw, 'transport', TRANSPORTS);
  const workingDirectory = readDirectory(raw, 'working-directory', baseDirectory);
  const config = loadConfig(readText(raw, 'config'), workingDirectory, catalogue);
  const settings: Settings = {
    command,
    start,
    deploy,
    teardown: readText(raw, 'teardown'),
    url,
    healthUrl: readUrl(raw, 'health-url'),
    transport,
    startupTimeoutMs: readSeconds(raw, 'startup-timeout'),
    requestTimeoutMs: readSeconds(raw, 'request-timeout'),
    headers: readHeaders(raw),
    bearerToken: readText(raw, 'bearer-token'),
    oauth: readOAuth(raw),
    expectAuth: readChoice(raw, 'expect-auth', EXPECT_AUTH),
    failOn: readChoice(raw, 'fail-on', FAIL_ON),
    accepted: readAccepted(raw, workingDirectory),
    reportPath: readFilePath(raw, 'report', workingDirectory),
    sarifPath: readFilePath(raw, 'sarif', workingDirectory),
    junitPath: readFilePath(raw, 'junit', workingDirectory),
    sourceRoot: path.resolve(workingDirectory, readText(raw, 'source-root') ?? '.'),
    comment: readChoice(raw, 'comment', COMMENT_MODES),
    githubToken: readText(raw, 'github-token'),
    maxPages: readText(raw, 'max-pages') ? readInteger(raw, 'max-pages', 1, 10_000) : (config.maxPages ?? DEFAULT_MAX_PAGES),
    ...readSurfaceBaseline(raw, workingDirectory),
    serverJson: readServerJson(readText(raw, 'server-json'), workingDirectory),
    workspace: path.resolve(baseDirectory),
    workingDirectory,
    config,
  };
  checkCombination(settings);
  // Sent like any other header, so every HTTP path (transport, probes, raw checks) carries it.
  if (settings.bearerToken) settings.headers = { ...settings.headers, Authorization: `Bearer ${settings.bearerToken}` };
  return settings;
}

/** Rejects combinations that cannot describe one server, naming the input to change. */
function checkCombination(s: Settings): void {
  if (s.command && (s.url || s.start || s.deploy)) {
    const other = s.url ? 'url' : s.start ? 'start' : 'deploy';
    throw new SettingsError('command', `a stdio server (command) cannot be combined with "${other}"; use command for stdio, or start/deploy with url for HTTP`);
  }
  if (s.start && s.deploy) {
    throw new SettingsError('start', 'start and deploy both launch the server; set only one');
  }
  if (s.start && !s.url) {
    throw new SettingsError('url', 'start needs url: the MCP endpoint the started server listens on, e.g. http://127.0.0.1:3000/mcp');
  }
  if (!s.command && !s.url && !s.deploy) {
    throw new SettingsError(
      'command',
      'nothing to verify; set command (stdio server), url (HTTP server), deploy, or servers-config (a client configuration file)',
    );
  }
  if (s.command && s.healthUrl) {
    throw new SettingsError('health-url', 'a stdio server (command) has no health endpoint; remove health-url or use start with url');
  }
  if (s.command && (s.bearerToken || s.oauth)) {
    throw new SettingsError(
      s.bearerToken ? 'bearer-token' : 'oauth-client-id',
      'credentials are sent over HTTP; a stdio server (command) takes them from its environment instead',
    );
  }
  if (s.bearerToken && s.oauth) {
    throw new SettingsError('bearer-token', 'give either bearer-token or the oauth-client-* inputs, not both');
  }
  if (s.bearerToken && Object.keys(s.headers).some((name) => name.toLowerCase() === 'authorization')) {
    throw new SettingsError('bearer-token', 'an Authorization header is already set through header; remove one of them');
  }
  if (s.transport === 'stdio' && !s.command) {
    throw new SettingsError('transport', 'stdio needs command; for an HTTP server use auto, streamable-http or sse');
  }
  if ((s.transport === 'streamable-http' || s.transport === 'sse') && s.command) {
    throw new SettingsError('transport', `${s.transport} needs url; a command is a stdio server, so use auto or stdio`);
  }
}

function readText(raw: RawInputs, name: InputName): string | undefined {
  const value = raw[name];
  const text = Array.isArray(value) ? value.join('\n') : value;
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

function defaultOf(name: InputName): string | undefined {
  const spec = INPUTS.find((input) => input.name === name);
  return spec && 'default' in spec ? spec.default : undefined;
}

function readChoice<T extends string>(raw: RawInputs, name: InputName, choices: readonly T[]): T {
  const value = (readText(raw, name) ?? defaultOf(name) ?? '').toLowerCase();
  if (!(choices as readonly string[]).includes(value)) {
    throw new SettingsError(name, `got "${value}"; accepted values are ${choices.join(', ')}`);
  }
  return value as T;
}

function readNumber(raw: RawInputs, name: InputName): number {
  const text = readText(raw, name) ?? defaultOf(name) ?? '';
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new SettingsError(name, `got "${text}"; expected a number`);
  return value;
}

function readSeconds(raw: RawInputs, name: InputName): number {
  const seconds = readNumber(raw, name);
  if (!(seconds >= MIN_TIMEOUT_SECONDS) || seconds > MAX_TIMEOUT_SECONDS) {
    throw new SettingsError(name, `got ${seconds}; expected seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}`);
  }
  return Math.round(seconds * 1000);
}

function readInteger(raw: RawInputs, name: InputName, min: number, max: number): number {
  const value = readNumber(raw, name);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(name, `got ${value}; expected a whole number from ${min} to ${max}`);
  }
  return value;
}

/** `max-parallel`: how many servers of servers-config run at once; undefined leaves it to the machine's cores. */
export function readMaxParallel(raw: RawInputs): number | undefined {
  return readText(raw, 'max-parallel') ? readInteger(raw, 'max-parallel', 1, MAX_PARALLEL) : undefined;
}

/** A directory that exists: otherwise every command fails to start, and the failure looks like the server's. */
function readDirectory(raw: RawInputs, name: InputName, baseDirectory: string): string {
  const directory = path.resolve(baseDirectory, readText(raw, name) ?? '.');
  const stats = statSync(directory, { throwIfNoEntry: false });
  if (!stats) throw new SettingsError(name, `${directory} does not exist; give an existing directory, relative to the workspace`);
  if (!stats.isDirectory()) throw new SettingsError(name, `${directory} is a file; give a directory`);
  return directory;
}

/** A file to write at the end of the run: refused now if it cannot be written there, not after the whole run. */
function readFilePath(raw: RawInputs, name: InputName, workingDirectory: string): string | undefined {
  const text = readText(raw, name);
  if (!text) return undefined;
  if (statSync(path.resolve(workingDirectory, text), { throwIfNoEntry: false })?.isDirectory()) {
    throw new SettingsError(
      name,
      `${text} is a directory; give the path of a file to write, e.g. ${name === 'baseline' ? path.join(text, DEFAULT_SNAPSHOT_FILE) : path.join(text, `preflight-${name}.${name === 'report' ? 'json' : name === 'sarif' ? 'sarif' : 'xml'}`)}`,
    );
  }
  return text;
}

/** Read and validated before the run: a typo in the file must not surface as every finding being new. */
function readAccepted(raw: RawInputs, workingDirectory: string): AcceptedFindings | undefined {
  const source = readText(raw, 'accepted');
  if (!source) return undefined;
  const file = path.resolve(workingDirectory, source);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`;
    throw new SettingsError('accepted', `${file} ${cause}; write it with: npx mcp-preflight --accept-current [target flags] > ${source}`);
  }
  try {
    return { source, entries: parseAcceptedFile(text) };
  } catch (error) {
    if (error instanceof AcceptedFileError) throw new SettingsError('accepted', `${source} ${error.message}`);
    throw error;
  }
}

function readUrl(raw: RawInputs, name: InputName): URL | undefined {
  const text = readText(raw, name);
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SettingsError(name, `got "${text}"; expected an absolute http:// or https:// URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingsError(name, `got "${text}"; expected an http:// or https:// URL`);
  }
  // Kept as written: a server with a Host allow-list accepts only the name it was told (see target/loopback-route.ts).
  return url;
}

/**
 * `update-baseline` writes the snapshot where `baseline` points (so one input names the file in both
 * modes); otherwise `baseline` is read now, so a missing or unreadable one stops the run before it starts.
 */
function readSurfaceBaseline(raw: RawInputs, workingDirectory: string): Pick<Settings, 'baseline' | 'snapshotPath'> {
  const source = readText(raw, 'baseline');
  if (readChoice(raw, 'update-baseline', BOOLEANS) === 'true') {
    if (source?.startsWith('git:'))
      throw new SettingsError('baseline', `update-baseline writes a file, and "${source}" is a git ref; give the file's path, e.g. mcp-surface.json`);
    return { snapshotPath: readFilePath({ baseline: source ?? DEFAULT_SNAPSHOT_FILE }, 'baseline', workingDirectory) };
  }
  return source ? { baseline: readBaseline(source, workingDirectory) } : {};
}

function readOAuth(raw: RawInputs): OAuthClient | undefined {
  const clientId = readText(raw, 'oauth-client-id');
  const clientSecret = readText(raw, 'oauth-client-secret');
  const scope = readText(raw, 'oauth-scope');
  const tokenUrl = readUrl(raw, 'oauth-token-url');
  if (!clientId && !clientSecret) {
    const stray = scope ? 'oauth-scope' : tokenUrl ? 'oauth-token-url' : undefined;
    if (stray) throw new SettingsError(stray, 'needs oauth-client-id and oauth-client-secret');
    return undefined;
  }
  if (!clientId) throw new SettingsError('oauth-client-id', 'is required with oauth-client-secret');
  if (!clientSecret) throw new SettingsError('oauth-client-secret', 'is required with oauth-client-id');
  return { clientId, clientSecret, scope, tokenUrl };
}

function readHeaders(raw: RawInputs): Record<string, string> {
  const value = raw.header;
  const lines = (Array.isArray(value) ? value : [value ?? '']).flatMap((entry) => entry.split(/\r?\n/));
  const headers: Record<string, string> = {};
  for (const [index, line] of lines.map((l) => l.trim()).entries()) {
    if (!line) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!HEADER_NAME.test(name)) {
      // The line may hold a secret, so it is named by its number rather than quoted.
      throw new SettingsError('header', `line ${index + 1} has no valid "Name:" before its value; write one "Name: value" per line`);
    }
    const value = line.slice(colon + 1).trim();
    // A bare CR or another control character would be refused by fetch on the first request, or split the header.
    if ([...value].some((c) => c !== '\t' && (c < ' ' || c === '\x7f'))) {
      throw new SettingsError('header', `line ${index + 1} has a control character (such as a carriage return) in its value; write one "Name: value" per line`);
    }
    headers[name] = value;
  }
  return headers;
}
