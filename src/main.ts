import * as core from '@actions/core';
import { writeArtifacts, writeServersArtifacts } from './artifacts.js';
import { projectLocation } from './locate/project.js';
import { CATALOGUE } from './checks/index.js';
import type { Location } from './checks/types.js';
import { findWorkflowStep } from './locate/workflow.js';
import { registerSecrets } from './secrets.js';
import { serverKeyOf, serversKeyOf } from './report/comment.js';
import { buildServersReport, serverLabel, type Report, type ServersReport } from './report/report.js';
import { parallelismFor, runMany, runnableTargets, type RunnableTarget } from './run-many.js';
import { runPreflight } from './engine.js';
import { INPUTS, type RawInputs } from './inputs.js';
import { formatAnnotations, formatServersAnnotations, type Annotation } from './report/annotations.js';
import { formatConsole, formatOutputLines, formatServersConsole } from './report/console.js';
import { fenceCommands, showControls } from './report/escape.js';
import { COMMENT_URL_OUTPUT, formatOutputs, formatServersOutputs } from './report/outputs.js';
import { newFindings, summarizeCounts } from './report/report.js';
import { formatServersSummary, formatSummary } from './report/summary.js';
import { readServerTargets } from './servers-config/targets.js';
import { parseSettings, type Settings } from './settings.js';
import { runToCompletion } from './target/deploy.js';
import { endGroups, endMarkedProcesses, supervisor } from './target/process.js';
import { writeSurfaceSnapshot } from './surface-file.js';
import { Masker } from './util/masker.js';
import { formatDuration } from './util/time.js';
import { TOOL_NAME } from './version.js';

/** State shared between the `main` and `post` runs of the one bundle (see actions/checkout). */
const STATE = { isPost: 'isPost', groups: 'processGroups', runId: 'runId', teardown: 'pendingTeardown', cwd: 'workingDirectory' } as const;

/**
 * The one entry point of `main` and `post`. Whatever goes wrong, the log gets one line with the error's
 * message: the bundle is minified, so a stack trace would only bury it (the stack goes to the debug log).
 */
export async function run(): Promise<void> {
  const isPost = Boolean(core.getState(STATE.isPost));
  // An error no await caught (an event handler's, a forgotten promise's) ends the main step as Node would,
  // but with one line and with every started process ended first.
  const stray = (error: unknown) => {
    reportUnexpected(error, isPost);
    if (!isPost) void supervisor.stopAll(1000).finally(() => process.exit(1));
  };
  process.on('unhandledRejection', stray);
  process.on('uncaughtException', stray);
  try {
    if (isPost) {
      await cleanUp();
      return;
    }
    core.saveState(STATE.isPost, 'true');
    await verify();
  } catch (error) {
    reportUnexpected(error, isPost);
  }
}

/** The main step fails on its own errors; the post step, a safety net, only warns. */
function reportUnexpected(error: unknown, isPost: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.stack) core.debug(error.stack);
  if (isPost) core.warning(`Clean-up stopped on an unexpected error: ${message}`);
  else core.setFailed(`${TOOL_NAME} stopped on an unexpected error: ${message}`);
}

function readInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const input of INPUTS) {
    const value = 'multiple' in input && input.multiple ? core.getMultilineInput(input.name) : core.getInput(input.name);
    if (value.length) raw[input.name] = value;
  }
  return raw;
}

