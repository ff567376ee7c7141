import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ACCEPTED_FILE_NAME, formatAcceptedFile } from './accepted-file.js';
import { writeArtifacts, writeServersArtifacts } from './artifacts.js';
import { projectLocation } from './locate/project.js';
import { CATALOGUE } from './checks/index.js';
import { runPreflight } from './engine.js';
import { registerSecrets } from './secrets.js';
import { INPUTS, type RawInputs } from './inputs.js';
import { acceptedEntriesOf } from './report/accepted.js';
import { formatConsole, formatOutputLines, formatServersConsole } from './report/console.js';
import { buildServersReport, serverLabel, type Report } from './report/report.js';
import { formatServersSummary } from './report/summary.js';
import { readReports } from './merge.js';
import { parallelismFor, runMany, runnableTargets, type RunnableTarget } from './run-many.js';
import { fenceCommands } from './report/escape.js';
import { matrixOf, readServerTargets, type ServerTargets } from './servers-config/targets.js';
import { parseSettings, SettingsError, type Settings } from './settings.js';
import { writeSurfaceSnapshot } from './surface-file.js';
import { DEFAULT_SNAPSHOT_FILE } from './surface/snapshot.js';
import { supervisor } from './target/process.js';
import { Masker } from './util/masker.js';
import { formatDuration } from './util/time.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

/** The inputs that make sense off a runner: the pull-request comment needs GitHub's event and token. */
const CLI_FLAGS = INPUTS.filter((input) => !('actionOnly' in input && input.actionOnly));

const USAGE = `Usage:
  ${TOOL_NAME} [options] -- <stdio server command…>
  ${TOOL_NAME} --url http://127.0.0.1:3000/mcp [--start "<command>"] [options]
  ${TOOL_NAME} snapshot [target options] [--out ${DEFAULT_SNAPSHOT_FILE}] [-- <stdio server command…>]
      Writes the server's surface snapshot (tools, prompts, resources, capabilities) instead of verifying;
      commit it and pass it as --baseline to fail on changes that break clients.
  ${TOOL_NAME} --servers-config claude_desktop_config.json [--server NAME…] [--max-parallel N] [options]
      Verifies the configuration's servers concurrently, each as its client launches it: one table,
      one verdict; --report/--sarif/--junit then hold every server ({"servers": […]}, a run or
      testsuite per server).
  ${TOOL_NAME} list --servers-config PATH [--server NAME…] [--json]
      Lists the servers of a client configuration; with --json, as a JSON array for a workflow's
      strategy.matrix (fromJSON), each item {name, server, transport, config, client}.
  ${TOOL_NAME} merge reports/*.json [--report out.json] [--sarif out.sarif] [--junit out.xml] [--summary]
      Combines the JSON reports of a matrix's jobs (one per server, or {"servers": […]}) into one
      report, one SARIF (a run per server) and one table; --summary writes the Markdown job summary to
      GITHUB_STEP_SUMMARY (stdout off a runner). Exit 1 when any server failed.

Options:
${CLI_FLAGS.map((input) => `  --${input.name.padEnd(20)} ${input.description}${'default' in input ? ` (default: ${input.default})` : ''}`).join('\n')}
  --accept-current       Print the accepted-findings file for this run's findings on stdout (the report goes
                         to stderr): ${TOOL_NAME} --accept-current … > ${ACCEPTED_FILE_NAME}, then pass it with --accepted.
  --help                 Show this help.
  --version              Show the version.

Exit codes: 0 pass, 1 a finding reached --fail-on, 2 bad usage or configuration.
With --accept-current: 0 once the file is printed, 1 when the server did not come up (nothing is printed).`;

/**
 * Turns argv into the same raw inputs the action reads, so both go through one validation. The
 * `snapshot` subcommand is `update-baseline: true` with its file given as `--out`.
 */
