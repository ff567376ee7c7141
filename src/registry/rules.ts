import type { ProjectManifests, ServerJson } from './server-json.js';

/**
 * The registry's publish-time rules and the comparisons with the project and the live server, as pure
 * functions: each returns what it found, and the registry.* checks decide how bad it is.
 */

/** An entry of server.json's packages, as far as the rules read it. */
export interface PackageEntry {
  index: number;
  registryType?: string;
  identifier?: string;
  version?: string;
  transportType?: string;
  transportUrl?: string;
}

export interface RemoteEntry {
  index: number;
  type?: string;
  url?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export function packagesOf(data: ServerJson): PackageEntry[] {
  return (Array.isArray(data.packages) ? data.packages : []).map((raw, index) => {
    const entry = record(raw);
    const transport = record(entry.transport);
    return {
      index,
      registryType: text(entry.registryType),
      identifier: text(entry.identifier),
      version: text(entry.version),
      transportType: text(transport.type),
      transportUrl: text(transport.url),
    };
  });
}

export function remotesOf(data: ServerJson): RemoteEntry[] {
  return (Array.isArray(data.remotes) ? data.remotes : []).map((raw, index) => {
    const entry = record(raw);
    return { index, type: text(entry.type), url: text(entry.url) };
  });
}

/**
 * The registry's `looksLikeVersionRange` (internal/validators): a comparator (^ ~ >= <= > < =), a hyphen
 * range ("1 - 2"), an alternative ("1.2 || 1.3"), or a dotted version with a wildcard (1.x, 1.2.*).
 */
export function looksLikeVersionRange(version: string): boolean {
  const trimmed = version.trim();
  if (!trimmed) return false;
  if (/^\s*(\^|~|>=|<=|>|<|=)\s*v?\d/.test(trimmed)) return true;
  if (/^\s*v?\d+(\.\d+){0,2}\s+-\s+v?\d+(\.\d+){0,2}\s*$/.test(trimmed)) return true;
  if (/\|\|/.test(trimmed)) return true;
  if (/^v?(\d+|[xX*])(\.(\d+|[xX*])){0,2}$/.test(trimmed)) return /[xX*]/.test(trimmed);
  return false;
}

export type VersionIssue =
  /** The registry refuses it on publish. */
  | { kind: 'refused'; where: string; value: string; reason: 'latest' | 'range' }
  /** The package version the registry would record is not the one this commit's manifest builds. */
  | { kind: 'manifest-differs'; where: string; value: string; manifest: string; manifestVersion: string };

/** The version rules: no `latest`, no ranges (server and packages), and agreement with package.json / pyproject.toml. */
export function checkVersions(data: ServerJson, manifests: ProjectManifests): VersionIssue[] {
  const issues: VersionIssue[] = [];
  const judge = (where: string, value: string | undefined) => {
    if (value === undefined) return;
    if (value === 'latest') issues.push({ kind: 'refused', where, value, reason: 'latest' });
    else if (looksLikeVersionRange(value)) issues.push({ kind: 'refused', where, value, reason: 'range' });
  };
  judge('version', text(data.version));
  for (const entry of packagesOf(data)) judge(`packages[${entry.index}].version`, entry.version);
  if (issues.length) return issues;
  for (const { where, value, manifest, manifestVersion } of manifestComparisons(data, manifests)) {
    if (value !== manifestVersion) issues.push({ kind: 'manifest-differs', where, value, manifest, manifestVersion });
  }
  return issues;
}

/** Each package of this project (npm: package.json's name; pypi: pyproject's name), with its manifest version. */
function manifestComparisons(data: ServerJson, { packageJson, pyproject }: ProjectManifests) {
  const comparisons: { where: string; value: string; manifest: string; manifestVersion: string }[] = [];
  const serverVersion = text(data.version);
  for (const entry of packagesOf(data)) {
    const manifest =
      entry.registryType === 'npm' && packageJson?.version && entry.identifier === packageJson.name
        ? { file: packageJson.file, version: packageJson.version }
        : entry.registryType === 'pypi' && pyproject?.version && samePythonName(entry.identifier, pyproject.name)
          ? { file: pyproject.file, version: pyproject.version }
          : undefined;
    if (!manifest) continue;
    // The registry installs packages[].version; a package without one is installed at the server's version.
    const value = entry.version ?? serverVersion;
    if (value !== undefined)
      comparisons.push({
        where: entry.version !== undefined ? `packages[${entry.index}].version` : 'version',
        value,
        manifest: manifest.file,
        manifestVersion: manifest.version,
      });
  }
  return comparisons;
}

/** PEP 503: names compare case-insensitively with runs of -, _ and . as one. */
function samePythonName(a: string | undefined, b: string | undefined): boolean {
  const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
  return a !== undefined && b !== undefined && normalize(a) === normalize(b);
}

export type OwnershipIssue =
  | { kind: 'npm-missing'; identifier: string; manifest: string }
  | { kind: 'npm-differs'; identifier: string; manifest: string; mcpName: string }
  | { kind: 'pypi-missing'; identifier: string; readme?: string }
  | { kind: 'pypi-differs'; identifier: string; readme: string; names: string[] };

/**
 * The registry proves ownership of an npm package by `mcpName` in its package.json, and of a PyPI package by
 * an `mcp-name: <name>` marker in its description (the README): both must equal server.json's `name`. Only
 * this project's own packages are judged, from the files beside server.json.
 */
export function checkOwnership(data: ServerJson, { packageJson, pyproject, readmeMcpName }: ProjectManifests): OwnershipIssue[] {
  const name = text(data.name);
  if (!name) return [];
  const issues: OwnershipIssue[] = [];
  for (const entry of packagesOf(data)) {
    if (!entry.identifier) continue;
    if (entry.registryType === 'npm' && packageJson && entry.identifier === packageJson.name) {
      if (packageJson.mcpName === undefined) issues.push({ kind: 'npm-missing', identifier: entry.identifier, manifest: packageJson.file });
      else if (packageJson.mcpName !== name)
        issues.push({ kind: 'npm-differs', identifier: entry.identifier, manifest: packageJson.file, mcpName: packageJson.mcpName });
    }
    if (entry.registryType === 'pypi' && pyproject && samePythonName(entry.identifier, pyproject.name)) {
      if (!readmeMcpName?.names.length) issues.push({ kind: 'pypi-missing', identifier: entry.identifier, readme: readmeMcpName?.file });
      else if (!readmeMcpName.names.includes(name))
        issues.push({ kind: 'pypi-differs', identifier: entry.identifier, readme: readmeMcpName.file, names: readmeMcpName.names });
    }
  }
  return issues;
}

/** The registry's limit on `description` (maxLength 100 in the schema), counted in characters as JSON Schema counts them. */
export const MAX_DESCRIPTION = 100;

export function descriptionLength(data: ServerJson): number | undefined {
  const description = text(data.description);
  return description === undefined ? undefined : [...description].length;
}

/** How the gate reached the server: the transport it spoke, and the URL for HTTP. */
export interface Reached {
  transport: 'stdio' | 'streamable-http' | 'sse';
  url?: URL;
}

export type TransportIssue =
  /** No entry of server.json offers the transport the gate reached the server over. */
  | { kind: 'not-offered'; reached: Reached['transport']; offered: string[] }
  /** An entry names the host the gate reached, with another path or transport. */
  | { kind: 'url-differs'; where: string; declared: string; declaredType?: string; reached: string; reachedType: Reached['transport'] };

/**
 * Whether server.json describes the server the gate reached. A URL is compared only when it names the same
 * host and port as the one the gate used (a deployed preview, or a package's localhost URL): a remote at its
 * production address says nothing about a server started on the runner.
 */
export function checkTransport(data: ServerJson, reached: Reached): TransportIssue[] {
  const entries = [
    ...packagesOf(data).map((p) => ({ where: `packages[${p.index}].transport`, type: p.transportType, url: p.transportUrl })),
    ...remotesOf(data).map((r) => ({ where: `remotes[${r.index}]`, type: r.type, url: r.url })),
  ];
  if (!entries.length) return [];
  const issues: TransportIssue[] = [];
  const offered = [...new Set(entries.map((e) => e.type).filter((t): t is string => t !== undefined))];
  if (!offered.includes(reached.transport)) issues.push({ kind: 'not-offered', reached: reached.transport, offered });
  if (!reached.url) return issues;
  for (const entry of entries) {
    const declared = entry.url ? parseTemplateUrl(entry.url) : undefined;
    if (!declared || declared.host !== reached.url.host) continue;
    const samePath = trimSlash(declared.pathname) === trimSlash(reached.url.pathname);
    if (!samePath || entry.type !== reached.transport) {
      issues.push({
        kind: 'url-differs',
        where: entry.where,
        declared: entry.url!,
        declaredType: entry.type,
        reached: reached.url.href,
        reachedType: reached.transport,
      });
    }
  }
  return issues;
}

/** A URL whose host is written out (a template variable in the host, such as {region}, is not comparable). */
function parseTemplateUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return /[{}]/.test(decodeURIComponent(parsed.host)) ? undefined : parsed;
  } catch {
    return undefined;
  }
}

