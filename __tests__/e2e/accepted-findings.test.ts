// Adopting the gate on an imperfect server: accept today's findings, then fail only on new ones, and
// learn which accepted ones are fixed. Real servers, over stdio and Streamable HTTP, on different ports.
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatAcceptedFile, parseAcceptedFile } from '../../src/accepted-file.js';
import { acceptedEntriesOf } from '../../src/report/accepted.js';
import type { Report } from '../../src/report/report.js';
import { formatSummary } from '../../src/report/summary.js';
import { runMisbehaving } from '../helpers/misbehaving.js';
import { everythingCommand, freePort, processesMatching, uniqueTag } from '../helpers/servers.js';

const FIXTURE = 'misbehaving-tools.mjs';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'accepted-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a finding is, for assertions: its check and subject. */
const labels = (report: Report, state: 'new' | 'accepted') =>
  report.findings.filter((f) => f.state === state).map((f) => `${f.id} ${f.subject?.name ?? ''}`.trim());

describe('accepted findings on a stdio server with known defects', () => {
  const file = () => path.join(dir, 'stdio.accepted.json');
  let accepted: string[];

  beforeAll(async () => {
    const first = await runMisbehaving(FIXTURE, ['descriptions'], { 'fail-on': 'warning' });
    // The premise of every test below: the fixture has several findings to accept.
    if (first.verdict !== 'fail') throw new Error(`the first run should fail at fail-on warning; it was ${first.verdict}`);
    writeFileSync(file(), formatAcceptedFile(acceptedEntriesOf(first)));
    accepted = labels(first, 'new');
    if (accepted.length < 2) throw new Error(`the first run should have several findings; it had ${accepted.length}`);
  });

  it('passes a re-run of the same server, listing every finding as accepted', async () => {
    const report = await runMisbehaving(FIXTURE, ['descriptions'], { 'fail-on': 'warning', accepted: file() });
    expect(labels(report, 'new')).toEqual([]);
    expect(labels(report, 'accepted').sort()).toEqual([...accepted].sort());
    expect(report.verdict).toBe('pass');
    expect(report.accepted).toMatchObject({ accepted: accepted.length, fixed: [], unchecked: 0 });
    expect(formatSummary(report)).toContain(`<details><summary>Accepted findings (${accepted.length})`);
  });

  it('fails on the one new defect only, the accepted ones still accepted', async () => {
    const report = await runMisbehaving(FIXTURE, ['descriptions', 'bad-input-schema'], { 'fail-on': 'warning', accepted: file() });
    expect(labels(report, 'new')).toEqual(['tools.input-schema get_forecast']);
    expect(labels(report, 'accepted').sort()).toEqual([...accepted].sort());
    expect(report.verdict).toBe('fail');
  });

  it('reports the accepted findings as fixed once the server is fixed, and passes', async () => {
    const report = await runMisbehaving(FIXTURE, [], { 'fail-on': 'warning', accepted: file() });
    expect(report.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
    expect(report.verdict).toBe('pass');
    const entries = parseAcceptedFile(readFileSync(file(), 'utf8'));
    expect(report.accepted?.fixed.map((e) => e.fingerprint).sort()).toEqual(
      entries
        .filter((e) => !report.findings.some((f) => f.fingerprint === e.fingerprint))
        .map((e) => e.fingerprint)
        .sort(),
    );
    expect(report.accepted?.fixed.length).toBeGreaterThanOrEqual(accepted.length - labels(report, 'accepted').length);
    expect(report.accepted?.fixed.map((e) => e.check)).toEqual(expect.arrayContaining(['tools.description']));
  });
});

/** Runs the CLI in-process, capturing what it writes to stdout (the accepted file) and stderr. */
async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; log: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string, callback?: (error?: Error | null) => void) => {
    stdout.push(String(chunk));
    callback?.();
    return true;
  }) as typeof process.stdout.write);
  const error = jest.spyOn(console, 'error').mockImplementation((text: string) => void stderr.push(text));
  const info = jest.spyOn(console, 'log').mockImplementation((text: string) => void log.push(text));
  try {
    const { main } = await import('../../src/command-line.js');
    const code = await main(argv);
    return { code, stdout: stdout.join(''), stderr: stderr.join('\n'), log: log.join('\n') };
  } finally {
    write.mockRestore();
    error.mockRestore();
    info.mockRestore();
  }
}

describe('--accept-current and --accepted on server-everything over Streamable HTTP', () => {
  it('writes the file on one port and passes on another at fail-on warning, the warnings accepted', async () => {
    const first = await freePort();
    const tag = uniqueTag('accepted-http');
    const target = (port: number) => [
      '--start',
      everythingCommand('streamableHttp', tag, port),
      '--url',
      `http://127.0.0.1:${port}/mcp`,
      '--fail-on',
      'warning',
    ];
    const written = await runCli(['--accept-current', ...target(first)]);
    expect(written.code).toBe(0);
    expect(written.log).toBe('');
    expect(written.stderr).toContain('Checks:');
    const entries = parseAcceptedFile(written.stdout);
    expect(written.stdout).toBe(formatAcceptedFile(entries));
    // Without the file the gate would fail at fail-on warning: the server has warnings.
    expect(entries.filter((e) => e.severity === 'warning').length).toBeGreaterThan(0);
    expect(written.stdout).not.toContain(String(first));
    expect(processesMatching(tag)).toEqual([]);

    const file = path.join(dir, 'http.accepted.json');
    writeFileSync(file, written.stdout);
    const second = await freePort();
    const rerun = await runCli(['--accepted', file, ...target(second)]);
    expect(rerun.stderr).toBe('');
    expect(rerun.log).toContain(`Accepted findings (${entries.length}, listed in ${file}; they do not fail the gate):`);
    expect(rerun.log).not.toContain('New findings:');
    expect(rerun.log).not.toContain('Fixed since accepted');
    expect(rerun.log).toMatch(/mcp-preflight: PASS, no new findings \(\d+ accepted\)/);
    expect(rerun.code).toBe(0);
    expect(processesMatching(tag)).toEqual([]);
  }, 180_000);
});
