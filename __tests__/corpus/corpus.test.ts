// Runs the gate on every corpus target (targets.ts), two at a time, and holds each verdict to its
// expectation. Needs the corpus installed: `node corpus/install.mjs` (CI does; see .ci/run).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { RawInputs } from '../../src/inputs.js';
import type { Report } from '../../src/report/report.js';
import { mapConcurrently } from '../../src/util/pool.js';
import { freePort, ROOT } from '../helpers/servers.js';
import { TARGETS, type CorpusTarget, type FailExpectation } from './targets.js';

const CORPUS = path.join(ROOT, '.corpus');
const INSTALLED = path.join(CORPUS, 'node_modules', '.corpus-installed');
/** Where each run's JSON report is left, for reading what the gate saw. */
const REPORTS = path.join(CORPUS, 'reports');
const PRELOAD = path.join(ROOT, '__tests__/helpers/loopback-only.mjs');
const CLI = path.join(ROOT, 'dist/cli.js');
/** Two gates at a time: each stdio run starts a server per probed protocol revision on a 2-core runner. */
const CONCURRENCY = 2;
/** What one target may take, start-up failures and the waited-out request time-out included. */
const BUDGET_MS = 60_000;
/** Above the default, so a probe server that starts while the other run hogs the CPU is not blamed. */
const REQUEST_TIMEOUT_S = '20';

interface Outcome {
  target: CorpusTarget;
  version: string;
  report?: Report;
  crash?: string;
  wallMs: number;
}

/** What the test compares with the expectation: the verdict, the ids, and what the root cause names. */
interface Observed {
  verdict: string;
  /** The transport the gate ended up on, for a working server: a fallback to the wrong one is a bug too. */
  transport?: string;
  errors: string[];
  unexpectedWarnings: string[];
  missingMentions: string[];
}

const pinned = JSON.parse(readFileSync(path.join(ROOT, 'corpus/package.json'), 'utf8')).dependencies as Record<string, string>;

function installedVersion(name: string): string {
  const manifest = path.join(CORPUS, 'node_modules', name, 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')).version as string) : 'not installed';
}

function binCommand(name: string): string {
  return ['node', '--import', PRELOAD, path.join(CORPUS, 'node_modules/.bin', name)].map((w) => JSON.stringify(w)).join(' ');
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{bin:([^}]+)\}/g, (_, name: string) => binCommand(name)).replace(/\{(port|upstream|scratch)\}/g, (_, key: string) => values[key]);
}

/** What an upstream may take to listen: a database cluster is created first. */
const UPSTREAM_WAIT_MS = 40_000;

/** Starts `command` (from the repository root) in a process group of its own, until 127.0.0.1:port accepts. */
async function startUpstream(command: string, port: number): Promise<ChildProcess> {
  const child = spawn('/bin/bash', ['--noprofile', '--norc', '-c', command], { cwd: ROOT, detached: true, stdio: 'ignore' });
  const deadline = Date.now() + UPSTREAM_WAIT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await accepts(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop(child);
  throw new Error(`the upstream "${command}" did not listen on 127.0.0.1:${port} within ${UPSTREAM_WAIT_MS / 1000} s (exit code ${child.exitCode})`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** SIGTERM to the group first, so a database shuts down cleanly; SIGKILL what is left after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(-(child.pid as number), name);
      return true;
    } catch {
      return false;
    }
  };
  if (!child.pid || !signal('SIGTERM')) return;
  for (let waited = 0; waited < 5000 && signal(0); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signal('SIGKILL');
}

/** The built CLI, as users run it, one process per target: a gate run owns the processes it starts. */
function runCli(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    // A safety net only: the gate bounds every wait itself, and the budget assertion reports a slow run.
    const timer = setTimeout(() => child.kill('SIGTERM'), 2 * BUDGET_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function flagsFor(inputs: RawInputs): string[] {
  return Object.entries(inputs).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).flatMap((v) => [`--${name}`, v as string]));
}

async function run(target: CorpusTarget): Promise<Outcome> {
  const version = installedVersion(target.package);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'preflight-corpus-'));
  // Latency and start-up time depend on the shared runner, not on the server: the gate's own tests cover them.
  writeFileSync(path.join(scratch, 'mcp-preflight.config.json'), JSON.stringify({ thresholds: { latencyP95Ms: 10_000, slowStartupMs: 30_000 } }));
  const values = { port: String(await freePort()), upstream: String(await freePort()), scratch };
  const inputs: RawInputs = { 'request-timeout': REQUEST_TIMEOUT_S };
  for (const [key, value] of Object.entries(target.inputs) as [keyof RawInputs, string | string[]][]) {
    inputs[key] = typeof value === 'string' ? fill(value, values) : value;
  }
  const reportFile = path.join(scratch, 'report.json');
  const started = performance.now();
  let upstream: ChildProcess | undefined;
  try {
    if (target.upstream) upstream = await startUpstream(fill(target.upstream, values), Number(values.upstream));
    const { code, stderr } = await runCli([...flagsFor(inputs), '--report', reportFile], scratch);
    const wallMs = performance.now() - started;
    if (!existsSync(reportFile)) return { target, version, crash: `exit code ${code}, no report; stderr:\n${stderr}`, wallMs };
    return { target, version, report: JSON.parse(readFileSync(reportFile, 'utf8')) as Report, wallMs };
  } catch (error) {
    return { target, version, crash: (error as Error).stack ?? String(error), wallMs: performance.now() - started };
  } finally {
    if (upstream) await stop(upstream);
    rmSync(scratch, { recursive: true, force: true });
  }
}

