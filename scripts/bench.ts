import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2HttpTransport, type Transport as V2Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2StdioTransport } from '@modelcontextprotocol/client/stdio';
import { CATALOGUE } from '../src/checks/index.js';
import { runPreflight } from '../src/engine.js';
import type { Report } from '../src/report/report.js';
import { parallelismFor, runMany, runnableTargets } from '../src/run-many.js';
import { readServerTargets } from '../src/servers-config/targets.js';
import { SIX_SERVERS, startSixServers } from '../__tests__/helpers/six-servers.js';
import { parseSettings } from '../src/settings.js';
import { supervisor } from '../src/target/process.js';
import { Masker } from '../src/util/masker.js';
import { withinDeadline } from '../src/util/time.js';
import { TARGETS as CORPUS_TARGETS, type CorpusTarget } from '../__tests__/corpus/targets.js';
import {
  bounded,
  CORPUS_INSTALLED,
  EVERYTHING,
  fillCorpusLine,
  freePort,
  HttpServer,
  LOOPBACK_PRELOAD,
  measureColdStart,
  median,
  ROOT,
  timed,
} from './bench-helpers.js';

/**
 * The full checklist over stdio may take twice the bare client (it starts copies of the server for the
 * version matrix), and the CLI no longer than the inspector's CLI listing tools; a crash is diagnosed no
 * slower than a bare client reports it (1.1: the same work, within noise). Over HTTP, where the gate
 * starts the server as a user's workflow does, 1.3 times. The warm-server row isolates the cost of the
 * requests themselves, for information.
 */
const TARGETS = { stdio: 2.0, inspector: 1.0, crash: 1.1, startedHttp: 1.3, dualStdio: 1.5, dualHttp: 1.3 } as const;
const COLD_START_TARGET_MS = 150;
const COLD_START_RUNS = 7;
const COLD_START_TIMEOUT_MS = 10_000;
const RUN_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
const SERVER_START_TIMEOUT_MS = 15_000;
const BUNDLE = path.join(ROOT, 'dist/index.js');
/**
 * The bundle users run (one file, so its start-up is the one they pay), else the CLI `npm run bench` just
 * compiled; the notes name which, since dist/cli.js may predate the sources. BENCH_CLI names another.
 */
const CLI = process.env.BENCH_CLI ?? [path.join(ROOT, 'dist/cli.js'), path.join(ROOT, 'build/src/cli.js')].find((file) => existsSync(file)) ?? '';
/** Where `npm install --prefix <dir> @modelcontextprotocol/inspector` put the inspector; not a dependency of this repository. */
const INSPECTOR_PREFIX = process.env.BENCH_INSPECTOR;
/** What an upstream may take to listen: a database cluster is created first. */
const UPSTREAM_START_TIMEOUT_MS = 40_000;
const DEFAULT_RUNS = 7;
/** Each corpus server costs seconds a run, on each side: fewer runs keep the row within minutes. */
const ROW_DEFAULT_RUNS: Partial<Record<string, number>> = { corpus: 3, many: 5 };
const CRASHING_SERVER = path.join(ROOT, '__tests__/fixtures/servers/exits-at-start.mjs');
/** Dual-era servers on the v2 SDK's defaults: both eras on one process (stdio) or one endpoint (HTTP). */
const DUAL_STDIO = path.join(ROOT, '__tests__/fixtures/servers/v2/dual-stdio.mjs');
const DUAL_HTTP = path.join(ROOT, '__tests__/fixtures/servers/v2/dual-http.mjs');

interface Row {
  line: string;
  notes: string[];
  /** The baseline's median, where the row compares with one. */
  baselineMs?: number;
  /** Ours over the baseline's median, for a row that compared the two. */
  ratio?: number;
}

/** The server the benchmark started itself, so a signal handler can end it. */
let liveServer: HttpServer | undefined;

/** BENCH_RUNS applies to every row; without it each row takes its own default. */
function readRuns(): number | undefined {
  const text = process.env.BENCH_RUNS;
  if (text === undefined) return undefined;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 3 || runs > 100) {
    throw new Error(`BENCH_RUNS must be a whole number from 3 to 100 (fewer runs make the medians noise); got "${text}"`);
  }
  return runs;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

