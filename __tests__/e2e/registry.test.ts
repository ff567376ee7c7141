// server.json and Server Cards against real servers: a server.json that passes (with its package.json),
// one with a deprecated $schema, one whose version disagrees with package.json, one whose description is
// too long; and a fixture HTTP server whose Server Card agrees with it, then disagrees.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECKS } from '../../src/checks/index.js';
import { runPreflight } from '../../src/engine.js';
import type { RawInputs } from '../../src/inputs.js';
import { CURRENT_SCHEMA_URL } from '../../src/registry/schema.js';
import type { Report } from '../../src/report/report.js';
import { Masker } from '../../src/util/masker.js';
import { fixtureWith, uniqueTag } from '../fixtures/gate.js';
import { everythingCommand, freePort, processesMatching, settingsFor } from '../helpers/servers.js';

/** The start-up chain and what these tests look at, without the rest of the checklist. */
const CHECKS_HERE = CHECKS.filter((c) => c.stage === 'startup' || c.meta.id.startsWith('registry.') || c.meta.id.startsWith('card.'));
const NAME = 'io.github.example/card-fixture';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'preflight-registry-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let projects = 0;
/** A project directory with server.json and package.json as given. */
function project(serverJson: Record<string, unknown>, packageJson?: Record<string, unknown>): string {
  projects += 1;
  const directory = path.join(root, `project-${projects}`);
  mkdirSync(directory);
  writeFileSync(path.join(directory, 'server.json'), JSON.stringify(serverJson, null, 2));
  if (packageJson) writeFileSync(path.join(directory, 'package.json'), JSON.stringify(packageJson, null, 2));
  return directory;
}

function serverJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    $schema: CURRENT_SCHEMA_URL,
    name: NAME,
    description: 'Echoes text back, for testing the gate.',
    version: '1.2.3',
    packages: [{ registryType: 'npm', identifier: 'card-fixture', version: '1.2.3', transport: { type: 'stdio' } }],
    ...overrides,
  };
}

const PACKAGE_JSON = { name: 'card-fixture', version: '1.2.3', mcpName: NAME };

function gate(raw: RawInputs): Promise<Report> {
  return runPreflight(settingsFor(raw), { masker: new Masker(), checks: CHECKS_HERE });
}

const idsOf = (report: Report, prefix: string) => report.findings.filter((f) => f.id.startsWith(prefix)).map((f) => [f.id, f.severity]);
const statusOf = (report: Report, id: string) => report.checks.find((c) => c.id === id)?.status;

describe('server.json', () => {
  it('passes a server.json that matches its package.json and the running server (stdio)', async () => {
    const tag = uniqueTag('registry-pass');
    const report = await gate({ command: fixtureWith('server-card.mjs', tag), 'working-directory': project(serverJson(), PACKAGE_JSON) });
    expect(idsOf(report, 'registry.')).toEqual([]);
    for (const id of [
      'registry.schema',
      'registry.version',
      'registry.package-name',
      'registry.description-length',
      'registry.transport',
      'registry.server-info',
    ]) {
      expect([id, statusOf(report, id)]).toEqual([id, 'pass']);
    }
    expect(report.verdict).toBe('pass');
    expect(processesMatching(tag)).toEqual([]);
  }, 60_000);

  // Its serverInfo is "mcp-servers/everything" 2.0.0 (a literal in its code, whatever the npm version): the
  // names are related through their last segment, and the version is the one it reports.
  it('passes server-everything against a server.json of its name and reported version', async () => {
    const directory = project(
      serverJson({
        name: 'io.github.modelcontextprotocol/everything',
        version: '2.0.0',
        packages: [{ registryType: 'npm', identifier: '@modelcontextprotocol/server-everything', version: '2026.8.31', transport: { type: 'stdio' } }],
      }),
    );
    const report = await gate({ command: everythingCommand('stdio', uniqueTag('registry-everything')), 'working-directory': directory });
    expect(idsOf(report, 'registry.')).toEqual([]);
    expect(statusOf(report, 'registry.server-info')).toBe('pass');
  }, 60_000);

  it('fails a deprecated $schema with the current schema URL as the fix', async () => {
    const deprecated = 'https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json';
    const report = await gate({
      command: fixtureWith('server-card.mjs', uniqueTag('registry-deprecated')),
      'working-directory': project(serverJson({ $schema: deprecated }), PACKAGE_JSON),
    });
    const found = report.findings.filter((f) => f.id === 'registry.schema');
    expect(found.map((f) => f.severity)).toEqual(['error']);
    expect(found[0].message).toContain(deprecated);
    expect(found[0].message).toContain('deprecated schema detected');
    expect(found[0].hint).toContain(`"${CURRENT_SCHEMA_URL}"`);
    expect(found[0].location?.file).toMatch(/server\.json$/);
    expect(report.verdict).toBe('fail');
  }, 60_000);

  it('reports a version that disagrees with package.json, naming both', async () => {
    const report = await gate({
      command: fixtureWith('server-card.mjs', uniqueTag('registry-version')),
      'working-directory': project(serverJson(), { ...PACKAGE_JSON, version: '1.3.0' }),
    });
    const found = report.findings.filter((f) => f.id === 'registry.version');
    expect(found.map((f) => f.severity)).toEqual(['warning']);
    expect(found[0].message).toContain('"1.2.3"');
    expect(found[0].message).toContain('"1.3.0"');
    expect(found[0].hint).toContain('1.3.0');
  }, 60_000);

  it("reports a serverInfo.version other than server.json's", async () => {
    const report = await gate({
      command: fixtureWith('server-card.mjs', uniqueTag('registry-live'), { SERVER_VERSION: '1.2.2' }),
      'working-directory': project(serverJson(), PACKAGE_JSON),
    });
    const found = report.findings.filter((f) => f.id === 'registry.server-info');
    expect(found.map((f) => [f.severity, f.message])).toEqual([['warning', expect.stringContaining('"1.2.3", but the running server reports "1.2.2"')]]);
  }, 60_000);

  it('fails a description over 100 characters once, with its length', async () => {
    const report = await gate({
      command: fixtureWith('server-card.mjs', uniqueTag('registry-description')),
      'working-directory': project(serverJson({ description: 'x'.repeat(130) }), PACKAGE_JSON),
    });
    expect(idsOf(report, 'registry.')).toEqual([['registry.description-length', 'error']]);
    expect(report.findings.find((f) => f.id === 'registry.description-length')?.message).toContain('130 characters, 30 over');
  }, 60_000);

  it('reports a package declared as streamable-http for a server reached over stdio', async () => {
    const report = await gate({
      command: fixtureWith('server-card.mjs', uniqueTag('registry-transport')),
      'working-directory': project(
        serverJson({
          packages: [
            { registryType: 'npm', identifier: 'card-fixture', version: '1.2.3', transport: { type: 'streamable-http', url: 'http://localhost:3000/mcp' } },
          ],
        }),
        PACKAGE_JSON,
      ),
    });
    expect(idsOf(report, 'registry.')).toEqual([['registry.transport', 'warning']]);
  }, 60_000);
});

