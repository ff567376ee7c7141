import path from 'node:path';
import { explainExit } from './target/exit.js';
import { CHECKS } from './checks/index.js';
import { exposedCredentials } from './checks/support/security/exposure.js';
import type { Check, CheckContext, Evidence, Finding, Location, Observations, Phase, ProbeNeed, ServerEra } from './checks/types.js';
import { attachLocations } from './locate/attach.js';
import { findDefinitions } from './locate/source-index.js';
import { buildReport, EMPTY_SURFACE, type Surface } from './report/build.js';
import { statusOf, type CheckResult, type Report } from './report/report.js';
import { prepareAuthorization, type TokenProbes } from './session/auth-probe.js';
import { closeQuietly, connect } from './session/connect.js';
import { RawHttp } from './session/raw-http.js';
import { probeServerCard } from './session/server-card.js';
import { firstListMethod, type Session } from './session/session.js';
import { probeMatrix, revisionsToProbe, type VersionProbe } from './session/version-probe.js';
import { httpLimitsOf, type Settings } from './settings.js';
import { runToCompletion } from './target/deploy.js';
import { chooseLoopbackAddress, pinLoopback, unpinLoopback } from './target/loopback-route.js';
import { ManagedProcess, supervisor } from './target/process.js';
import { measureHealth, waitUntilReady } from './target/readiness.js';
import { collectSurface, readLiveSurface, type LiveSurface } from './surface/live.js';
import type { Masker } from './util/masker.js';
import { mapConcurrently } from './util/pool.js';

export interface RunOptions {
  masker: Masker;
  /** The checks to run; the full catalogue unless a test narrows it. */
  checks?: readonly Check[];
  /** Where findings about the server as a whole point: the workflow step, or the configuration file. */
  fallbackLocation?: Location;
  /** Told each secret the gate comes to hold during the run (an acquired OAuth token), e.g. to mask it in the runner's log. */
  onSecret?: (secret: string) => void;
  /** Given the live surface once the session checks are done, for `update-baseline`. */
  onSurface?: (live: LiveSurface) => void;
}

/** Finding definitions must not hold up the verdict on a huge repository; what is not found by then keeps the fallback. */
const LOCATE_DEADLINE_MS = 3000;

interface Milestones {
  readyAt?: number;
  connectedAt?: number;
  /**
   * When the stdio connection failed. The SDK closes a failed connection, which ends a stdio server: an
   * exit after this is the gate's doing.
   */
  gaveUpAt?: number;
}

/**
 * The one path every run takes: target -> session -> checks -> report.
 * Whatever happens, every process it started is ended and `teardown` runs before it returns.
 */
export async function runPreflight(settings: Settings, { masker, checks = CHECKS, fallbackLocation, onSecret, onSurface }: RunOptions): Promise<Report> {
  const started = performance.now();
  const evidence: CheckContext = { settings, observations: {} };
  const milestones: Milestones = {};
  const sessionResults = new Map<string, CheckOutcome>();
  let surface: Surface = EMPTY_SURFACE;
  let matrix: VersionProbe[] | undefined;
  try {
    await bringUp(settings, evidence, milestones, { masker, started, onSecret, needs: probesNeeded(checks, settings), probes: probesWanted(checks, settings) });
    if (evidence.session) {
      const checksStarted = performance.now();
      await runSessionChecks(checks, evidence, sessionResults);
      evidence.checksMs = Math.round(performance.now() - checksStarted);
      // Settled while the server still runs: the probes may outlive a check that did not wait for them.
      matrix = await evidence.versionMatrix;
      surface = await collectSurface(evidence.session);
      if (onSurface) onSurface(await readLiveSurface(evidence.faces ?? { [evidence.session.era]: evidence.session }));
      if (settings.healthUrl) evidence.health = await measureHealth(settings.healthUrl, httpLimitsOf(settings));
    }
  } finally {
    const cleanupStarted = performance.now();
    recordServerExit(evidence, milestones);
    for (const face of facesOf(evidence)) await Promise.all([closeQuietly(face.client, face.transport), face.raw?.closeAll()]);
    await evidence.server?.stop();
    await supervisor.stopScope();
    if (settings.teardown) {
      evidence.teardown = await runToCompletion('teardown', settings.teardown, settings.workingDirectory, settings.startupTimeoutMs, masker);
      // What teardown itself left running in the background.
      await supervisor.stopScope();
    }
    if (evidence.loopback) await unpinLoopback(evidence.loopback);
    evidence.cleanupMs = Math.round(performance.now() - cleanupStarted);
  }
  const results = await runRecordedChecks(checks, evidence, sessionResults);
  // The report quotes the server's log in other findings too; a credential it advertised or printed must not
  // reach the job log, the summary or a pull-request comment through them, whether or not
  // security.secrets-exposed ran (a configuration file may skip it).
  for (const credential of await exposedCredentials(evidence)) {
    masker.add(credential);
    onSecret?.(credential);
  }
  await locateFindings(results, settings, fallbackLocation);
  return buildReport({ evidence, results, surface, matrix, triage: describeTriage(evidence), totalMs: Math.round(performance.now() - started), masker });
}