type EngineInputs = { command: string; config?: string } | { url: string; start?: string };

/** Returns why a run is not a clean pass: timing a failing verification would compare different work. */
async function runEngine(raw: EngineInputs): Promise<string | undefined> {
  const report = await runPreflight(parseSettings(raw, CATALOGUE, ROOT), { masker: new Masker() });
  if (report.verdict === 'pass') return undefined;
  return `engine verdict ${report.verdict}: ${report.findings[0]?.message ?? 'no finding recorded'}`;
}

/** Returns why a run did not name the crash: a run that diagnosed something else did other work. */
async function diagnoseCrash(command: string): Promise<string | undefined> {
  const report = await runPreflight(parseSettings({ command }, CATALOGUE, ROOT), { masker: new Masker() });
  const errors = report.findings.filter((f) => f.severity === 'error').map((f) => f.id);
  return errors.join() === 'launch.exited' ? undefined : `the crash was diagnosed as ${errors.join(', ') || 'nothing'}`;
}

/** The lines that say why a run failed: stderr, else our CLI's error findings and its closing line on stdout. */
function failureEvidence(stderr: string, stdout: string): string {
  if (stderr.trim()) return stderr.trim();
  const lines = stdout.trim().split('\n');
  // The closing line's duration would make every run's failure a note of its own.
  const closing = (lines.at(-1) ?? '').replace(/ \([\d.]+ m?s\)$/, '');
  return [...lines.filter((line) => line.trimStart().startsWith('ERROR [')), closing].map((line) => line.trim()).join(' / ');
}

/**
 * Runs a command to its exit in a process group of its own, ended whole if it outlives the run's deadline
 * (a CLI that misreads its arguments may start a web UI and never exit); returns why it failed, if it did.
 */
function runCommand(command: string, args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const output = { stdout: '', stderr: '' };
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, RUN_TIMEOUT_MS - 1000);
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8').on('data', (chunk: string) => (output[stream] = (output[stream] + chunk).slice(-4000)));
    }
    child.once('error', (error) => resolve(`${command} could not be started: ${error.message}`));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `${path.basename(command)} ended with ${code ?? signal}: ${failureEvidence(output.stderr, output.stdout)}`);
    });
  });
}

/** The least any client must do: spawn or reach the server, initialize, list tools, close. */
async function listToolsOnce(transport: Transport): Promise<void> {
  const client = new Client({ name: 'bench-baseline', version: '0.0.0' });
  try {
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    await client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
  } finally {
    await client.close();
  }
}

/**
 * What a v2 client does by default for a user who opts into both eras: `mode: 'auto'` probes
 * server/discover (over stdio, from a sibling process) and falls back to initialize; then it lists tools.
 */
async function listToolsAuto(transport: V2Transport): Promise<void> {
  const client = new V2Client({ name: 'bench-baseline', version: '0.0.0' }, { versionNegotiation: { mode: 'auto' } });
  try {
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    await client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
  } finally {
    await client.close();
  }
}

/** Alternating spreads drift (CPU frequency, caches, other load) over both sides; pair 0 only warms up. */
async function compare(
  name: string,
  runs: number,
  target: number | undefined,
  ours: () => Promise<string | undefined>,
  baseline: () => Promise<string | undefined | void>,
  labels = { ours: 'ours', baseline: 'baseline' },
): Promise<Row> {
  const samples = { ours: [] as number[], baseline: [] as number[] };
  const notes = new Set<string>();
  for (let run = 0; run <= runs; run++) {
    const engine = await timed(() => bounded(`the engine run over ${name}`, ours(), RUN_TIMEOUT_MS));
    const bare = await timed(() => bounded(`the baseline run over ${name}`, baseline(), RUN_TIMEOUT_MS));
    if (engine.value) notes.add(`${name}: ${engine.value}`);
    if (bare.value) notes.add(`${name}, ${labels.baseline}: ${bare.value}`);
    console.log(`${name} ${run === 0 ? 'warm-up' : `run ${run}/${runs}`}: ${labels.ours} ${ms(engine.ms)}, ${labels.baseline} ${ms(bare.ms)}`);
    if (run === 0) continue;
    samples.ours.push(engine.ms);
    samples.baseline.push(bare.ms);
  }
  const [oursMs, baselineMs] = [median(samples.ours), median(samples.baseline)];
  const ratio = oursMs / baselineMs;
  const verdict = target === undefined ? '(for information)' : `(target <= ${target})  ${mark(ratio <= target)}`;
  const line = `${name.padEnd(36)} ${labels.ours.padEnd(4)} ${ms(oursMs).padStart(7)}  ${labels.baseline.padEnd(9)} ${ms(baselineMs).padStart(7)}  ratio ${ratio.toFixed(2)} ${verdict}`;
  return { line, notes: [...notes], ratio, baselineMs };
}

