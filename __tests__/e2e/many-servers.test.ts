// Many servers in one run: six real servers of a Claude Desktop configuration verified concurrently,
// the list -> one job per server -> merge round trip, and a cancellation in the middle of such a run.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import type { Log } from 'sarif';
import type { Report, ServersReport } from '../../src/report/report.js';
import { findMarkedProcesses } from '../../src/target/process.js';
import { uniqueTag } from '../fixtures/gate.js';
import { FIXTURES, processesMatching, ROOT } from '../helpers/servers.js';
import { SIX_SERVERS, startSixServers, type SixServers } from '../helpers/six-servers.js';

/** Runs the CLI in-process, returning its exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; printed: string }> {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
  const error = jest.spyOn(console, 'error').mockImplementation((text: string) => void printed.push(text));
  try {
    const { main } = await import('../../src/command-line.js');
    return { code: await main(args), printed: printed.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The table's row for a server: its cells, split on the runs of spaces that pad them. */
function tableRow(printed: string, name: string): string[] {
  const line = printed.split('\n').find((l) => l.trimStart().startsWith(`${name} `));
  return line ? line.trim().split(/\s{2,}/) : [];
}

describe('six servers of a Claude Desktop configuration in one run', () => {
  let directory: string;
  let servers: SixServers;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-many-'));
    servers = await startSixServers(directory, uniqueTag('six'));
  }, 60_000);

  afterAll(async () => {
    await servers?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('prints one table with each verdict, names each cause, writes one report, SARIF and JUnit, and leaves nothing running', async () => {
    const files = { report: path.join(directory, 'all.json'), sarif: path.join(directory, 'all.sarif'), junit: path.join(directory, 'all.xml') };
    const { code, printed } = await cli([
      '--servers-config',
      servers.file,
      '--startup-timeout',
      '30',
      '--report',
      files.report,
      '--sarif',
      files.sarif,
      '--junit',
      files.junit,
    ]);
    expect(code).toBe(1);
    expect(printed).toMatch(/^\s+Server\s+Transport\s+Era\s+Verdict\s+Errors\s+Warnings\s+Time$/m);
    for (const server of SIX_SERVERS) {
      const [name, transport, ...rest] = tableRow(printed, server.name);
      expect([name, transport]).toEqual([server.name, server.transport]);
      expect(rest.join(' ')).toContain(server.verdict === 'pass' ? '✓ PASS' : '✗ FAIL');
    }
    expect(printed).toMatch(/mcp-preflight: FAIL, 6 servers \(failed: weather, catalogue\)/);

    const written = JSON.parse(readFileSync(files.report, 'utf8')) as ServersReport;
    expect(written.verdict).toBe('fail');
    expect(written.servers.map((r) => [r.target.name, r.verdict])).toEqual(SIX_SERVERS.map((s) => [s.name, s.verdict]));
    for (const server of SIX_SERVERS) {
      const report = written.servers.find((r) => r.target.name === server.name) as Report;
      const errors = report.findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => f.id)).toEqual('cause' in server ? [server.cause] : []);
    }
    const weather = written.servers[2].findings.find((f) => f.id === 'config.missing-env');
    expect(weather?.message).toContain('WEATHER_API_KEY');
    const catalogue = written.servers[3].findings.find((f) => f.id === 'launch.exited');
    expect(catalogue?.message).toContain('catalogue.db is corrupt');
    expect(printed).toContain('=== weather ===');
    expect(printed).toContain('ERROR [launch.exited]');

    const sarif = JSON.parse(readFileSync(files.sarif, 'utf8')) as Log;
    expect(sarif.runs.map((run) => run.automationDetails?.id)).toEqual(SIX_SERVERS.map((s) => `mcp-preflight/${s.name}/`));
    expect(sarif.runs[2].results?.map((r) => r.ruleId)).toContain('config.missing-env');
    expect(sarif.runs[0].results?.filter((r) => r.level === 'error')).toEqual([]);
    const junit = readFileSync(files.junit, 'utf8');
    expect(junit.match(/<testsuite /g)).toHaveLength(6);
    expect(junit).toContain('name="weather: ');

    expect(processesMatching(servers.tag)).toEqual([]);
  }, 180_000);

  it('round-trips list -> one run per server -> merge into one report, one SARIF and one summary', async () => {
    const listed = await cli(['list', '--servers-config', servers.file, '--server', 'healthy', '--server', 'weather', '--server', 'legacy', '--json']);
    const matrix = JSON.parse(listed.printed) as { name: string; server: string; config: string }[];
    expect(matrix.map((item) => item.server)).toEqual(['healthy', 'weather', 'legacy']);
    const reports = path.join(directory, 'reports');
    for (const item of matrix) {
      const { code } = await cli([
        '--servers-config',
        item.config,
        '--server',
        item.server,
        '--startup-timeout',
        '30',
        '--report',
        path.join(reports, `${item.name}.json`),
      ]);
      expect(code).toBe(item.server === 'weather' ? 1 : 0);
      // The one-server form, unchanged: a report, not {"servers": [...]}.
      expect(JSON.parse(readFileSync(path.join(reports, `${item.name}.json`), 'utf8'))).toMatchObject({
        target: { name: item.name },
        checks: expect.any(Array),
      });
    }
    const summary = path.join(directory, 'summary.md');
    writeFileSync(summary, '');
    const previous = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = summary;
    let merged: Awaited<ReturnType<typeof cli>>;
    try {
      const inputs = matrix.map((item) => path.join(reports, `${item.name}.json`));
      merged = await cli(['merge', ...inputs, '--report', path.join(directory, 'merged.json'), '--sarif', path.join(directory, 'merged.sarif'), '--summary']);
    } finally {
      if (previous === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = previous;
    }
    expect(merged.code).toBe(1);
    expect(tableRow(merged.printed, 'weather').join(' ')).toContain('✗ FAIL');
    const combined = JSON.parse(readFileSync(path.join(directory, 'merged.json'), 'utf8')) as ServersReport;
    expect(combined.servers.map((r) => [r.target.name, r.verdict])).toEqual([
      ['healthy', 'pass'],
      ['weather', 'fail'],
      ['legacy', 'pass'],
    ]);
    const sarif = JSON.parse(readFileSync(path.join(directory, 'merged.sarif'), 'utf8')) as Log;
    expect(sarif.runs.map((run) => run.automationDetails?.id)).toEqual(['mcp-preflight/healthy/', 'mcp-preflight/weather/', 'mcp-preflight/legacy/']);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('❌ MCP preflight: FAIL — 1 of 3 servers failed');
    expect(markdown).toMatch(/\| weather \| stdio \| [^|]*\| ❌ fail \| 1 \|/);
    expect(markdown).toContain('**`config.missing-env`**');
    expect(processesMatching(servers.tag)).toEqual([]);
  }, 180_000);

  it('merge names the file that is not a report, and what is wrong with it', async () => {
    const bad = path.join(directory, 'not-a-report.json');
    writeFileSync(bad, JSON.stringify({ verdict: 'maybe', findings: [] }));
    const { code, printed } = await cli(['merge', bad]);
    expect(code).toBe(2);
    expect(printed).toContain(
      `mcp-preflight merge: ${bad}: is not an mcp-preflight JSON report: "tool" is not {name, version}, "verdict" is not "pass" or "fail"`,
    );
    const missing = await cli(['merge', path.join(directory, 'nowhere.json')]);
    expect(missing.code).toBe(2);
    expect(missing.printed).toContain('nowhere.json: no such file');
  });
});

