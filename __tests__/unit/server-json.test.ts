// The registry's publish rules and the Server Card comparison, as pure functions; and server-json read
// in the settings layer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareCard, readCard } from '../../src/registry/card.js';
import { checkOwnership, checkTransport, checkVersions, compareIdentity, looksLikeVersionRange, namesRelated } from '../../src/registry/rules.js';
import { CURRENT_SCHEMA_URL, schemaStatus, validateAgainstCurrentSchema } from '../../src/registry/schema.js';
import { readServerJson } from '../../src/registry/server-json.js';
import { parseSettings, SettingsError } from '../../src/settings.js';
import { serverCardUrls } from '../../src/session/server-card.js';
import { CATALOGUE } from '../../src/checks/index.js';

const valid = { $schema: CURRENT_SCHEMA_URL, name: 'io.github.user/weather', description: 'Weather forecasts.', version: '1.0.2' };

describe('the registry schema', () => {
  it.each([
    [CURRENT_SCHEMA_URL, 'current'],
    [undefined, 'missing'],
    ['https://static.modelcontextprotocol.io/schemas/2025-07-09/server.schema.json', 'deprecated'],
    ['https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json', 'deprecated'],
    ['https://static.modelcontextprotocol.io/schemas/2025-10-17/server.schema.json', 'deprecated'],
    ['https://static.modelcontextprotocol.io/schemas/draft/server.schema.json', 'deprecated'],
    ['https://static.modelcontextprotocol.io/schemas/2027-01-01/server.schema.json', 'newer'],
    ['https://example.com/my-schema.json', 'unrecognized'],
  ])('reads $schema %s as %s', (url, kind) => {
    expect(schemaStatus({ ...valid, $schema: url }).kind).toBe(kind);
  });

  it('validates against the vendored 2025-12-11 schema', () => {
    expect(validateAgainstCurrentSchema(valid)).toEqual([]);
    expect(validateAgainstCurrentSchema({ ...valid, name: 'weather' }).map((p) => [p.pointer, p.keyword])).toEqual([['/name', 'pattern']]);
    expect(
      validateAgainstCurrentSchema({ ...valid, packages: [{ registryType: 'npm', identifier: 'w', version: 'latest', transport: { type: 'stdio' } }] }).map(
        (p) => p.pointer,
      ),
    ).toEqual(['/packages/0/version']);
    expect(validateAgainstCurrentSchema({ ...valid, remotes: [{ type: 'streamable-http', url: 'ftp://x' }] }).some((p) => p.pointer === '/remotes/0/url')).toBe(
      true,
    );
  });
});

describe('the version rules', () => {
  it.each(['^1.2.3', '~1.2.3', '>=1.0.0', '1.x', '1.2.*', '1 - 2', '1.2 || 1.3'])('%s is a range', (version) =>
    expect(looksLikeVersionRange(version)).toBe(true),
  );
  it.each(['1.2.3', '2.1.0-alpha', 'v1.0.0', '2026.8.31', '1'])('%s is one version', (version) => expect(looksLikeVersionRange(version)).toBe(false));

  it('refuses latest and ranges before comparing with the manifest', () => {
    const manifests = { packageJson: { file: 'package.json', name: 'weather', version: '1.0.2' } };
    expect(checkVersions({ ...valid, version: 'latest' }, manifests)).toEqual([{ kind: 'refused', where: 'version', value: 'latest', reason: 'latest' }]);
    const packages = [{ registryType: 'npm', identifier: 'weather', version: '1.0.1', transport: { type: 'stdio' } }];
    expect(checkVersions({ ...valid, packages }, manifests)).toEqual([
      { kind: 'manifest-differs', where: 'packages[0].version', value: '1.0.1', manifest: 'package.json', manifestVersion: '1.0.2' },
    ]);
    // Another package than this project's is not compared.
    expect(checkVersions({ ...valid, packages: [{ ...packages[0], identifier: 'other' }] }, manifests)).toEqual([]);
  });
});

describe('the ownership rules', () => {
  const npm = { ...valid, packages: [{ registryType: 'npm', identifier: 'weather', transport: { type: 'stdio' } }] };
  const pypi = { ...valid, packages: [{ registryType: 'pypi', identifier: 'Weather_MCP', transport: { type: 'stdio' } }] };

  it('needs mcpName in package.json equal to the name', () => {
    expect(checkOwnership(npm, { packageJson: { file: 'package.json', name: 'weather', mcpName: valid.name } })).toEqual([]);
    expect(checkOwnership(npm, { packageJson: { file: 'package.json', name: 'weather' } }).map((i) => i.kind)).toEqual(['npm-missing']);
    expect(checkOwnership(npm, { packageJson: { file: 'package.json', name: 'weather', mcpName: 'io.github.user/other' } }).map((i) => i.kind)).toEqual([
      'npm-differs',
    ]);
  });

  it('needs an mcp-name marker in the README for PyPI, with PEP 503 names', () => {
    const pyproject = { file: 'pyproject.toml', name: 'weather-mcp', version: '1.0.2', dynamicVersion: false };
    expect(checkOwnership(pypi, { pyproject, readmeMcpName: { file: 'README.md', names: [valid.name] } })).toEqual([]);
    expect(checkOwnership(pypi, { pyproject, readmeMcpName: { file: 'README.md', names: [] } }).map((i) => i.kind)).toEqual(['pypi-missing']);
    expect(checkOwnership(pypi, { pyproject, readmeMcpName: { file: 'README.md', names: ['io.github.user/other'] } }).map((i) => i.kind)).toEqual([
      'pypi-differs',
    ]);
  });
});