/**
 * The environment the bare clients start a stdio server with: the benchmark's own, as the gate hands a
 * server the environment a workflow step sees. The SDK's transports default to a minimal one, and then a
 * variable such as NODE_EXTRA_CA_CERTS (a certificate bundle node reads as it starts, ~40 ms here) would
 * time the server's start-up instead of the clients.
 */
const SERVER_ENV = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));

const bareStdioTransport = () => new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], env: SERVER_ENV, stderr: 'ignore' });

const everythingStdio = () => [process.execPath, EVERYTHING, 'stdio'];
const shellLine = (words: string[]) => words.map((word) => JSON.stringify(word)).join(' ');

function compareStdio(runs: number): Promise<Row> {
  const command = shellLine(everythingStdio());
  return compare(
    'stdio',
    runs,
    TARGETS.stdio,
    () => runEngine({ command }),
    () => listToolsOnce(bareStdioTransport()),
  );
}

/** The opt-in full version matrix (a server start per revision), against the same bare client. */
async function compareStdioFullMatrix(runs: number): Promise<Row> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-config-'));
  const config = path.join(directory, 'mcp-preflight.config.json');
  writeFileSync(config, JSON.stringify({ versionMatrix: 'full' }));
  try {
    const command = shellLine(everythingStdio());
    return await compare(
      'stdio, versionMatrix full',
      runs,
      undefined,
      () => runEngine({ command, config }),
      () => listToolsOnce(bareStdioTransport()),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The gate's whole default run of both faces of a dual-era stdio server, against the bare v2 auto-mode client. */
function compareDualStdio(runs: number): Promise<Row> {
  const command = shellLine([process.execPath, DUAL_STDIO]);
  const bare = () => listToolsAuto(new V2StdioTransport({ command: process.execPath, args: [DUAL_STDIO], env: SERVER_ENV, stderr: 'ignore' }));
  return compare('dual-era stdio vs v2 auto', runs, TARGETS.dualStdio, () => runEngine({ command }), bare, { ours: 'ours', baseline: 'v2 auto' });
}

/** Preloaded into the dual-era HTTP server: its requests and busy time per run, see the file. */
const SERVER_WORK_PRELOAD = path.join(ROOT, 'scripts/server-work.mjs');

interface ServerWork {
  side: 'ours' | 'baseline';
  requests: number;
  /** The time its event loop was busy, from listening to its stop. */
  busyMs: number;
}

/**
 * The same over Streamable HTTP, each run starting its own server, as compareStartedHttp does. The server
 * counts what each side cost it: the gate's checklist is many requests where the bare client sends two,
 * and the time the server's one thread is busy with them is a floor under the ratio that no change of the
 * gate's can lower. The row's notes give it.
 */
async function compareDualHttp(runs: number): Promise<Row> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-server-work-'));
  const workFile = path.join(directory, 'work.jsonl');
  const startLine = (port: number, side: ServerWork['side']) =>
    `BENCH_SERVER_WORK=${shellLine([workFile])} BENCH_SERVER_SIDE=${side} PORT=${port} ` +
    shellLine([process.execPath, '--import', SERVER_WORK_PRELOAD, '--import', LOOPBACK_PRELOAD, DUAL_HTTP]);
  const ours = async () => {
    const port = await freePort();
    return runEngine({ start: startLine(port, 'ours'), url: `http://127.0.0.1:${port}/mcp` });
  };
  const baseline = async () => {
    const port = await freePort();
    const server = HttpServer.startLine(startLine(port, 'baseline'), port);
    liveServer = server;
    try {
      await server.waitUntilListening(SERVER_START_TIMEOUT_MS);
      await listToolsAuto(new V2HttpTransport(server.url));
    } finally {
      await server.stop();
      liveServer = undefined;
    }
  };
  try {
    const row = await compare('dual-era http, started, vs v2 auto', runs, TARGETS.dualHttp, ours, baseline, { ours: 'ours', baseline: 'v2 auto' });
    return { ...row, notes: [...row.notes, ...serverWorkNotes(workFile, row)] };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The server's median work per side, and the ratio it alone would give if the gate cost nothing. */
function serverWorkNotes(file: string, row: Row): string[] {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  const work = lines.map((line) => JSON.parse(line) as ServerWork);
  // Each side's first server served the warm-up run, which the row's medians leave out too.
  const side = (name: ServerWork['side']) => work.filter((w) => w.side === name).slice(1);
  const [ours, theirs] = [side('ours'), side('baseline')];
  if (!ours.length || !theirs.length || row.baselineMs === undefined) return ['dual-era http: the server recorded no work (was it stopped by SIGTERM?)'];
  const busy = (runs: ServerWork[]) => median(runs.map((w) => w.busyMs));
  const requests = (runs: ServerWork[]) => median(runs.map((w) => w.requests));
  const floor = (row.baselineMs + busy(ours) - busy(theirs)) / row.baselineMs;
  return [
    `dual-era http: the server's event loop was busy ${ms(busy(ours))} with ${requests(ours)} requests of ours and ${ms(busy(theirs))} with ${requests(theirs)} of the v2 auto client's ` +
      `(medians, from listening to its stop); with the gate at zero cost that extra work alone would give a ratio of about ${floor.toFixed(2)} ` +
      '(an estimate: on a loaded machine busy time stretches on both sides).',
  ];
}

/** Why the CLI-against-inspector rows cannot run here, with what to do about it; undefined when they can. */
function missingForInspector(): string | undefined {
  const inspector = INSPECTOR_PREFIX && path.join(INSPECTOR_PREFIX, 'node_modules/@modelcontextprotocol/inspector/package.json');
  if (!inspector || !existsSync(inspector)) {
    const reason = INSPECTOR_PREFIX ? `${inspector} does not exist` : 'BENCH_INSPECTOR is not set';
    return `${reason}; install it outside the repository (npm install --prefix /tmp/insp @modelcontextprotocol/inspector) and set BENCH_INSPECTOR=/tmp/insp`;
  }
  if (!CLI || !existsSync(CLI)) return `${CLI || 'neither dist/cli.js nor build/src/cli.js'} does not exist: run "npm run bundle"`;
  return undefined;
}

/** The inspector's CLI listing tools, as its README shows, from where it is installed. */
function runInspector(server: string[]): Promise<string | undefined> {
  return runCommand('npx', ['@modelcontextprotocol/inspector', '--cli', ...server, '--method', 'tools/list'], INSPECTOR_PREFIX as string);
}

/**
 * What a user runs side by side: our CLI's whole default run against the inspector's CLI listing the
 * tools, each a fresh node process that starts the server. Skipped, saying why, without the inspector.
 */
async function compareInspector(runs: number): Promise<Row> {
  const label = 'stdio CLI vs inspector --cli';
  const missing = missingForInspector();
  if (missing) return { line: `${label}  skipped`, notes: [`${label}: ${missing}`] };
  const ours = () => runCommand(process.execPath, [CLI, '--', ...everythingStdio()], ROOT);
  const row = await compare(label, runs, TARGETS.inspector, ours, () => runInspector(everythingStdio()), { ours: 'ours', baseline: 'inspector' });
  return { ...row, notes: [...row.notes, `${label}: our CLI is ${CLI}`] };
}

/** The corpus targets a user would point both tools at: working servers over stdio. */
const passingStdioTargets = (): CorpusTarget[] => CORPUS_TARGETS.filter((t) => t.transport === 'stdio' && t.expect.verdict === 'pass');

/**
 * One corpus server, our CLI's default run against the inspector's listing, on the same command line in
 * the same environment: the inspector is handed the line through the shell our CLI runs commands in
 * (bash execs the server), since it spawns argv without one. An upstream is started once for all runs.
 */
async function compareCorpusTarget(target: CorpusTarget, runs: number): Promise<Row> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-corpus-'));
  const values = { port: String(await freePort()), upstream: String(await freePort()), scratch };
  const line = fillCorpusLine(target.inputs.command as string, values);
  try {
    if (target.upstream) {
      liveServer = HttpServer.startLine(fillCorpusLine(target.upstream, values), Number(values.upstream));
      const failed = await liveServer.waitUntilListening(UPSTREAM_START_TIMEOUT_MS).then(
        () => undefined,
        (error: Error) => error.message,
      );
      if (failed) return { line: `${target.name.padEnd(36)} skipped`, notes: [`${target.name}: ${failed}`] };
    }
    const ours = () => runCommand(process.execPath, [CLI, '--command', line], scratch);
    const theirs = () => runInspector(['--', '/bin/bash', '--noprofile', '--norc', '-c', line]);
    return await compare(target.name, runs, TARGETS.inspector, ours, theirs, { ours: 'ours', baseline: 'inspector' });
  } finally {
    await liveServer?.stop();
    liveServer = undefined;
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A line per passing stdio server of the corpus, then the median and the worst ratio over them. */
async function compareCorpus(runs: number): Promise<Row> {
  const label = 'corpus CLI vs inspector --cli';
  const missing = existsSync(CORPUS_INSTALLED) ? missingForInspector() : 'the corpus is not installed: run "node corpus/install.mjs"';
  if (missing) return { line: `${label}  skipped`, notes: [`${label}: ${missing}`] };
  const only = process.env.BENCH_CORPUS_ONLY;
  const targets = passingStdioTargets().filter((t) => !only || new RegExp(only).test(t.name));
  const rows: Row[] = [];
  for (const target of targets) rows.push(await compareCorpusTarget(target, runs));
  // A server either side failed on did other work than listing its tools: its ratio says nothing.
  const clean = rows.flatMap((row, i) => (row.notes.length === 0 && row.ratio !== undefined ? [{ name: targets[i].name, ratio: row.ratio }] : []));
  const worst = clean.reduce<(typeof clean)[number] | undefined>((max, r) => (max && max.ratio >= r.ratio ? max : r), undefined);
  const summary = worst
    ? `${label}: median ratio ${median(clean.map((r) => r.ratio)).toFixed(2)}, worst ${worst.ratio.toFixed(2)} (${worst.name}), over ${clean.length} of ${targets.length} servers that both ran cleanly (target <= ${TARGETS.inspector})`
    : `${label}: no server ran cleanly on both sides`;
  return { line: [...rows.map((row) => row.line), summary].join('\n'), notes: [...rows.flatMap((row) => row.notes), `${label}: our CLI is ${CLI}`] };
}

/** A server that crashes at start: our diagnosis against what a bare client reports (the connection closed). */
function compareCrash(runs: number): Promise<Row> {
  const bareCrash = async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CRASHING_SERVER], env: SERVER_ENV, stderr: 'ignore' });
    const failed = await listToolsOnce(transport).then(
      () => false,
      () => true,
    );
    return failed ? undefined : 'the bare client connected to a server that should have crashed';
  };
  return compare('stdio crash at start', runs, TARGETS.crash, () => diagnoseCrash(shellLine([process.execPath, CRASHING_SERVER])), bareCrash);
}

