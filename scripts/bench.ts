import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { runPreflight } from '../src/engine.js';
import { KNOWN_REVISIONS } from '../src/session/version-probe.js';
import { parseSettings } from '../src/settings.js';
import { supervisor } from '../src/target/process.js';
import { Masker } from '../src/util/masker.js';
import { withinDeadline } from '../src/util/time.js';
import { bounded, EVERYTHING, freePort, HttpServer, LOOPBACK_PRELOAD, measureColdStart, median, ROOT, timed } from './bench-helpers.js';

/**
 * The full checklist over stdio may take twice the bare client (it starts one server copy per protocol
 * revision for the version matrix); over HTTP, where the gate starts the server as a user's workflow
 * does, 1.3 times. The warm-server row isolates the cost of the requests themselves, for information.
 */
const TARGETS = { stdio: 2.0, startedHttp: 1.3 } as const;
const COLD_START_TARGET_MS = 150;
const COLD_START_RUNS = 7;
const COLD_START_TIMEOUT_MS = 10_000;
const RUN_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
const SERVER_START_TIMEOUT_MS = 15_000;
const BUNDLE = path.join(ROOT, 'dist/index.js');

interface Row {
  line: string;
  notes: string[];
}

/** The server the benchmark started itself, so a signal handler can end it. */
let liveServer: HttpServer | undefined;

function readRuns(): number {
  const text = process.env.BENCH_RUNS ?? '7';
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 5 || runs > 100) {
    throw new Error(`BENCH_RUNS must be a whole number from 5 to 100 (fewer runs make the medians noise); got "${text}"`);
  }
  return runs;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/** Returns why a run is not a clean pass: timing a failing verification would compare different work. */
async function runEngine(raw: { command: string } | { url: string; start?: string }): Promise<string | undefined> {
  const report = await runPreflight(parseSettings(raw, ROOT), { masker: new Masker() });
  if (report.verdict === 'pass') return undefined;
  return `engine verdict ${report.verdict}: ${report.findings[0]?.message ?? 'no finding recorded'}`;
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

/** Alternating spreads drift (CPU frequency, caches, other load) over both sides; pair 0 only warms up. */
async function compare(
  name: string,
  runs: number,
  target: number | undefined,
  ours: () => Promise<string | undefined>,
  baseline: () => Promise<void>,
  oursLabel = 'ours',
): Promise<Row> {
  const samples = { ours: [] as number[], baseline: [] as number[] };
  const notes = new Set<string>();
  for (let run = 0; run <= runs; run++) {
    const engine = await timed(() => bounded(`the engine run over ${name}`, ours(), RUN_TIMEOUT_MS));
    const bare = await timed(() => bounded(`the baseline run over ${name}`, baseline(), RUN_TIMEOUT_MS));
    if (engine.value) notes.add(`${name}: ${engine.value}`);
    console.log(`${name} ${run === 0 ? 'warm-up' : `run ${run}/${runs}`}: ${oursLabel} ${ms(engine.ms)}, baseline ${ms(bare.ms)}`);
    if (run === 0) continue;
    samples.ours.push(engine.ms);
    samples.baseline.push(bare.ms);
  }
  const [oursMs, baselineMs] = [median(samples.ours), median(samples.baseline)];
  const ratio = oursMs / baselineMs;
  const verdict = target === undefined ? '(for information)' : `(target <= ${target})  ${mark(ratio <= target)}`;
  const line = `${name.padEnd(28)} ${oursLabel.padEnd(4)} ${ms(oursMs).padStart(7)}  baseline ${ms(baselineMs).padStart(7)}  ratio ${ratio.toFixed(2)} ${verdict}`;
  return { line, notes: [...notes] };
}

const bareStdioTransport = () => new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'ignore' });

function compareStdio(runs: number): Promise<Row> {
  const command = [process.execPath, EVERYTHING, 'stdio'].map((word) => JSON.stringify(word)).join(' ');
  return compare('stdio', runs, TARGETS.stdio, () => runEngine({ command }), () => listToolsOnce(bareStdioTransport()));
}

/**
 * The version matrix starts one server process per row (the gate's own connection is one of them). Bare
 * clients doing the same at once show what that costs on this machine whatever the gate does: with
 * fewer cores than rows the starts queue for the CPU, and this row's ratio is the least the stdio row can show.
 */
function measureStdioMatrixFloor(runs: number): Promise<Row> {
  const rows = KNOWN_REVISIONS.length + 1;
  const allAtOnce = async () => {
    await Promise.all(Array.from({ length: rows }, () => listToolsOnce(bareStdioTransport())));
    return undefined;
  };
  return compare(`stdio, ${rows} clients at once`, runs, undefined, allAtOnce, () => listToolsOnce(bareStdioTransport()), 'bare');
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
    return await compare('streamable-http, warm server', runs, undefined, () => runEngine({ url: url.href }), () =>
      listToolsOnce(new StreamableHTTPClientTransport(url)),
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

async function main(): Promise<void> {
  endChildrenOnSignal();
  const runs = readRuns();
  const rows = [
    await compareStdio(runs),
    await measureStdioMatrixFloor(runs),
    await compareStartedHttp(runs),
    await compareStreamableHttp(runs),
    await measureBundleColdStart(),
  ];
  console.log(`\n${os.availableParallelism()} CPU cores; median of ${runs} runs each.`);
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
