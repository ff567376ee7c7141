import { parseArgs } from 'node:util';
import { ACCEPTED_FILE_NAME, formatAcceptedFile } from './accepted-file.js';
import { projectLocation, writeArtifacts } from './artifacts.js';
import { CATALOGUE } from './checks/index.js';
import { runPreflight } from './engine.js';
import { registerSecrets } from './secrets.js';
import { INPUTS, type RawInputs } from './inputs.js';
import { acceptedEntriesOf } from './report/accepted.js';
import { formatConsole, formatOutputLines } from './report/console.js';
import { fenceCommands } from './report/escape.js';
import type { Report } from './report/report.js';
import { matrixOf, readServerTargets, type ServerTarget, type ServerTargets } from './servers-config/targets.js';
import { parseSettings, SettingsError, type Settings } from './settings.js';
import { writeSurfaceSnapshot } from './surface-file.js';
import { DEFAULT_SNAPSHOT_FILE } from './surface/snapshot.js';
import { supervisor } from './target/process.js';
import { Masker } from './util/masker.js';
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
  ${TOOL_NAME} --servers-config claude_desktop_config.json [--server NAME…] [options]
  ${TOOL_NAME} list --servers-config PATH [--server NAME…] [--json]
      Lists the servers of a client configuration; with --json, as a JSON array for a workflow's
      strategy.matrix (fromJSON), each item {name, server, transport, config, client}.

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
  const options = Object.fromEntries(
    CLI_FLAGS.map((input) => [input.name, { type: 'string' as const, multiple: 'multiple' in input && input.multiple }]),
  );
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
      throw new SettingsError(raw.baseline !== undefined ? 'baseline' : 'update-baseline', 'snapshot writes the file given with --out; leave out --baseline and --update-baseline');
    }
    raw['update-baseline'] = 'true';
    raw.baseline = ((values as Record<string, unknown>).out as string | undefined) ?? DEFAULT_SNAPSHOT_FILE;
  }
  if (positionals.length) {
    if (!positionals[0].trim()) throw new SettingsError('command', 'the command after -- is empty; give the program that starts the stdio server, e.g. -- node server.js');
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

export async function main(argv: string[]): Promise<number> {
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
    if (listing && !parsed.raw['servers-config']) throw new SettingsError('servers-config', `${LIST} needs --servers-config PATH: the client configuration whose servers to list`);
    if (parsed.json && !listing) throw new Error(`--json belongs to "${TOOL_NAME} ${LIST}"; the JSON report of a run is written with --report PATH`);
    if (parsed.raw['servers-config']) servers = readServerTargets(parsed.raw, CATALOGUE);
    else settings = parseSettings(parsed.raw, CATALOGUE);
    if (servers && !listing) refuseSharedArtifacts(servers);
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

/**
 * Until the concurrent many-server run exists, several servers run one after another, each with its
 * own report; their artifacts would overwrite each other, so a run that writes them takes one server.
 */
function refuseSharedArtifacts({ targets }: ServerTargets): void {
  const artifact = (['reportPath', 'sarifPath', 'junitPath'] as const).find((key) => targets[0]?.settings?.[key]);
  if (targets.length > 1 && artifact) {
    const input = artifact === 'reportPath' ? 'report' : artifact === 'sarifPath' ? 'sarif' : 'junit';
    throw new SettingsError(
      'server',
      `--${input} writes one server's file, and ${targets.length} servers are selected (${targets.map((t) => t.name).join(', ')}); add --server NAME, or run "${TOOL_NAME} ${LIST} --json" to fan out one job per server`,
    );
  }
}

function list(servers: ServerTargets, json: boolean): number {
  const items = matrixOf(servers);
  if (json) {
    console.log(JSON.stringify(items));
    return EXIT.pass;
  }
  for (const target of servers.targets) {
    const where = `${servers.config.source.file}:${target.entry.line}`;
    console.log(`${target.name}\t${items.find((item) => item.name === target.name)?.transport}\t${where}${target.error ? `\t(cannot run: ${target.error.message})` : ''}`);
  }
  return EXIT.pass;
}

/** Each selected server in turn, with its own report; the exit code is the worst of theirs. */
async function verifyServers({ targets, config }: ServerTargets, raw: RawInputs): Promise<number> {
  const masker = new Masker();
  registerSecrets(raw, masker);
  const codes: number[] = [];
  for (const target of targets) {
    // A signal is ending the gate: the servers not yet started stay so.
    if (supervisor.endingOnSignal) break;
    if (targets.length > 1) console.log(`\n=== ${target.name} (${config.source.file}:${target.entry.line}) ===`);
    codes.push(await verifyTarget(target, masker));
  }
  return codes.includes(EXIT.usage) ? EXIT.usage : codes.includes(EXIT.fail) ? EXIT.fail : EXIT.pass;
}

async function verifyTarget(target: ServerTarget, masker: Masker): Promise<number> {
  registerSecrets(target.inputs, masker);
  for (const secret of target.secrets) masker.add(secret);
  if (!target.settings) {
    console.error(`${TOOL_NAME}: ${target.error?.message ?? `server "${target.name}" cannot run`}`);
    return EXIT.usage;
  }
  return verify(target.settings, masker, false);
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

async function snapshot(settings: Parameters<typeof writeSurfaceSnapshot>[0], masker: Masker, fallbackLocation: ReturnType<typeof projectLocation>): Promise<number> {
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
    console.error(`${TOOL_NAME}: --accept-current: the server did not come up (see the findings above), so most checks did not run; make it start, then accept what the checklist finds.`);
    return EXIT.fail;
  }
  const entries = acceptedEntriesOf(report, settings.accepted);
  // Awaited: the CLI exits right after, and a pipe on macOS is written asynchronously.
  await new Promise<void>((resolve, reject) => process.stdout.write(formatAcceptedFile(entries), (error) => (error ? reject(error) : resolve())));
  console.error(`${TOOL_NAME}: accepted ${entries.length} finding(s). Commit the file and pass it with --accepted (the action's "accepted" input): later runs fail only on new findings.`);
  return EXIT.pass;
}
