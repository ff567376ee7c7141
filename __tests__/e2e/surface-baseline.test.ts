// The breaking-change gate against real servers: a run writes the surface snapshot, the next runs a
// changed version of the server against it, over stdio and HTTP, with the baseline from a file or a git ref.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/command-line.js';
import { CHECKS } from '../../src/checks/index.js';
import { runPreflight } from '../../src/engine.js';
import type { RawInputs } from '../../src/inputs.js';
import { formatComment } from '../../src/report/comment.js';
import type { Report } from '../../src/report/report.js';
import { formatSummary } from '../../src/report/summary.js';
import { writeSurfaceSnapshot } from '../../src/surface-file.js';
import { Masker } from '../../src/util/masker.js';
import { fixtureWith, uniqueTag } from '../fixtures/gate.js';
import { everythingCommand, FIXTURES, freePort, processesMatching, ROOT, settingsFor } from '../helpers/servers.js';

const FIXTURE = 'surface/server.mjs';
/** The start-up chain and the surface checks: what these tests look at, without the rest of the checklist. */
const SURFACE_CHECKS = CHECKS.filter((c) => c.stage === 'startup' || c.meta.id.startsWith('surface.'));

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-surface-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function snapshotOf(raw: RawInputs, file: string): Promise<string> {
  const settings = settingsFor({ ...raw, 'update-baseline': 'true', baseline: file });
  const outcome = await writeSurfaceSnapshot({ ...settings, snapshotPath: settings.snapshotPath ?? file }, { masker: new Masker() });
  expect(outcome.problem).toBeUndefined();
  return readFileSync(outcome.file ?? '', 'utf8');
}

function gate(raw: RawInputs): Promise<Report> {
  return runPreflight(settingsFor({ 'source-root': path.relative(ROOT, path.join(FIXTURES, 'surface')), ...raw }), {
    masker: new Masker(),
    checks: SURFACE_CHECKS,
  });
}

const changes = (report: Report) => report.findings.filter((f) => f.id.startsWith('surface.')).map((f) => [f.id, f.message.split('\n')[0]]);

describe('the surface snapshot', () => {
  it('is the same byte for byte over 10 runs of server-everything', async () => {
    const texts: string[] = [];
    for (let run = 0; run < 10; run += 1)
      texts.push(await snapshotOf({ command: everythingCommand('stdio', uniqueTag('surface-everything')) }, path.join(directory, `everything-${run}.json`)));
    expect(new Set(texts).size).toBe(1);
    const snapshot = JSON.parse(texts[0]) as { format: number; eras: { legacy: { tools: { name: string }[] } } };
    expect(snapshot.format).toBe(1);
    expect(snapshot.eras.legacy.tools.map((t) => t.name)).toEqual([...snapshot.eras.legacy.tools.map((t) => t.name)].sort());
    expect(snapshot.eras.legacy.tools.map((t) => t.name)).toContain('echo');
  }, 120_000);

  it('passes server-everything against its own snapshot, with a table that says nothing changed', async () => {
    const file = path.join(directory, 'everything-0.json');
    const report = await runPreflight(settingsFor({ command: everythingCommand('stdio', uniqueTag('surface-everything')), baseline: file }), {
      masker: new Masker(),
      checks: SURFACE_CHECKS,
    });
    expect(changes(report)).toEqual([]);
    expect(report.checks.filter((c) => c.id.startsWith('surface.')).every((c) => c.status === 'pass')).toBe(true);
    expect(formatSummary(report)).toContain('No changes: the server offers what the baseline describes.');
  }, 60_000);

  it("is the same over stdio and Streamable HTTP, and is written by the CLI's snapshot subcommand", async () => {
    const tag = uniqueTag('surface-cli');
    const stdioFile = path.join(directory, 'cli.json');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await main(['snapshot', '--out', stdioFile, '--', 'node', path.join(FIXTURES, FIXTURE), tag]).finally(() => log.mockRestore());
    expect(code).toBe(0);
    const port = await freePort();
    const http = await snapshotOf({ start: fixtureWith(FIXTURE, tag, { PORT: port }), url: `http://127.0.0.1:${port}/mcp` }, path.join(directory, 'http.json'));
    expect(http).toBe(readFileSync(stdioFile, 'utf8'));
    expect(processesMatching(tag)).toEqual([]);
  }, 60_000);
});