/** Each run starts its own server, as the action does with `start` + `url`: both sides pay the start-up. */
function compareStartedHttp(runs: number): Promise<Row> {
  const ours = async () => {
    const port = await freePort();
    const start = `PORT=${port} ${[process.execPath, '--import', LOOPBACK_PRELOAD, EVERYTHING, 'streamableHttp'].map((w) => JSON.stringify(w)).join(' ')}`;
    return runEngine({ start, url: `http://127.0.0.1:${port}/mcp` });
  };
  const baseline = async () => {
    const server = HttpServer.start(await freePort());
    liveServer = server;
    try {
      await server.waitUntilListening(SERVER_START_TIMEOUT_MS);
      await listToolsOnce(new StreamableHTTPClientTransport(server.url));
    } finally {
      await server.stop();
      liveServer = undefined;
    }
  };
  return compare('streamable-http, started', runs, TARGETS.startedHttp, ours, baseline);
}

/** One server for every run, so both sides pay for the requests and neither for the server's start-up. */
async function compareStreamableHttp(runs: number): Promise<Row> {
  const server = HttpServer.start(await freePort());
  liveServer = server;
  try {
    await server.waitUntilListening(SERVER_START_TIMEOUT_MS);
    const url = server.url;
    return await compare(
      'streamable-http, warm server',
      runs,
      undefined,
      () => runEngine({ url: url.href }),
      () => listToolsOnce(new StreamableHTTPClientTransport(url)),
    );
  } finally {
    await server.stop();
    liveServer = undefined;
  }
}