const onLinux = process.platform === 'linux' ? describe : describe.skip;
/** The CLI compiled from these sources, as a shell runs it: a signal must reach a process of its own. */
const BUILD = path.join(ROOT, 'build/many-servers');
const CLI = path.join(BUILD, 'src/cli.js');

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

onLinux('a many-server run cancelled midway', () => {
  let directory: string;
  const tag = uniqueTag('cancelled');

  beforeAll(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-many-cancel-'));
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const options = ['--outDir', BUILD, '--rootDir', ROOT, '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022'];
    execFileSync(
      process.execPath,
      [tsc, ...options, '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule', '--strict', '--lib', 'ES2023,DOM', 'src/cli.ts'],
      { cwd: ROOT },
    );
  }, 240_000);

  afterAll(() => {
    // A failed assertion must not leave anything running: every process of the run carries the tag.
    for (const line of processesMatching(tag)) {
      try {
        process.kill(Number(line.split(/\s+/)[0]), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(directory, { recursive: true, force: true });
  });

  it("keeps each server's daemons through another server's cleanup, and SIGTERM then ends every process of the run", async () => {
    const record = path.join(directory, 'daemons');
    const hang = { command: process.execPath, args: [path.join(FIXTURES, 'daemonizes.mjs'), tag], env: { DAEMON_RECORD: record, DAEMON_HANG: '1' } };
    const config = { mcpServers: { quick: { command: process.execPath, args: [path.join(FIXTURES, 'healthy.mjs'), tag] }, hangs: hang, later: hang } };
    const file = path.join(directory, 'claude_desktop_config.json');
    writeFileSync(file, JSON.stringify(config));
    const child = spawn(process.execPath, [CLI, '--servers-config', file, '--request-timeout', '120', '--max-parallel', '2'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const daemons = () => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []);

    // quick is done and cleaned up while hangs, beside it, still waits for its server; later takes quick's place.
    const perServer = existsSync('/usr/bin/setsid') || existsSync('/bin/setsid') ? 2 : 1;
    await waitFor(() => /quick: PASS/.test(stdout) && daemons().length >= 2 * perServer, 60_000);
    const runId = daemons()[0].split(' ')[1];
    const pids = daemons().map((line) => Number(line.split(' ')[0]));
    expect(findMarkedProcesses(runId)).toEqual(expect.arrayContaining(pids));

    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(findMarkedProcesses(runId)).toEqual([]);
    expect(processesMatching(tag)).toEqual([]);
  }, 120_000);
});
