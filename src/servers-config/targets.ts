import path from 'node:path';
import type { CheckCatalogue } from '../config.js';
import type { InputName, RawInputs } from '../inputs.js';
import { parseSettings, readMaxParallel, SettingsError, type Settings } from '../settings.js';
import { FORMATS } from './formats.js';
import { readServersConfig, type ServersConfig } from './read.js';
import type { ConfiguredServer, EntryTransport } from './types.js';

/** One server of a client configuration, ready to run: its validated settings, or why it cannot run. */
export interface ServerTarget {
  name: string;
  transport: EntryTransport;
  entry: ConfiguredServer;
  settings?: Settings;
  error?: SettingsError;
  /** The inputs the entry stands for (its URL and headers are credentials to mask, as the same inputs given by hand). */
  inputs: RawInputs;
  /** Values of the entry's env whose names say they are credentials, to mask too. */
  secrets: string[];
}

export interface ServerTargets {
  config: ServersConfig;
  /** The path of the file as given, for a matrix job to pass back. */
  configPath: string;
  targets: ServerTarget[];
  /** The `max-parallel` input, validated; undefined leaves it to the machine's cores. */
  maxParallel?: number;
}

/** Inputs that describe one server by hand: the configuration file describes each server instead. */
const DESCRIBES_A_SERVER: InputName[] = ['command', 'start', 'deploy', 'url', 'health-url', 'transport'];
/** Inputs about the run as a whole, not passed on to each server's settings. */
const RUN_WIDE: InputName[] = ['servers-config', 'server', 'max-parallel'];
/** API_KEY, GITHUB_TOKEN, CLIENT_SECRET, DB_PASSWORD: names of credentials; LOG_LEVEL or AUTH_MODE are not. */
const SECRET_NAME = /(?:key|token|secret|password|passwd|credentials?)(?:_|$)/i;

/**
 * Every server `servers-config` selects (all enabled ones, or those `server` names), each turned into
 * the one validated Settings by parseSettings, from the run's other inputs and the entry.
 */
export function readServerTargets(raw: RawInputs, catalogue: CheckCatalogue, baseDirectory = process.cwd()): ServerTargets {
  const configPath = text(raw['servers-config']);
  if (!configPath) throw new SettingsError('servers-config', 'is empty; give the path of a client configuration file');
  const clash = DESCRIBES_A_SERVER.find((name) => text(raw[name]));
  if (clash)
    throw new SettingsError(
      clash,
      `cannot be combined with servers-config, which describes each server itself; remove ${clash}, or edit the entry in ${configPath}`,
    );
  const maxParallel = readMaxParallel(raw);
  const workingDirectory = path.resolve(baseDirectory, text(raw['working-directory']) ?? '.');
  const config = readServersConfig(configPath, { workspace: path.resolve(baseDirectory), workingDirectory });
  const selected = selectEntries(config, names(raw.server));
  const shared: RawInputs = Object.fromEntries(Object.entries(raw).filter(([name]) => !RUN_WIDE.includes(name as InputName)));
  const targets = selected.map((entry) => toTarget(entry, shared, catalogue, baseDirectory));
  return { config, configPath, targets, maxParallel };
}

function text(value: string | string[] | undefined): string | undefined {
  const joined = (Array.isArray(value) ? value.join('\n') : value)?.trim();
  return joined ? joined : undefined;
}

function names(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : [value ?? ''])
    .flatMap((v) => v.split(/\r?\n/))
    .map((v) => v.trim())
    .filter(Boolean);
}

function selectEntries(config: ServersConfig, wanted: string[]): ConfiguredServer[] {
  const { entries, source } = config;
  if (!wanted.length) {
    const enabled = entries.filter((entry) => !entry.disabled);
    if (!enabled.length)
      throw new SettingsError(
        'servers-config',
        `${source.file} has no enabled server${entries.length ? ` (disabled: ${entries.map((e) => e.name).join(', ')}); name one with server` : ''}`,
      );
    return enabled;
  }
  const unknown = wanted.filter((name) => !entries.some((entry) => entry.name === name));
  if (unknown.length) {
    throw new SettingsError(
      'server',
      `${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in ${source.file}; its servers are ${entries.map((e) => e.name).join(', ') || '(none)'}`,
    );
  }
  return entries.filter((entry) => wanted.includes(entry.name));
}

function toTarget(entry: ConfiguredServer, shared: RawInputs, catalogue: CheckCatalogue, baseDirectory: string): ServerTarget {
  const secrets = Object.entries(entry.env)
    .filter(([name]) => SECRET_NAME.test(name))
    .map(([, value]) => value);
  const inputs = entry.problem ? {} : inputsOf(entry, shared);
  const target: ServerTarget = { name: entry.name, transport: entry.transport, entry, inputs, secrets };
  try {
    if (entry.problem) throw new SettingsError('servers-config', entry.problem);
    const settings = parseSettings({ ...shared, ...inputs }, catalogue, baseDirectory);
    target.settings = { ...settings, serverConfig: entry };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    target.error = new SettingsError(error.input, `server "${entry.name}" (${entry.source.file}:${entry.line}): ${error.message.replace(/^[^:]*:\s*/, '')}`);
  }
  return target;
}

/** The inputs an entry stands for: the stdio command for display (it runs as argv), or the URL and headers. */
function inputsOf(entry: ConfiguredServer, shared: RawInputs): RawInputs {
  if (entry.transport === 'stdio') return { command: displayCommand([entry.command ?? '', ...entry.args]), transport: 'stdio' };
  const headers = Object.entries(entry.headers).map(([name, value]) => `${name}: ${value}`);
  const given = shared.header === undefined ? [] : Array.isArray(shared.header) ? shared.header : [shared.header];
  return { url: entry.url, header: [...headers, ...given], transport: entry.transport };
}

/** The argv as a POSIX shell would need it quoted: for logs and reports only, never run through a shell. */
export function displayCommand(argv: string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** What a `strategy.matrix` job needs to verify one server: `--servers-config <config> --server <server>`. */
export interface MatrixItem {
  name: string;
  server: string;
  transport: 'stdio' | 'http' | 'sse';
  config: string;
  client: string;
}

export function matrixOf({ targets, configPath, config }: ServerTargets): MatrixItem[] {
  return targets.map((target) => ({
    name: target.name,
    server: target.name,
    transport: target.transport === 'stdio' ? 'stdio' : target.transport === 'sse' ? 'sse' : 'http',
    config: configPath,
    client: FORMATS[config.source.format].label,
  }));
}