interface BringUpOptions {
  masker: Masker;
  started: number;
  onSecret?: (secret: string) => void;
  /** The probes the checks need beside the gate's own connections (each a connection, over stdio a server process). */
  needs: ReadonlySet<ProbeNeed>;
  /** The auth probe's optional requests some enabled check judges. */
  probes: TokenProbes;
}

async function bringUp(settings: Settings, evidence: CheckContext, milestones: Milestones, options: BringUpOptions): Promise<void> {
  const { masker, started, onSecret } = options;
  const cwd = settings.workingDirectory;
  let url = settings.url;
  if (settings.deploy) {
    evidence.deploy = await runToCompletion('deploy', settings.deploy, cwd, settings.startupTimeoutMs, masker);
    const deployed = evidence.deploy.exit?.code === 0 ? evidence.deploy.url : undefined;
    if (!url && deployed) url = safeUrl(deployed);
    if (!url) return;
  }
  evidence.targetUrl = url;
  if (settings.start) {
    evidence.server = new ManagedProcess({ role: 'server', commandLine: settings.start, cwd, masker });
  }
  if (url) {
    const remaining = Math.max(1, settings.startupTimeoutMs - (performance.now() - started));
    evidence.readiness = await waitUntilReady({ url, healthUrl: settings.healthUrl }, remaining, httpLimitsOf(settings), evidence.server);
    if (!evidence.readiness.ready) return;
    // Decided once, here: every later request of the run goes where the server answered.
    evidence.loopback = await chooseLoopbackAddress(url);
    if (evidence.loopback) await pinLoopback(evidence.loopback);
  }
  milestones.readyAt = performance.now();
  // Authorization (checks/auth): the posture probe runs alongside the connection; an OAuth token is acquired
  // before it, and every later request carries it.
  const authorization = await prepareAuthorization({ settings, url, wanted: options.probes, masker, onSecret });
  const authorized = (evidence.settings = authorization.settings);
  if (!authorization.canConnect) {
    evidence.auth = await authorization.probe;
    return;
  }
  // Read beside the handshake, as it needs no connection; the session checks compare it with the live server.
  const serverCard = url ? probeServerCard(url, authorized.headers, httpLimitsOf(authorized)) : undefined;
  evidence.connect = await connect(authorized, { url }, masker, { versionProbe: options.needs.has('stamped-version') });
  evidence.serverCard = await serverCard;
  if (authorized.command && !evidence.connect.session) milestones.gaveUpAt = evidence.connect.legacyGaveUpAt ?? performance.now();
  evidence.auth = await authorization.probe;
  if (evidence.connect.stdio?.process) evidence.server = evidence.connect.stdio.process;
  evidence.session = evidence.connect.session;
  evidence.faces = evidence.connect.faces;
  evidence.era = eraOf(evidence.connect.faces);
  milestones.connectedAt = performance.now();
  if (!evidence.session) return;
  evidence.startupMs = Math.round(milestones.connectedAt - started);
  // Only a server that answered its first handshake is probed: a crash is diagnosed without waiting for
  // copies, and no copy (over stdio each probe is a server process) can be why the first start failed.
  const target = { transport: evidence.session.transportName, settings: authorized, url, masker };
  const refusal = evidence.connect.attempts.at(-1)?.error;
  const legacyAsks = options.needs.has('version-matrix') ? revisionsToProbe(settings.config.versionMatrix, evidence.session.transportName) : [];
  // One request stamped with an unknown modern version serves the check that judges the refusal and the
  // matrix's row for it: over stdio each such request is a server process of its own.
  const modern = evidence.connect.faces.modern;
  const unknownModern =
    modern && (options.needs.has('stamped-version') || legacyAsks.length > 0) ? modern.raw?.probeVersion(firstListMethod(modern.capabilities)) : undefined;
  if (options.needs.has('stamped-version')) evidence.unknownVersionProbe = unknownModern;
  evidence.versionMatrix = probeMatrix(target, evidence.connect.faces, legacyAsks, refusal, unknownModern);
  const session = evidence.connect.faces.legacy;
  if (!session) return;
  if (session.transportName === 'streamable-http' && url) {
    session.http = new RawHttp(url, authorized.headers, httpLimitsOf(authorized), session.transport.sessionId, session.protocolVersion);
  }
}

function eraOf(faces: { legacy?: Session; modern?: Session }): ServerEra | undefined {
  if (faces.legacy && faces.modern) return 'dual';
  return faces.modern ? 'modern' : faces.legacy ? 'legacy' : undefined;
}