async function measureBundleColdStart(): Promise<Row> {
  const label = 'cold start dist/index.js';
  if (!existsSync(BUNDLE)) return { line: `${label}  skipped`, notes: [`${BUNDLE} does not exist: run "npm run bundle" first`] };
  const samples = [];
  for (let run = 0; run < COLD_START_RUNS; run++) samples.push(await measureColdStart(BUNDLE, COLD_START_TIMEOUT_MS));
  const medianMs = median(samples.map((sample) => sample.ms));
  const silent = samples.filter((sample) => !sample.printed);
  const notes = silent.length
    ? [
        `${label}: ${silent.length} of ${COLD_START_RUNS} runs printed no line on stdout (exit codes ${[...new Set(silent.map((s) => s.exitCode))].join(', ')}), ` +
          'so they are timed to their exit; an action run without inputs should print and fail, so dist/ may be stale: run "npm run bundle"',
      ]
    : [];
  return { line: `${label}  median ${ms(medianMs)} (target <= ${COLD_START_TARGET_MS} ms)  ${mark(medianMs <= COLD_START_TARGET_MS)}`, notes };
}

/** Ctrl-C must not leave the HTTP server or a server the engine started running in the background. */
function endChildrenOnSignal(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      liveServer?.kill();
      void withinDeadline(supervisor.stopAll(1000), 3000).finally(() => process.exit(130));
    });
  }
}