export function parseCommandLine(argv: string[]): { raw: RawInputs; help: boolean; version: boolean; json: boolean; acceptCurrent: boolean } {
  const snapshot = argv[0] === 'snapshot';
  const options = Object.fromEntries(CLI_FLAGS.map((input) => [input.name, { type: 'string' as const, multiple: 'multiple' in input && input.multiple }]));
  const { values, positionals } = parseArgs({
    args: snapshot ? argv.slice(1) : argv,
    options: {
      ...options,
      ...(snapshot ? { out: { type: 'string' } } : {}),
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      json: { type: 'boolean' },
      'accept-current': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const raw: RawInputs = {};
  for (const input of CLI_FLAGS) {
    const value = (values as Record<string, unknown>)[input.name];
    if (value !== undefined) raw[input.name] = value as string | string[];
  }
  if (snapshot) {
    if (raw.baseline !== undefined || raw['update-baseline'] !== undefined) {
      throw new SettingsError(
        raw.baseline !== undefined ? 'baseline' : 'update-baseline',
        'snapshot writes the file given with --out; leave out --baseline and --update-baseline',
      );
    }
    raw['update-baseline'] = 'true';
    raw.baseline = ((values as Record<string, unknown>).out as string | undefined) ?? DEFAULT_SNAPSHOT_FILE;
  }
  if (positionals.length) {
    if (!positionals[0].trim())
      throw new SettingsError('command', 'the command after -- is empty; give the program that starts the stdio server, e.g. -- node server.js');
    if (raw.command) throw new SettingsError('command', 'give the stdio command either after -- or with --command, not both');
    raw.command = positionals.map(quoteForShell).join(' ');
  }
  return { raw, help: Boolean(values.help), version: Boolean(values.version), json: Boolean(values.json), acceptCurrent: Boolean(values['accept-current']) };
}

/** Words after `--` arrive already split by the user's shell; quote them so ours splits them the same. */
function quoteForShell(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Text that quotes the server. In a workflow's `run:` step the runner reads the CLI's output for
 * commands too, so there it is written where the runner runs none (see `fenceCommands`).
 */
function printUntrusted(text: string, print: (text: string) => void): void {
  print(process.env.GITHUB_ACTIONS === 'true' ? fenceCommands(text) : text);
}

/** `list` as the first word: the servers of a client configuration, not a stdio command named "list". */
const LIST = 'list';
/** `merge` as the first word: per-server JSON reports into one report, one SARIF and one summary. */
const MERGE = 'merge';

/**
 * The last job of a matrix: reads each server's JSON report and writes one combined report, SARIF and
 * JUnit, prints the table, and with --summary writes the Markdown job summary (to GITHUB_STEP_SUMMARY on
 * a runner, else to stdout). The exit code is the one verdict.
 */
async function merge(argv: string[]): Promise<number> {
  let files: string[];
  let options: { report?: string; sarif?: string; junit?: string; summary?: boolean; help?: boolean };
  let reports: Report[];
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        report: { type: 'string' },
        sarif: { type: 'string' },
        junit: { type: 'string' },
        summary: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    options = parsed.values;
    if (options.help) {
      console.log(USAGE);
      return EXIT.pass;
    }
    files = parsed.positionals;
    reports = readReports(files);
  } catch (error) {
    console.error(`${TOOL_NAME} ${MERGE}: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const combined = buildServersReport(reports, Math.max(...reports.map((r) => r.timings.totalMs)));
  printUntrusted(formatServersConsole(combined), console.log);
  const paths = { reportPath: options.report, sarifPath: options.sarif, junitPath: options.junit, workingDirectory: process.cwd() };
  const written = await writeServersArtifacts(combined, paths, MERGE_FALLBACK_LOCATION);
  for (const [label, file] of Object.entries(written)) console.log(`${label} written to ${file}`);
  if (options.summary) {
    const markdown = formatServersSummary(combined, written);
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      await appendFile(summaryFile, markdown);
      console.log(`Job summary written to ${summaryFile}`);
    } else {
      console.log(`\n${markdown}`);
    }
  }
  return combined.verdict === 'pass' ? EXIT.pass : EXIT.fail;
}

/**
 * Where a merged SARIF result without a location of its own points. Each server's run already pointed
 * its findings at its entry or the workflow step, so this is a last resort code scanning still accepts.
 */
const MERGE_FALLBACK_LOCATION = { file: 'README.md', startLine: 1 };

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === MERGE) return merge(argv.slice(1));
  const listing = argv[0] === LIST;
  let parsed: ReturnType<typeof parseCommandLine>;
  let settings: Settings | undefined;
  let servers: ServerTargets | undefined;
  try {
    parsed = parseCommandLine(listing ? argv.slice(1) : argv);
    if (parsed.help) {
      console.log(USAGE);
      return EXIT.pass;
    }
    if (parsed.version) {
      console.log(TOOL_VERSION);
      return EXIT.pass;
    }
    if (listing && !parsed.raw['servers-config'])
      throw new SettingsError('servers-config', `${LIST} needs --servers-config PATH: the client configuration whose servers to list`);
    if (parsed.json && !listing) throw new Error(`--json belongs to "${TOOL_NAME} ${LIST}"; the JSON report of a run is written with --report PATH`);
    if (parsed.raw['servers-config']) servers = readServerTargets(parsed.raw, CATALOGUE);
    else settings = parseSettings(parsed.raw, CATALOGUE);
  } catch (error) {
    console.error(`${TOOL_NAME}: ${(error as Error).message}`);
    if (!(error instanceof SettingsError)) console.error(`Run "${TOOL_NAME} --help" for usage.`);
    return EXIT.usage;
  }
  if (servers && listing) return list(servers, parsed.json);
  if (servers) return verifyServers(servers, parsed.raw);
  const masker = new Masker();
  registerSecrets(parsed.raw, masker);
  return verify(settings as Settings, masker, parsed.acceptCurrent);
}

function list(servers: ServerTargets, json: boolean): number {
  const items = matrixOf(servers);
  if (json) {
    console.log(JSON.stringify(items));
    return EXIT.pass;
  }
  for (const target of servers.targets) {
    const where = `${servers.config.source.file}:${target.entry.line}`;
    console.log(
      `${target.name}\t${items.find((item) => item.name === target.name)?.transport}\t${where}${target.error ? `\t(cannot run: ${target.error.message})` : ''}`,
    );
  }
  return EXIT.pass;
}

/**
 * The selected servers of a client configuration, all in one run: one server keeps today's output and
 * files; several run concurrently (runMany) and get one table, one verdict and one set of files.
 */
async function verifyServers(servers: ServerTargets, raw: RawInputs): Promise<number> {
  const masker = new Masker();
  registerSecrets(raw, masker);
  let targets: RunnableTarget[];
  try {
    targets = runnableTargets(servers, masker);
  } catch (error) {
    console.error(`${TOOL_NAME}: ${(error as Error).message}`);
    return EXIT.usage;
  }
  if (targets.length === 1) return verify(targets[0].settings, masker, false);
  const file = servers.config.source.file;
  const parallel = parallelismFor(servers.maxParallel);
  console.log(`${TOOL_NAME} ${TOOL_VERSION}: verifying ${targets.length} servers of ${file}, ${parallel} at a time`);
  const run = await runMany(targets, {
    masker,
    maxParallel: servers.maxParallel,
    onReport: (name, report) => console.log(`  ${name}: ${report.verdict.toUpperCase()} (${formatDuration(report.timings.totalMs)})`),
  });
  if (supervisor.endingOnSignal) return EXIT.fail;
  const report = buildServersReport(run.reports, run.totalMs);
  // The servers' own output is evidence for a failure; for a passing server it would bury the table.
  for (const server of report.servers.filter((r) => r.verdict === 'fail')) {
    for (const log of server.logs.filter((l) => l.stderr.length || l.stdout.length)) {
      console.log(`\n--- ${serverLabel(server)}: ${log.role} output (${log.commandLine}) ---`);
      printUntrusted(formatOutputLines([...log.stdout, ...log.stderr], '  '), console.log);
    }
  }
  printUntrusted(`\n${formatServersConsole(report)}`, console.log);
  const written = await writeServersArtifacts(report, targets[0].settings, projectLocation(targets[0].settings));
  for (const [label, path] of Object.entries(written)) console.log(`${label} written to ${path}`);
  return report.verdict === 'pass' ? EXIT.pass : EXIT.fail;
}

async function verify(settings: Settings, masker: Masker, acceptCurrent: boolean): Promise<number> {
  // With --accept-current stdout is the accepted file, redirected by the user; everything else goes to stderr.
  const print = acceptCurrent ? console.error : console.log;
  const fallbackLocation = projectLocation(settings);
  if (settings.snapshotPath) return snapshot({ ...settings, snapshotPath: settings.snapshotPath }, masker, fallbackLocation);
  print(masker.mask(`${TOOL_NAME} ${TOOL_VERSION}: verifying ${settings.command ?? settings.url?.href ?? 'the deployed server'}`));
  const report = await runPreflight(settings, { masker, fallbackLocation });
  for (const log of report.logs.filter((l) => l.stderr.length || l.stdout.length)) {
    print(`\n--- ${log.role} output (${log.commandLine}) ---`);
    printUntrusted(formatOutputLines([...log.stdout, ...log.stderr], '  '), print);
  }
  printUntrusted(`\n${formatConsole(report)}`, print);
  const written = await writeArtifacts(report, settings, fallbackLocation);
  for (const [label, file] of Object.entries(written)) print(`${label} written to ${file}`);
  if (acceptCurrent) return printAcceptedFile(report, settings);
  return report.verdict === 'pass' ? EXIT.pass : EXIT.fail;
}

async function snapshot(
  settings: Parameters<typeof writeSurfaceSnapshot>[0],
  masker: Masker,
  fallbackLocation: ReturnType<typeof projectLocation>,
): Promise<number> {
  console.log(masker.mask(`${TOOL_NAME} ${TOOL_VERSION}: reading the surface of ${settings.command ?? settings.url?.href ?? 'the deployed server'}`));
  const { report, file, problem } = await writeSurfaceSnapshot(settings, { masker, fallbackLocation });
  if (report.findings.length) printUntrusted(`\n${formatConsole(report)}`, console.log);
  if (problem) {
    console.error(problem);
    return EXIT.fail;
  }
  console.log(`Surface snapshot written to ${file}`);
  return EXIT.pass;
}

/**
 * The accepted-findings file for this run. A server that never came up is refused: accepting why it did
 * not start would hide every check that could not run.
 */
async function printAcceptedFile(report: Report, settings: Settings): Promise<number> {
  if (!report.server) {
    console.error(
      `${TOOL_NAME}: --accept-current: the server did not come up (see the findings above), so most checks did not run; make it start, then accept what the checklist finds.`,
    );
    return EXIT.fail;
  }
  const entries = acceptedEntriesOf(report, settings.accepted);
  // Awaited: the CLI exits right after, and a pipe on macOS is written asynchronously.
  await new Promise<void>((resolve, reject) => process.stdout.write(formatAcceptedFile(entries), (error) => (error ? reject(error) : resolve())));
  console.error(
    `${TOOL_NAME}: accepted ${entries.length} finding(s). Commit the file and pass it with --accepted (the action's "accepted" input): later runs fail only on new findings.`,
  );
  return EXIT.pass;
}