async function verify(): Promise<void> {
  // Every form of every secret is registered with the runner too, so its masking matches the gate's.
  const masker = new Masker(core.setSecret);
  let targets: RunnableTarget[];
  let maxParallel: number | undefined;
  try {
    const raw = readInputs();
    registerSecrets(raw, masker);
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    if (raw['servers-config']) {
      const servers = readServerTargets(raw, CATALOGUE, workspace);
      targets = runnableTargets(servers, masker);
      maxParallel = servers.maxParallel;
    } else {
      targets = [{ name: '', settings: parseSettings(raw, CATALOGUE, workspace) }];
    }
  } catch (error) {
    core.setFailed((error as Error).message);
    return;
  }
  const settings = targets[0].settings;
  supervisor.onChange((pids) => core.saveState(STATE.groups, JSON.stringify(pids)));
  if (settings.teardown) {
    core.saveState(STATE.teardown, settings.teardown);
    core.saveState(STATE.cwd, settings.workingDirectory);
  }
  core.saveState(STATE.runId, supervisor.runId);
  supervisor.endRunOnSignals(
    (signal) => core.warning(`Received ${signal}: stopping the server and every process it started.`),
    () => 1,
  );
  if (targets.length > 1) {
    await verifyMany(targets, maxParallel, masker);
    return;
  }
  const fallbackLocation = findWorkflowStep(settings.workspace, process.env) ?? projectLocation(settings);
  if (settings.snapshotPath) {
    await updateBaseline({ ...settings, snapshotPath: settings.snapshotPath }, masker, fallbackLocation);
    return;
  }
  core.info(masker.mask(`Verifying ${settings.command ?? settings.url?.href ?? 'the deployed server'}`));
  const report = await runPreflight(settings, { masker, fallbackLocation });
  markCleanedUp();
  await publish(report, settings, fallbackLocation);
}

/** Several servers of servers-config: concurrently, then one table, one verdict, one comment and one set of files. */
async function verifyMany(targets: RunnableTarget[], maxParallel: number | undefined, masker: Masker): Promise<void> {
  core.info(`Verifying ${targets.length} servers (${targets.map((t) => t.name).join(', ')}), ${parallelismFor(maxParallel)} at a time`);
  const run = await runMany(targets, {
    masker,
    maxParallel,
    onReport: (name, report) => core.info(`${name}: ${report.verdict.toUpperCase()} (${formatDuration(report.timings.totalMs)})`),
  });
  markCleanedUp();
  const report = buildServersReport(run.reports, run.totalMs);
  const settings = targets[0].settings;
  for (const server of report.servers) writeLogs(server, `${serverLabel(server)}: `);
  writeUntrusted(formatServersConsole(report));
  annotate(formatServersAnnotations(report.servers));
  const written = await writeServersArtifacts(report, settings, projectLocation(settings));
  for (const [name, value] of Object.entries(formatServersOutputs(report.servers, written))) core.setOutput(name, value);
  await writeSummary(formatServersSummary(report, written));
  await postComment(report, settings, serversKeyOf(targets.map((t) => serverKeyOf(t.settings))));
  if (report.verdict === 'fail') {
    const failed = report.servers.filter((r) => r.verdict === 'fail');
    const first = failed[0].findings.find((f) => f.severity === 'error') ?? failed[0].findings[0];
    const cause = first ? `; ${serverLabel(failed[0])}: ${first.id}: ${showControls(first.message.split('\n')[0])}` : '';
    core.setFailed(`${failed.length} of ${report.servers.length} servers failed (${failed.map(serverLabel).join(', ')})${cause}`);
  }
}

/** The engine ran teardown and ended every process; the post step must not do it again. */
function markCleanedUp(): void {
  core.saveState(STATE.teardown, '');
  core.saveState(STATE.groups, '[]');
}

/** `update-baseline: true`: writes the surface snapshot and nothing else (no comment, annotations or files). */
async function updateBaseline(settings: Parameters<typeof writeSurfaceSnapshot>[0], masker: Masker, fallbackLocation: Location): Promise<void> {
  core.info(masker.mask(`Reading the surface of ${settings.command ?? settings.url?.href ?? 'the deployed server'}`));
  const { report, file, problem } = await writeSurfaceSnapshot(settings, { masker, fallbackLocation });
  markCleanedUp();
  if (report.findings.length) writeUntrusted(formatConsole(report));
  if (problem) core.setFailed(problem);
  else core.info(`Surface snapshot written to ${file}`);
}