function facesOf(evidence: CheckContext): Session[] {
  const faces = evidence.faces ?? {};
  return [faces.modern, faces.legacy].filter((face): face is Session => face !== undefined);
}

/**
 * The context a check runs in: a check of one era sees that era's face as `session`; undefined when the
 * server does not speak that era, and the check is skipped. Before any face connected, a legacy check
 * still runs: it is the one that diagnoses a failed handshake.
 */
function contextFor(check: Check, context: CheckContext): CheckContext | undefined {
  if (!check.era) return context;
  if (check.stage !== 'session') return context.era === undefined || speaks(context.era, check.era) ? context : undefined;
  const face = context.faces?.[check.era];
  return face ? { ...context, session: face } : undefined;
}

function speaks(era: ServerEra, wanted: 'legacy' | 'modern'): boolean {
  return era === 'dual' || era === wanted;
}

function probesNeeded(checks: readonly Check[], settings: Settings): ReadonlySet<ProbeNeed> {
  return new Set(checks.filter((check) => isEnabled(check, settings)).flatMap((check) => check.needs ?? []));
}

/** The probe requests an enabled check names (`Check.probes`); the others are never sent. */
function probesWanted(checks: readonly Check[], settings: Settings): TokenProbes {
  const wanted = (probe: keyof TokenProbes) => checks.some((check) => check.probes?.includes(probe) && isEnabled(check, settings));
  return { forgedToken: wanted('forgedToken'), tokenInQuery: wanted('tokenInQuery') };
}

/**
 * Points findings about a tool, prompt or resource at its definition in the repository, and the others
 * at the fallback, so annotations and SARIF results land on the right line. Paths are made relative to
 * the workspace, where GitHub resolves them.
 */
async function locateFindings(results: { findings: Finding[] }[], settings: Settings, fallback?: Location): Promise<void> {
  const subjects = results.flatMap((r) => r.findings.flatMap((f) => (f.subject ? [f.subject] : [])));
  const found = subjects.length ? await findDefinitions(settings.sourceRoot, subjects, { deadlineMs: LOCATE_DEADLINE_MS }) : new Map<string, Location>();
  const definitions = new Map([...found].map(([key, location]) => [key, { ...location, file: relativeToWorkspace(settings, location.file) }]));
  for (const result of results) result.findings = attachLocations(result.findings, definitions, fallback);
}