function observe({ target, report, crash }: Outcome): Observed {
  if (!report) return { verdict: `the gate threw: ${crash}`, errors: [], unexpectedWarnings: [], missingMentions: [] };
  const expectation = target.expect;
  const errors = report.findings.filter((f) => f.severity === 'error');
  const allowed = expectation.verdict === 'pass' ? Object.keys(expectation.warnings ?? {}) : [];
  const warnings = report.findings.filter((f) => f.severity === 'warning').map((f) => f.id);
  const rootCause = expectation.verdict === 'fail' ? errors.find((f) => f.id === expectation.rootCause) : undefined;
  return {
    verdict: report.verdict,
    ...(expectation.verdict === 'pass' ? { transport: report.target.transport } : {}),
    errors: errors.map((f) => f.id),
    // A failing run's warnings are not asserted: the root cause is what a person reads first.
    unexpectedWarnings: expectation.verdict === 'pass' ? [...new Set(warnings.filter((id) => !allowed.includes(id)))] : [],
    missingMentions: expectation.verdict === 'fail' ? missingFrom(rootCause?.message ?? '', expectation) : [],
  };
}

/** What the root cause's message leaves out: a name it only quotes is not named. */
function missingFrom(message: string, { mentions, names = [] }: FailExpectation): string[] {
  const ownWords = message.split('\n')[0];
  return [...mentions.filter((m) => !message.includes(m)), ...names.filter((n) => !ownWords.includes(n)).map((n) => `${n} (in the message's first line)`)];
}

function wanted(target: CorpusTarget): Observed {
  const expectation = target.expect;
  return {
    verdict: expectation.verdict,
    ...(expectation.verdict === 'pass' ? { transport: target.transport } : {}),
    errors: expectation.verdict === 'fail' ? [expectation.rootCause] : [],
    unexpectedWarnings: [],
    missingMentions: [],
  };
}

/** Each target's expectation and outcome side by side, for whoever reads a failed CI run. */
function summarize(outcomes: Outcome[]): string {
  const lines = outcomes.map((outcome) => {
    const { target, version, report, wallMs } = outcome;
    const expected = target.expect.verdict === 'pass' ? 'pass' : `fail ${target.expect.rootCause}`;
    const found = report
      ? `${report.verdict} errors=[${observe(outcome).errors.join(', ')}] warnings=[${[...new Set(report.findings.filter((f) => f.severity === 'warning').map((f) => f.id))].join(', ')}]`
      : 'the gate threw';
    return `${target.name} (${target.package}@${version}, ${Math.round(wallMs / 1000)} s): expected ${expected}; found ${found}`;
  });
  return lines.join('\n');
}

/** MCP_PREFLIGHT_CORPUS_ONLY=<regular expression> runs the targets whose names match, to debug one. */
const only = process.env.MCP_PREFLIGHT_CORPUS_ONLY;
const SELECTED = only ? TARGETS.filter((t) => new RegExp(only).test(t.name)) : TARGETS;
const installed = existsSync(INSTALLED);
const required = process.env.MCP_PREFLIGHT_CORPUS === 'required';

if (!installed && !required) {
  describe('the corpus of published servers (not installed)', () => {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect -- a skipped test is how the run shows the corpus went unverified, and how to install it
    it.skip('is not installed: run `node corpus/install.mjs` to verify the gate against it', () => undefined);
  });
} else {
  describe('the corpus of published servers', () => {
    const outcomes = new Map<string, Outcome>();

    beforeAll(async () => {
      if (!installed) throw new Error('MCP_PREFLIGHT_CORPUS=required, but the corpus is not installed: run `node corpus/install.mjs` first.');
      const started = performance.now();
      for (const outcome of await mapConcurrently(SELECTED, CONCURRENCY, run)) outcomes.set(outcome.target.name, outcome);
      const summary = summarize([...outcomes.values()]);
      mkdirSync(REPORTS, { recursive: true });
      for (const { target, report } of outcomes.values()) {
        if (report) writeFileSync(path.join(REPORTS, `${target.name.replaceAll('/', '--')}.json`), JSON.stringify(report, null, 2));
      }
      writeFileSync(path.join(CORPUS, 'last-run.txt'), `${summary}\n`);
      console.log(`corpus: ${SELECTED.length} targets in ${Math.round((performance.now() - started) / 1000)} s\n${summary}`);
    }, SELECTED.length * BUDGET_MS);

    it('pins every package it runs, at the installed version', () => {
      const packages = [...new Set(TARGETS.map((t) => t.package))];
      expect(packages.map((name) => `${name}@${installedVersion(name)}`)).toEqual(packages.map((name) => `${name}@${pinned[name]}`));
    });

    it('names every target once', () => {
      expect(new Set(TARGETS.map((t) => t.name)).size).toBe(TARGETS.length);
    });

    it.each(SELECTED.map((target) => [target.name, target] as const))('%s', (_, target) => {
      const outcome = outcomes.get(target.name) as Outcome;
      expect(observe(outcome)).toEqual(wanted(target));
      expect(outcome.wallMs).toBeLessThan(BUDGET_MS);
    });
  });
}