async function publish(report: Report, settings: Settings, fallbackLocation: Location): Promise<void> {
  writeLogs(report);
  writeUntrusted(formatConsole(report));
  // Accepted findings are known: annotating them again on every run would bury the new ones.
  const fresh = newFindings(report.findings);
  annotate(formatAnnotations(fresh));
  const written = await writeArtifacts(report, settings, fallbackLocation);
  for (const [name, value] of Object.entries(formatOutputs(report, written))) core.setOutput(name, value);
  await writeSummary(formatSummary(report, written));
  await postComment(report, settings, serverKeyOf(settings));
  if (report.verdict === 'fail') {
    const first = fresh.find((f) => f.severity === 'error') ?? fresh[0];
    core.setFailed(
      `${summarizeCounts(fresh)}${report.accepted ? ' (new)' : ''}: ${first ? `${first.id}: ${showControls(first.message.split('\n')[0])}` : 'see the report'}`,
    );
  }
}

/** Each started command's output in a collapsed group of the log. */
function writeLogs(report: Report, prefix = ''): void {
  for (const log of report.logs.filter((l) => l.stdout.length || l.stderr.length)) {
    core.startGroup(`${prefix}${log.role} output: ${log.commandLine}`);
    writeUntrusted(formatOutputLines([...log.stdout, ...log.stderr]));
    core.endGroup();
  }
}

function annotate(annotations: Annotation[]): void {
  for (const { severity, message, ...properties } of annotations) {
    const write = severity === 'error' ? core.error : severity === 'warning' ? core.warning : core.notice;
    write(message, properties);
  }
}

/** Text that quotes the server (its output, its names, its answers): the runner must run none of it as a command. */
function writeUntrusted(text: string): void {
  core.info(fenceCommands(text));
}

/** The sticky comment is a courtesy to reviewers: its failure is one warning, never the gate's verdict. */
async function postComment(report: Report | ServersReport, settings: Settings, serverKey: string): Promise<void> {
  if (settings.comment === 'never') return;
  // Loaded here, not at start-up: the GitHub client is a large part of the bundle and most runs end early.
  const [github, { upsertComment }] = await Promise.all([import('@actions/github'), import('./github/comment.js')]);
  const result = await upsertComment({
    token: settings.githubToken ?? '',
    report,
    serverKey,
    context: github.context,
    mode: settings.comment,
  });
  if (result.action === 'failed') core.warning(result.warning);
  else if (result.action === 'skipped') core.debug(`No pull-request comment: ${result.reason}`);
  else core.info(`Pull-request comment ${result.action}: ${result.url}`);
  core.setOutput(COMMENT_URL_OUTPUT, result.action === 'created' || result.action === 'updated' ? result.url : '');
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside a runner (or with summaries disabled) there is no summary file; the console has it all.
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}

/** The post step: a safety net. Its own errors are warnings; cleanup never fails a job. */
async function cleanUp(): Promise<void> {
  try {
    const pids = JSON.parse(core.getState(STATE.groups) || '[]') as number[];
    const ended = await endGroups(pids);
    if (ended.length) core.warning(`Ended ${ended.length} process group(s) the main step left running: ${ended.join(', ')}`);
    // Daemons leave the group and the session, but not the run's marker in their environment.
    const runId = core.getState(STATE.runId);
    const marked = runId ? await endMarkedProcesses(runId) : [];
    if (marked.length) core.warning(`Ended ${marked.length} process(es) the server left running outside its process group: ${marked.join(', ')}`);
    const teardown = core.getState(STATE.teardown);
    if (teardown) {
      // The runner still masks the secret inputs; the credentials in the command's URLs are the gate's to mask.
      const masker = new Masker();
      core.info(masker.mask(`Running teardown, which the main step did not reach: ${teardown}`));
      const outcome = await runToCompletion('teardown', teardown, core.getState(STATE.cwd) || process.cwd(), 300_000, masker);
      if (outcome.exit?.code !== 0) core.warning(`teardown exited with ${outcome.exit?.code ?? 'a time-out'}`);
    }
  } catch (error) {
    core.warning(`Clean-up: ${(error as Error).message}`);
  }
}
