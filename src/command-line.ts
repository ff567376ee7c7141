import { parseArgs } from 'node:util';
import { ACCEPTED_FILE_NAME, formatAcceptedFile } from './accepted-file.js';
import { projectLocation, writeArtifacts } from './artifacts.js';
import { runPreflight } from './engine.js';
import { registerSecrets } from './secrets.js';
import { INPUTS, type RawInputs } from './inputs.js';
import { acceptedEntriesOf } from './report/accepted.js';
import { formatConsole, formatOutputLines } from './report/console.js';
import { fenceCommands } from './report/escape.js';
import type { Report } from './report/report.js';
import { parseSettings, SettingsError, type Settings } from './settings.js';
import { Masker } from './util/masker.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

/** The inputs that make sense off a runner: the pull-request comment needs GitHub's event and token. */
const CLI_FLAGS = INPUTS.filter((input) => !('actionOnly' in input && input.actionOnly));

const USAGE = `Usage:
  ${TOOL_NAME} [options] -- <stdio server command…>
  ${TOOL_NAME} --url http://127.0.0.1:3000/mcp [--start "<command>"] [options]

Options:
${CLI_FLAGS.map((input) => `  --${input.name.padEnd(20)} ${input.description}${'default' in input ? ` (default: ${input.default})` : ''}`).join('\n')}
  --accept-current       Print the accepted-findings file for this run's findings on stdout (the report goes
                         to stderr): ${TOOL_NAME} --accept-current … > ${ACCEPTED_FILE_NAME}, then pass it with --accepted.
  --help                 Show this help.
  --version              Show the version.

Exit codes: 0 pass, 1 a finding reached --fail-on, 2 bad usage or configuration.
With --accept-current: 0 once the file is printed, 1 when the server did not come up (nothing is printed).`;

/** Turns argv into the same raw inputs the action reads, so both go through one validation. */
export function parseCommandLine(argv: string[]): { raw: RawInputs; help: boolean; version: boolean; acceptCurrent: boolean } {
  const options = Object.fromEntries(
    CLI_FLAGS.map((input) => [input.name, { type: 'string' as const, multiple: 'multiple' in input && input.multiple }]),
  );
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' }, 'accept-current': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const raw: RawInputs = {};
  for (const input of CLI_FLAGS) {
    const value = (values as Record<string, unknown>)[input.name];
    if (value !== undefined) raw[input.name] = value as string | string[];
  }
  if (positionals.length) {
    if (!positionals[0].trim()) throw new SettingsError('command', 'the command after -- is empty; give the program that starts the stdio server, e.g. -- node server.js');
    if (raw.command) throw new SettingsError('command', 'give the stdio command either after -- or with --command, not both');
    raw.command = positionals.map(quoteForShell).join(' ');
  }
  return { raw, help: Boolean(values.help), version: Boolean(values.version), acceptCurrent: Boolean(values['accept-current']) };
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

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  let settings;
  try {
    parsed = parseCommandLine(argv);
    if (parsed.help) {
      console.log(USAGE);
      return EXIT.pass;
    }
    if (parsed.version) {
      console.log(TOOL_VERSION);
      return EXIT.pass;
    }
    settings = parseSettings(parsed.raw);
  } catch (error) {
    console.error(`${TOOL_NAME}: ${(error as Error).message}`);
    if (!(error instanceof SettingsError)) console.error(`Run "${TOOL_NAME} --help" for usage.`);
    return EXIT.usage;
  }
  const masker = new Masker();
  registerSecrets(parsed.raw, masker);
  // With --accept-current stdout is the accepted file, redirected by the user; everything else goes to stderr.
  const print = parsed.acceptCurrent ? console.error : console.log;
  print(masker.mask(`${TOOL_NAME} ${TOOL_VERSION}: verifying ${settings.command ?? settings.url?.href ?? 'the deployed server'}`));
  const fallbackLocation = projectLocation(settings);
  const report = await runPreflight(settings, { masker, fallbackLocation });
  for (const log of report.logs.filter((l) => l.stderr.length || l.stdout.length)) {
    print(`\n--- ${log.role} output (${log.commandLine}) ---`);
    printUntrusted(formatOutputLines([...log.stdout, ...log.stderr], '  '), print);
  }
  printUntrusted(`\n${formatConsole(report)}`, print);
  const written = await writeArtifacts(report, settings, fallbackLocation);
  for (const [label, file] of Object.entries(written)) print(`${label} written to ${file}`);
  if (parsed.acceptCurrent) return printAcceptedFile(report, settings);
  return report.verdict === 'pass' ? EXIT.pass : EXIT.fail;
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