function relativeToWorkspace(settings: Settings, file: string): string {
  return path.relative(settings.workspace, path.join(settings.sourceRoot, file)).split(path.sep).join('/');
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Taken before cleanup, so an exit the gate caused is never reported as the server's own. */
function recordServerExit(evidence: Evidence, milestones: Milestones): void {
  const exit = evidence.server?.exit;
  if (!exit || (milestones.gaveUpAt !== undefined && exit.atMs > milestones.gaveUpAt)) return;
  const phase: Phase =
    milestones.readyAt === undefined || exit.atMs < milestones.readyAt
      ? 'before ready'
      : milestones.connectedAt === undefined || exit.atMs <= milestones.connectedAt
        ? 'during initialize'
        : 'after initialize';
  evidence.serverExit = { info: exit, phase };
}

/** Session checks in flight at once: enough to overlap round trips, few enough not to flood a small server. */
const SESSION_CONCURRENCY = 6;

async function runSessionChecks(checks: readonly Check[], context: CheckContext, results: Map<string, CheckOutcome>): Promise<void> {
  const runnable = checks.filter((c) => c.stage === 'session' && isEnabled(c, context.settings));
  // Asked in the pool, as it may wait for a listing; a check that does not apply gets no result, so a skip.
  const run = async (check: Check) => {
    const face = contextFor(check, context);
    if (face && (!check.appliesTo || (await check.appliesTo(face)))) results.set(check.meta.id, await timed(check, face));
  };
  const awaitsProbes = (check: Check) => Boolean(check.needs?.length);
  const probing = Promise.all(runnable.filter(awaitsProbes).map(run));
  await mapConcurrently(
    runnable.filter((c) => c.runs === undefined && !awaitsProbes(c)),
    SESSION_CONCURRENCY,
    run,
  );
  // The version probes are requests to the same server, or over stdio server starts that take the CPU
  // the server needs: either would distort a timing check.
  await probing;
  await Promise.all(runnable.filter((c) => c.runs === 'late').map(run));
  for (const check of runnable.filter((c) => c.runs === 'alone')) await run(check);
}

/** Skipped by id in the configuration file, or turned "off" there. */
function isEnabled(check: Check, settings: Settings): boolean {
  const { skip, severity } = settings.config;
  return !skip.includes(check.meta.id) && severity[check.meta.id] !== 'off';
}

/** Applies the configuration file's severity override for the check to each of its findings. */
function withConfiguredSeverity(findings: Finding[], check: Check, settings: Settings): Finding[] {
  const override = settings.config.severity[check.meta.id];
  return override && override !== 'off' ? findings.map((f) => ({ ...f, severity: override })) : findings;
}

interface CheckOutcome {
  findings: Finding[];
  durationMs: number;
}

async function timed(check: Check, context: CheckContext): Promise<CheckOutcome> {
  const started = performance.now();
  let findings: Finding[];
  try {
    // Collected into the engine's record, which reporters read and no check does.
    const observe = (observed: Observations) => Object.assign(context.observations, observed);
    findings = withConfiguredSeverity(await check.run(context, observe), check, context.settings);
  } catch (error) {
    // A bug in one check must not hide the others' findings.
    findings = [
      {
        id: check.meta.id,
        severity: 'error',
        title: check.meta.title,
        message: `The check itself failed: ${(error as Error).stack ?? String(error)}`,
        hint: 'This is a defect of mcp-preflight; please report it with this message.',
      },
    ];
  }
  return { findings, durationMs: Math.round(performance.now() - started) };
}

/**
 * Runs the start-up and clean-up checks over the recorded evidence and merges the session checks'
 * results, in catalogue order. When the server never came up, the first error is the root cause: later
 * start-up checks are skipped so one failure is reported once.
 */
async function runRecordedChecks(
  checks: readonly Check[],
  context: CheckContext,
  sessionResults: Map<string, CheckOutcome>,
): Promise<{ result: CheckResult; findings: Finding[] }[]> {
  const results: { result: CheckResult; findings: Finding[] }[] = [];
  let rootCauseFound = false;
  for (const check of checks) {
    const { id, title } = check.meta;
    let outcome = sessionResults.get(id);
    const runsNow = check.stage === 'cleanup' || check.stage === 'probe' || (check.stage === 'startup' && !rootCauseFound);
    const face = runsNow ? contextFor(check, context) : undefined;
    if (face && isEnabled(check, context.settings) && (!check.appliesTo || (await check.appliesTo(face)))) {
      outcome = await timed(check, face);
      if (check.stage === 'startup') rootCauseFound = !context.session && outcome.findings.some((f) => f.severity === 'error');
    }
    const status = outcome ? statusOf(outcome.findings) : 'skip';
    results.push({ result: { id, title, status, durationMs: outcome?.durationMs ?? 0 }, findings: outcome?.findings ?? [] });
  }
  return results;
}

/** "started: yes -> alive: no (exit 1 during initialize) -> …", for the console and the report. */
export function describeTriage(evidence: CheckContext): string[] {
  const steps: string[] = [];
  const { deploy, server, serverExit, readiness, connect, settings } = evidence;
  if (deploy)
    steps.push(
      `deployed: ${deploy.exit?.code === 0 && !deploy.timedOut ? `yes${deploy.url && !settings.url ? ` (${deploy.url}: ${deploy.urlChosenBecause})` : ''}` : 'no'}`,
    );
  if (server) steps.push(`started: ${serverExit?.info.spawnError || serverExit?.info.code === 127 || serverExit?.info.code === 126 ? 'no' : 'yes'}`);
  if (server) steps.push(`alive: ${serverExit ? `no (the server ${explainExit(serverExit.info)} ${serverExit.phase})` : 'yes'}`);
  if (readiness) steps.push(`ready: ${readiness.ready ? `yes (${readiness.waitedMs} ms)` : 'no'}`);
  if (evidence.loopback) steps.push(`address: ${evidence.loopback.answered} (${evidence.loopback.resolvedFirst} refused)`);
  if (evidence.auth?.token) steps.push(`token: ${evidence.auth.token.acquired ? 'yes' : 'no'}`);
  if (connect) {
    const transports = connect.attempts.map((a) => `${a.transport} ${a.error ? 'failed' : 'ok'}`).join(', ');
    steps.push(`transport: ${settings.command ? 'stdio' : transports}`);
    const { legacy, modern } = connect.faces;
    steps.push(`initialized: ${legacy ? `yes (${legacy.protocolVersion})` : modern ? 'no (modern only: server/discover instead)' : 'no'}`);
    const era = describeEra(evidence);
    if (era) steps.push(`era: ${era}`);
  }
  return steps;
}

/** "dual (2025-11-25; 2026-07-28)", or why the discover probe could not tell. */
function describeEra({ era, faces, connect }: CheckContext): string | undefined {
  const probe = connect?.modern;
  if (!era) return undefined;
  const versions = [faces?.legacy?.protocolVersion, ...(faces?.modern?.versionsOffered ?? [])].filter(Boolean).join('; ');
  const unanswered = probe && (probe.verdict === 'failed' || probe.verdict === 'unknown') ? `, server/discover: ${probe.error?.message ?? 'no answer'}` : '';
  return `${era} (${versions}${unanswered})`;
}