/** Verifies the selected servers of the six-server configuration in one run; returns the report per server. */
async function verifyConfig(file: string, names: readonly string[]): Promise<Report[]> {
  const masker = new Masker();
  const servers = readServerTargets({ 'servers-config': file, server: [...names], 'startup-timeout': '30' }, CATALOGUE, ROOT);
  return (await runMany(runnableTargets(servers, masker), { masker, maxParallel: servers.maxParallel })).reports;
}

/** Why a run is not the expected outcome (four passes, two named failures): timing other work compares nothing. */
function unexpectedVerdicts(reports: readonly Report[]): string | undefined {
  const wrong = reports.filter((report) => SIX_SERVERS.find((s) => s.name === report.target.name)?.verdict !== report.verdict);
  return wrong.length ? `unexpected verdicts: ${wrong.map((r) => `${r.target.name} ${r.verdict}`).join(', ')}` : undefined;
}

/**
 * The six-server configuration in one run against the slowest of its servers alone and against the six
 * one after another, each run measuring all three. The issue's target is "the slowest alone plus the CPU
 * the others need": on a machine with fewer cores than servers the run waits for cores, so the ratio to
 * the slowest alone depends on the cores, and the ratio to the sequential runs shows what concurrency saves.
 */
async function compareMany(runs: number): Promise<Row> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-many-'));
  const servers = await startSixServers(directory, '--bench-many', ROOT);
  const names = SIX_SERVERS.map((s) => s.name);
  const samples = { many: [] as number[], slowest: [] as number[], sequential: [] as number[] };
  const notes = new Set<string>();
  const slowestNames: string[] = [];
  try {
    for (let run = 0; run <= runs; run++) {
      const together = await timed(() => bounded('the six-server run', verifyConfig(servers.file, names), RUN_TIMEOUT_MS));
      const alone: { name: string; ms: number }[] = [];
      for (const name of names) {
        const one = await timed(() => bounded(`${name} alone`, verifyConfig(servers.file, [name]), RUN_TIMEOUT_MS));
        const problem = unexpectedVerdicts(one.value);
        if (problem) notes.add(`many, ${name} alone: ${problem}`);
        alone.push({ name, ms: one.ms });
      }
      const problem = unexpectedVerdicts(together.value);
      if (problem) notes.add(`many: ${problem}`);
      const slowest = alone.reduce((max, one) => (one.ms > max.ms ? one : max));
      const sequential = alone.reduce((sum, one) => sum + one.ms, 0);
      console.log(
        `many ${run === 0 ? 'warm-up' : `run ${run}/${runs}`}: one run ${ms(together.ms)}, slowest alone ${ms(slowest.ms)} (${slowest.name}), one after another ${ms(sequential)}`,
      );
      if (run === 0) continue;
      samples.many.push(together.ms);
      samples.slowest.push(slowest.ms);
      samples.sequential.push(sequential);
      slowestNames.push(slowest.name);
    }
  } finally {
    await servers.stop();
    rmSync(directory, { recursive: true, force: true });
  }
  const [many, slowest, sequential] = [median(samples.many), median(samples.slowest), median(samples.sequential)];
  const line =
    `${'many: 6 servers in one run'.padEnd(36)} one run ${ms(many).padStart(7)}  slowest alone ${ms(slowest).padStart(7)}  one after another ${ms(sequential).padStart(7)}  ` +
    `ratio to slowest ${(many / slowest).toFixed(2)}, to one after another ${(many / sequential).toFixed(2)} (${parallelismFor(undefined)} at a time)`;
  return { line, notes: [...notes, `many: the slowest alone was ${[...new Set(slowestNames)].join(', ')}`], ratio: many / sequential };
}

