import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { LIMIT_DEFAULTS, RESOURCE_DEFAULTS, THRESHOLD_DEFAULTS, VERSION_MATRIX_DEFAULT, type VersionMatrix } from './config-defaults.js';
import { CONFIG_SCHEMA } from './config-schema.js';
import type { Severity } from './findings.js';
import { SettingsError } from './settings-error.js';
import { expressionIn } from './util/json-path.js';

export interface SmokeCall {
  tool: string;
  arguments?: Record<string, unknown>;
  expect?: { isError?: boolean; textContains?: string; json?: Record<string, unknown> };
}

/**
 * A reviewed false positive, silenced for one tool, prompt or resource; `rule` narrows it to one
 * sub-rule of the check, so a later, different finding about the same tool still shows.
 */
export interface IgnoreEntry {
  id: string;
  tool?: string;
  prompt?: string;
  resource?: string;
  rule?: string;
  reason: string;
}

/**
 * The checks a configuration file may name, handed in by the caller (checks/index.ts builds it from the
 * registry): the settings sit below the checks and never import them. `ignorable` holds, per check that
 * honours `ignore` entries, the sub-rules an entry may name.
 */
export interface CheckCatalogue {
  ids: readonly string[];
  ignorable: Readonly<Record<string, readonly string[]>>;
}

/** The configuration file, validated, with every default applied. */
export interface PreflightConfig {
  /** The file it came from, for messages; undefined when none was found. */
  source?: string;
  severity: Record<string, Severity | 'off'>;
  skip: string[];
  calls: SmokeCall[];
  thresholds: { slowStartupMs: number; latencyP95Ms: number; latencyBurst: number; maxDescriptionLength: number };
  maxPages?: number;
  resources: { readCount: number; maxBytes: number };
  limits: Limits;
  ignore: IgnoreEntry[];
  versionMatrix: VersionMatrix;
}

/** How much of the server's answers the gate reads and keeps (see LIMIT_DEFAULTS). */
export interface Limits {
  maxBodyBytes: number;
  maxItems: number;
  maxSurfaceBytes: number;
  maxDepth: number;
}

export const DEFAULT_CONFIG: PreflightConfig = {
  severity: {},
  skip: [],
  calls: [],
  thresholds: { ...THRESHOLD_DEFAULTS },
  resources: { ...RESOURCE_DEFAULTS },
  limits: { ...LIMIT_DEFAULTS },
  ignore: [],
  versionMatrix: VERSION_MATRIX_DEFAULT,
};

/** Looked for in the working directory when the `config` input is not set. */
export const CONFIG_FILE_NAMES = ['mcp-preflight.config.json', 'mcp-preflight.config.yaml', 'mcp-preflight.config.yml'];

/** Compiled on first use: most runs have no configuration file, and compiling costs start-up time. */
let validateConfig: ValidateFunction | undefined;
function configValidator(): ValidateFunction {
  validateConfig ??= new Ajv2020({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  return validateConfig;
}

export function loadConfig(explicitPath: string | undefined, directory: string, catalogue: CheckCatalogue): PreflightConfig {
  const file = explicitPath ? path.resolve(directory, explicitPath) : CONFIG_FILE_NAMES.map((n) => path.join(directory, n)).find(existsSync);
  if (!file) return DEFAULT_CONFIG;
  if (!existsSync(file)) throw new SettingsError('config', `${file} does not exist; give the path of a .json or .yaml configuration file`);
  return parseConfig(readFileSync(file, 'utf8'), file, catalogue);
}

export function parseConfig(text: string, file: string, catalogue: CheckCatalogue): PreflightConfig {
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new SettingsError('config', `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const validate = configValidator();
  if (!validate(data ?? {})) {
    const first = validate.errors?.[0];
    const key = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
    const detail =
      first?.keyword === 'additionalProperties' ? `unknown key "${(first.params as { additionalProperty: string }).additionalProperty}"` : first?.message;
    throw new SettingsError('config', `${file}: ${key}: ${detail}`);
  }
  const raw = (data ?? {}) as Partial<PreflightConfig> & {
    thresholds?: Partial<PreflightConfig['thresholds']>;
    resources?: Partial<PreflightConfig['resources']>;
    limits?: Partial<Limits>;
  };
  const config: PreflightConfig = {
    source: file,
    severity: raw.severity ?? {},
    skip: raw.skip ?? [],
    calls: raw.calls ?? [],
    thresholds: { ...DEFAULT_CONFIG.thresholds, ...raw.thresholds },
    maxPages: raw.maxPages,
    resources: { ...DEFAULT_CONFIG.resources, ...raw.resources },
    limits: { ...DEFAULT_CONFIG.limits, ...raw.limits },
    ignore: raw.ignore ?? [],
    versionMatrix: raw.versionMatrix ?? DEFAULT_CONFIG.versionMatrix,
  };
  checkIds(config, file, catalogue.ids);
  checkIgnores(config.ignore, file, catalogue.ignorable);
  checkJsonPaths(config.calls, file);
  return config;
}

/** A misspelt id would silently do nothing; name it and the closest real ones. */
function checkIds(config: PreflightConfig, file: string, ids: readonly string[]): void {
  const known = new Set(ids);
  for (const [where, ids] of [
    ['severity', Object.keys(config.severity)],
    ['skip', config.skip],
  ] as const) {
    const unknown = ids.find((id) => !known.has(id));
    if (unknown) {
      const area = unknown.split('.')[0];
      const near = [...known].filter((id) => id.startsWith(`${area}.`));
      throw new SettingsError('config', `${file}: ${where}: unknown check id "${unknown}"${near.length ? `; ${area} checks are ${near.join(', ')}` : ''}`);
    }
  }
}

/** Expectations name values by position: an expression in a path would be code from the file, run by the gate. */
function checkJsonPaths(calls: SmokeCall[], file: string): void {
  calls.forEach((call, i) => {
    for (const path of Object.keys(call.expect?.json ?? {})) {
      const expression = expressionIn(path);
      if (expression === undefined) continue;
      throw new SettingsError(
        'config',
        `${file}: calls.${i}.expect.json: the path ${JSON.stringify(path)} has the expression "${expression}"; the gate evaluates no code from the configuration file, which any pull request can change. Name the value by its position instead, e.g. "$.items[0].id".`,
      );
    }
  });
}

/** Each entry names one subject, and a check and sub-rule that honour ignores: otherwise it would silence nothing. */
function checkIgnores(ignore: IgnoreEntry[], file: string, ignorable: CheckCatalogue['ignorable']): void {
  ignore.forEach((entry, i) => {
    const where = `${file}: ignore.${i}`;
    // `id` is the user's text: "__proto__" must not reach Object.prototype.
    const rules = Object.hasOwn(ignorable, entry.id) ? ignorable[entry.id] : undefined;
    if (!rules)
      throw new SettingsError(
        'config',
        `${where}: "${entry.id}" cannot be ignored per tool; ignore entries apply to ${Object.keys(ignorable).join(', ')} (use severity or skip for other checks)`,
      );
    const subjects = (['tool', 'prompt', 'resource'] as const).filter((key) => entry[key] !== undefined);
    if (subjects.length !== 1)
      throw new SettingsError('config', `${where}: name exactly one of tool, prompt or resource (got ${subjects.length ? subjects.join(' and ') : 'none'})`);
    if (entry.rule !== undefined && !rules.includes(entry.rule)) {
      throw new SettingsError('config', `${where}: unknown rule "${entry.rule}" of ${entry.id}; its rules are ${rules.join(', ')}`);
    }
  });
}