describe('Server Cards', () => {
  async function cardRun(card: Record<string, unknown>, raw: RawInputs = {}): Promise<Report> {
    const port = await freePort();
    const directory = project(serverJson({ remotes: [{ type: 'streamable-http', url: `http://127.0.0.1:${port}/mcp` }] }), PACKAGE_JSON);
    const cardFile = path.join(directory, 'card.json');
    writeFileSync(cardFile, JSON.stringify(card));
    const tag = uniqueTag('card');
    const report = await gate({
      start: fixtureWith('server-card.mjs', tag, { PORT: port, CARD_FILE: cardFile }),
      url: `http://127.0.0.1:${port}/mcp`,
      'working-directory': directory,
      ...raw,
    });
    expect(processesMatching(tag)).toEqual([]);
    return report;
  }

  const agreeing = {
    $schema: 'https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json',
    name: NAME,
    version: '1.2.3',
    remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp' }],
    tools: [{ name: 'echo', inputSchema: { type: 'object' } }],
  };

  it('passes a served card that agrees with the live server', async () => {
    const report = await cardRun(agreeing);
    expect(idsOf(report, 'card.')).toEqual([]);
    expect(statusOf(report, 'card.served')).toBe('pass');
    expect(statusOf(report, 'card.matches')).toBe('pass');
    expect(idsOf(report, 'registry.')).toEqual([]);
  }, 60_000);

  it('reports a card whose version, tools and transport disagree with the live server', async () => {
    const report = await cardRun({
      ...agreeing,
      version: '9.9.9',
      remotes: [{ type: 'sse', url: 'https://mcp.example.com/sse' }],
      tools: [{ name: 'echo' }, { name: 'search' }],
    });
    const messages = report.findings.filter((f) => f.id === 'card.matches').map((f) => f.message);
    expect(messages).toEqual([
      expect.stringContaining('says version "9.9.9", but the server reports "1.2.3"'),
      expect.stringContaining('lists "search" that tools/list does not'),
      expect.stringContaining('lists remotes of type sse, but the server answered streamable-http'),
    ]);
    expect(report.findings.filter((f) => f.id === 'card.matches').every((f) => f.severity === 'warning')).toBe(true);
  }, 60_000);

  it('skips the card checks on a server that serves no card', async () => {
    const report = await gate({ command: fixtureWith('server-card.mjs', uniqueTag('card-none')) });
    expect(statusOf(report, 'card.served')).toBe('skip');
    expect(statusOf(report, 'card.matches')).toBe('skip');
  }, 60_000);
});