const ROWS: Record<string, (runs: number) => Promise<Row>> = {
  stdio: compareStdio,
  'stdio-full': compareStdioFullMatrix,
  inspector: compareInspector,
  corpus: compareCorpus,
  crash: compareCrash,
  'http-started': compareStartedHttp,
  'http-warm': compareStreamableHttp,
  'cold-start': measureBundleColdStart,
  many: compareMany,
  'dual-stdio': compareDualStdio,
  'dual-http': compareDualHttp,
};

/** BENCH_ROWS=stdio,crash runs those rows only; all of them by default. */
function readRows(): string[] {
  const names = process.env.BENCH_ROWS?.split(',').map((name) => name.trim()) ?? Object.keys(ROWS);
  const unknown = names.find((name) => !(name in ROWS));
  if (unknown) throw new Error(`BENCH_ROWS: unknown row "${unknown}"; the rows are ${Object.keys(ROWS).join(', ')}`);
  return names;
}

async function main(): Promise<void> {
  endChildrenOnSignal();
  const runs = readRuns();
  const names = readRows();
  const rows: Row[] = [];
  for (const name of names) rows.push(await ROWS[name](runs ?? ROW_DEFAULT_RUNS[name] ?? DEFAULT_RUNS));
  const counts = runs ?? names.map((name) => `${ROW_DEFAULT_RUNS[name] ?? DEFAULT_RUNS} (${name})`).join(', ');
  console.log(
    `\n${os.availableParallelism()} CPU cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; medians of ${counts} runs each.`,
  );
  console.log(rows.map((row) => row.line).join('\n'));
  const notes = rows.flatMap((row) => row.notes);
  if (notes.length) console.log(`\nNotes:\n${notes.map((note) => `  - ${note}`).join('\n')}`);
}

main().catch(async (error: unknown) => {
  console.error(`The benchmark stopped: ${error instanceof Error ? error.message : String(error)}`);
  // A run abandoned at its deadline may still hold a server; end it rather than wait for its own time-outs.
  await withinDeadline(supervisor.stopAll(1000), 3000);
  process.exit(1);
});