describe('the transport and identity comparisons', () => {
  it('compares URLs only at the host and port the gate reached', () => {
    const data = {
      ...valid,
      remotes: [
        { type: 'streamable-http', url: 'https://mcp.example.com/mcp' },
        { type: 'sse', url: 'http://127.0.0.1:3000/sse' },
      ],
    };
    expect(checkTransport(data, { transport: 'streamable-http', url: new URL('http://127.0.0.1:4000/mcp') })).toEqual([]);
    expect(checkTransport(data, { transport: 'streamable-http', url: new URL('http://127.0.0.1:3000/mcp') }).map((i) => i.kind)).toEqual(['url-differs']);
    expect(checkTransport(data, { transport: 'stdio' }).map((i) => i.kind)).toEqual(['not-offered']);
    expect(checkTransport(valid, { transport: 'stdio' })).toEqual([]);
  });

  it('relates registry names to serverInfo names by their last segment', () => {
    expect(namesRelated('io.github.modelcontextprotocol/everything', 'mcp-servers/everything')).toBe(true);
    expect(namesRelated('io.github.user/weather', 'weather-mcp')).toBe(true);
    expect(namesRelated('io.github.user/weather', 'Weather')).toBe(true);
    expect(namesRelated('io.github.user/weather', 'billing-server')).toBe(false);
  });

  it('takes the live name and version from any source, so server/discover can feed it', () => {
    expect(compareIdentity(valid, { name: 'weather', version: 'v1.0.2', source: 'server/discover' })).toEqual([]);
    expect(compareIdentity(valid, { name: 'weather', version: '1.0.3', source: 'server/discover' })).toEqual([
      { kind: 'version-differs', declared: '1.0.2', live: '1.0.3', source: 'server/discover' },
    ]);
  });
});

describe('Server Cards', () => {
  const live = { name: 'weather', version: '1.0.2', source: 'serverInfo', tools: ['forecast'], reached: { transport: 'streamable-http' as const } };

  it('reads SEP-2127 cards and the serverInfo of earlier drafts', () => {
    expect(readCard({ name: valid.name, version: '1.0.2' })).toMatchObject({ name: valid.name, version: '1.0.2' });
    expect(readCard({ version: '1.0', serverInfo: { name: 'weather', version: '1.0.2' } })).toMatchObject({ name: 'weather', version: '1.0.2' });
  });

  it('compares only what the card states, and softens tool differences it declares dynamic', () => {
    expect(compareCard(readCard({ name: valid.name }), live)).toEqual([]);
    const issues = compareCard(
      readCard({ name: valid.name, version: '1.0.2', tools: [{ name: 'forecast' }, { name: 'alerts' }], capabilities: { tools: { listChanged: true } } }),
      live,
    );
    expect(issues).toEqual([{ kind: 'tools-differ', missingLive: ['alerts'], missingFromCard: [], dynamic: true }]);
  });

  it('is looked for beside the MCP endpoint, then at the well-known URI', () => {
    expect(serverCardUrls(new URL('http://127.0.0.1:3000/mcp')).map((u) => u.href)).toEqual([
      'http://127.0.0.1:3000/mcp/server-card',
      'http://127.0.0.1:3000/.well-known/mcp/server-card',
    ]);
  });
});

describe('the server-json input', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-server-json-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('reads server.json in the working directory by default, and nothing when there is none', () => {
    expect(readServerJson(undefined, directory)).toBeUndefined();
    writeFileSync(path.join(directory, 'server.json'), JSON.stringify(valid));
    expect(readServerJson(undefined, directory)?.data).toEqual(valid);
    expect(parseSettings({ command: 'node server.js', 'working-directory': directory }, CATALOGUE, directory).serverJson?.source).toBe('server.json');
  });

  it('names the input when the file given is missing or not JSON', () => {
    expect(() => parseSettings({ command: 'node server.js', 'server-json': 'nope.json' }, CATALOGUE, directory)).toThrow(SettingsError);
    expect(() => parseSettings({ command: 'node server.js', 'server-json': 'nope.json' }, CATALOGUE, directory)).toThrow(/server-json.*does not exist/);
    writeFileSync(path.join(directory, 'server.json'), '{\n  "name": "x",\n}\n');
    expect(() => readServerJson('server.json', directory)).toThrow(/not valid JSON: .* at line 3, column 1/);
  });

  it('reads pyproject.toml and the README marker beside it', () => {
    mkdirSync(path.join(directory, 'py'));
    writeFileSync(path.join(directory, 'py', 'server.json'), JSON.stringify(valid));
    writeFileSync(
      path.join(directory, 'py', 'pyproject.toml'),
      '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "weather-mcp"\nversion = "1.0.2"\n',
    );
    writeFileSync(path.join(directory, 'py', 'README.md'), '# Weather\n<!-- mcp-name: io.github.user/weather -->\n');
    const { manifests } = readServerJson('py/server.json', directory)!;
    expect(manifests.pyproject).toMatchObject({ name: 'weather-mcp', version: '1.0.2', dynamicVersion: false });
    expect(manifests.readmeMcpName?.names).toEqual(['io.github.user/weather']);
    writeFileSync(path.join(directory, 'py', 'pyproject.toml'), '[project]\nname = "weather-mcp"\ndynamic = ["version"]\n');
    expect(readServerJson('py/server.json', directory)!.manifests.pyproject).toMatchObject({ version: undefined, dynamicVersion: true });
  });
});