function trimSlash(pathname: string): string {
  return pathname.replace(/\/+$/, '') || '/';
}

/** The name and version the live server gives: legacy serverInfo, or modern server/discover's serverInfo. */
export interface LiveIdentity {
  name?: string;
  version?: string;
  /** Where they came from, for the message: "serverInfo in the initialize result". */
  source: string;
}

export type IdentityIssue =
  { kind: 'version-differs'; declared: string; live: string; source: string } | { kind: 'name-unrelated'; declared: string; live: string; source: string };

/**
 * server.json's `version` is, in the registry's words, the equivalent of Implementation.version: a server
 * that reports another version was built from other code, or forgot a bump. Names differ by design (the
 * registry's is reverse-DNS, `io.github.user/weather`; serverInfo.name is often `weather`), so a name is
 * reported only when it shares nothing with the registry name's last segment.
 */
export function compareIdentity(data: ServerJson, live: LiveIdentity): IdentityIssue[] {
  const issues: IdentityIssue[] = [];
  const version = text(data.version);
  if (version !== undefined && live.version !== undefined && stripV(version) !== stripV(live.version)) {
    issues.push({ kind: 'version-differs', declared: version, live: live.version, source: live.source });
  }
  const name = text(data.name);
  if (name !== undefined && live.name !== undefined && !namesRelated(name, live.name)) {
    issues.push({ kind: 'name-unrelated', declared: name, live: live.name, source: live.source });
  }
  return issues;
}

const stripV = (version: string) => version.trim().replace(/^v(?=\d)/, '');

/** True when the live name is the registry name, or either one's last segment contains the other's. */
export function namesRelated(registryName: string, liveName: string): boolean {
  const simplify = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const lastSegment = (value: string) => simplify(value.split('/').pop() ?? value);
  if (registryName === liveName) return true;
  const declared = lastSegment(registryName);
  const live = lastSegment(liveName);
  const whole = simplify(liveName);
  return declared.length > 0 && live.length > 0 && (declared.includes(live) || live.includes(declared) || whole.includes(declared));
}