describe('the breaking-change gate', () => {
  let baseline: string;
  beforeAll(async () => {
    baseline = path.join(directory, 'mcp-surface.json');
    await snapshotOf({ command: fixtureWith(FIXTURE, uniqueTag('surface-base')) }, baseline);
  }, 60_000);

  it('fails each breaking change over stdio, on the line that defines the tool, with the table breaking first', async () => {
    const tag = uniqueTag('surface-breaking');
    const report = await gate({ command: fixtureWith(FIXTURE, tag, { SURFACE: 'breaking' }), baseline });
    expect(report.verdict).toBe('fail');
    expect(changes(report)).toEqual([
      ['surface.tool-removed', 'Tool "echo" was removed.'],
      ['surface.input-breaking', 'Tool "add": the inputSchema now rejects arguments it accepted.'],
      ['surface.input-breaking', 'Tool "convert": the inputSchema now rejects arguments it accepted.'],
      ['surface.output-breaking', 'Tool "add": the outputSchema now allows values it did not before.'],
      ['surface.prompt-removed', 'Prompt "summarize" was removed.'],
      ['surface.prompt-arguments-breaking', 'Prompt "greet": argument "tone" was removed.'],
      ['surface.resource-removed', 'Resource fixture://readme ("readme") was removed.'],
      ['surface.resource-removed', 'Resource template fixture://items/{id} ("item") was removed.'],
      ['surface.capability-removed', 'Capability "logging" is no longer advertised.'],
    ]);
    expect(report.findings.find((f) => f.id === 'surface.input-breaking')?.message).toContain('now required: c');
    expect(report.findings.find((f) => f.message.includes('"convert"'))?.message).toContain('unit: values no longer allowed: "k"');

    const source = readFileSync(path.join(FIXTURES, FIXTURE), 'utf8').split('\n');
    const removed = report.findings.find((f) => f.id === 'surface.tool-removed');
    expect(removed?.location).toMatchObject({
      file: `__tests__/fixtures/servers/${FIXTURE}`,
      startLine: source.findIndex((l, i) => l.includes('registerTool(') && source[i + 1].includes("'echo',")) + 1,
    });

    const summary = formatSummary(report);
    expect(summary).toContain(`### Surface changes since \`${baseline}\``);
    expect(summary).toContain('| ❌ breaking | `tool-removed` | tool `echo` | Tool "echo" was removed. |');
    const comment = formatComment(report, { serverKey: 'k' });
    expect(comment.indexOf('`capability-removed`')).toBeGreaterThan(comment.indexOf('`tool-removed`'));
    expect(processesMatching(tag)).toEqual([]);
  }, 60_000);

  it('passes compatible changes over Streamable HTTP as notices, and shows a changed description as a warning with its word diff', async () => {
    const tag = uniqueTag('surface-compatible');
    const port = await freePort();
    const report = await gate({ start: fixtureWith(FIXTURE, tag, { SURFACE: 'compatible', PORT: port }), url: `http://127.0.0.1:${port}/mcp`, baseline });
    expect(report.verdict).toBe('pass');
    expect(changes(report)).toEqual([
      ['surface.added', 'Tool "multiply" was added.'],
      ['surface.compatible-change', 'Tool "add": the inputSchema accepts more arguments.'],
      ['surface.compatible-change', 'Tool "convert": the inputSchema accepts more arguments.'],
      ['surface.compatible-change', 'Prompt "greet": optional argument "language" was added.'],
      ['surface.description-changed', 'Tool "echo": the description changed.'],
    ]);
    const description = report.findings.find((f) => f.id === 'surface.description-changed');
    expect(description).toMatchObject({ severity: 'warning', subject: { kind: 'tool', name: 'echo' } });
    expect(description?.message).toContain('Returns the message it is [-given.-]{+given, unchanged.+}');
    const rows = report.surfaceDiff?.changes.map((c) => c.severity);
    expect(rows).toEqual(['warning', 'notice', 'notice', 'notice', 'notice']);
    expect(processesMatching(tag)).toEqual([]);
  }, 60_000);

  it('reads the baseline from a git ref in the working directory, without building that ref', async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'preflight-surface-git-'));
    try {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
      git('init', '-q', '-b', 'main');
      writeFileSync(path.join(repo, 'mcp-surface.json'), readFileSync(baseline));
      git('add', 'mcp-surface.json');
      git('commit', '-q', '-m', 'baseline');
      // The working tree moves on; the gate reads the committed file.
      writeFileSync(path.join(repo, 'mcp-surface.json'), '{}');
      const report = await gate({
        command: fixtureWith(FIXTURE, uniqueTag('surface-git'), { SURFACE: 'breaking' }),
        baseline: 'git:main:mcp-surface.json',
        'working-directory': repo,
      });
      expect(report.findings.filter((f) => f.id === 'surface.tool-removed').map((f) => f.message)).toEqual([
        expect.stringContaining('Compared with the baseline git:main:mcp-surface.json.'),
      ]);
      expect(() => settingsFor({ command: 'node x', baseline: 'git:no-such-ref:mcp-surface.json', 'working-directory': repo })).toThrow(
        /Invalid input "baseline": git show no-such-ref:mcp-surface.json failed in .*: fatal: .*no-such-ref.*fetch the base branch first/,
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails an era the baseline spoke and the server no longer does', async () => {
    const dual = JSON.parse(readFileSync(baseline, 'utf8')) as { eras: Record<string, unknown> };
    dual.eras.modern = { ...(dual.eras.legacy as object), protocolVersion: '2026-07-28' };
    const file = path.join(directory, 'dual.json');
    writeFileSync(file, JSON.stringify(dual));
    const report = await gate({ command: fixtureWith(FIXTURE, uniqueTag('surface-era')), baseline: file });
    expect(changes(report)).toEqual([['surface.era-dropped', 'The server no longer speaks the modern era.']]);
  }, 60_000);
});
