import type { AuthProbe, TokenProbes } from '../session/auth-probe.js';
import type { ConnectOutcome } from '../session/connect.js';
import type { ServerCardProbe } from '../session/server-card.js';
import type { Era, Session } from '../session/session.js';
import type { StampedAnswer } from '../session/stamped-request.js';
import type { VersionProbe } from '../session/version-probe.js';
import type { Finding, Severity } from '../findings.js';
import type { Settings } from '../settings.js';
import type { CommandOutcome } from '../target/deploy.js';
import type { LoopbackChoice } from '../target/loopback-route.js';
import type { ExitInfo, ManagedProcess } from '../target/process.js';
import type { ProbeResult, ReadinessOutcome } from '../target/readiness.js';

export type { Finding, Location, Severity, Subject, SubjectKind } from '../findings.js';

/** Revisions of the MCP specification, by their date. */
export type SpecRevision = '2024-11-05' | '2025-03-26' | '2025-06-18' | '2025-11-25' | '2026-07-28';

/**
 * What a check is and why it matters; `npm run docs` builds the README's catalogue and troubleshooting table,
 * the page docs/checks/<id>.md and the SARIF rule's help from it.
 */
export interface CheckMeta {
  id: string;
  title: string;
  severity: Severity;
  /** The revision that introduced the rule, when it comes from the specification. */
  since?: SpecRevision;
  /** What the check looks at, in one sentence. */
  description: string;
  /**
   * What usually causes the failure, for the troubleshooting table and the check's page: the likely
   * mistakes, not the impact (that is `why`). Required of `startup` and `cleanup` checks, the ones the
   * troubleshooting table lists.
   */
  cause?: string;
  /** Why a failure matters to the people using the server. */
  why: string;
  /** What to do about it. */
  fix: string;
  specUrl?: string;
}

/** When the server started, relative to the gate's phases; used to say when it went away. */
export type Phase = 'before ready' | 'during initialize' | 'after initialize';

/** Everything recorded while bringing the server up, before any check looks at it. */
export interface Evidence {
  settings: Settings;
  deploy?: CommandOutcome;
  /** The started server: the `start` command, or the stdio `command`. */
  server?: ManagedProcess;
  /** The server's exit if it ended by itself, taken before the gate stopped it. */
  serverExit?: { info: ExitInfo; phase: Phase };
  targetUrl?: URL;
  readiness?: ReadinessOutcome;
  /** Set when `localhost` answered only at another loopback address than it resolves to first. */
  loopback?: LoopbackChoice;
  connect?: ConnectOutcome;
  /** How the server is protected, and the OAuth token request (HTTP only; see session/auth-probe.ts). */
  auth?: AuthProbe;
  startupMs?: number;
  checksMs?: number;
  cleanupMs?: number;
  /** Where the server serves its Server Card, if anywhere (HTTP only; see session/server-card.ts). */
  serverCard?: ServerCardProbe;
  /** The health URL's answer after the checklist, with its latency. */
  health?: ProbeResult & { latencyMs: number };
  teardown?: CommandOutcome;
}

/** What the run measured for the report beyond findings: the compatibility matrix, latencies. */
export interface Observations {
  /** The compatibility matrix (session/version-probe.ts): per era and version asked, what the server answered. */
  versionMatrix?: VersionProbe[];
  latency?: { method: string; count: number; p50Ms: number; p95Ms: number }[];
  health?: { url: string; status?: number; latencyMs: number };
}

/** The eras the server speaks, as far as the run found out; `dual` speaks both. */
export type ServerEra = Era | 'dual';

export interface CheckContext extends Evidence {
  /**
   * The face a check runs on: for a check of one era (`Check.era`), that era's session; otherwise the
   * primary face, modern when the server speaks it, else legacy.
   */
  session?: Session;
  /** Each era's session, for the checks that compare the two faces of a dual-era server. */
  faces?: { legacy?: Session; modern?: Session };
  /** The eras the server was found to speak; undefined when no face connected. */
  era?: ServerEra;
  /**
   * The compatibility matrix: the gate's own connections and, when a check `needs` them, one connection per
   * other version asked (over stdio, a server process each). Set once a face connected.
   */
  versionMatrix?: Promise<VersionProbe[]>;
  /** The engine's record of what checks measured, for the report. A check never writes here: it hands its measurement to `observe` (see `Check.run`). */
  /** The modern face's answer to a request stamped with an unknown version, when a check `needs` 'stamped-version'. */
  unknownVersionProbe?: Promise<StampedAnswer>;
  observations: Observations;
}

/** The engine's probes a check may ask for; see `Check.needs`. */
export type ProbeNeed = 'version-matrix' | 'stamped-version';

/** Hands the engine a measurement for the report (latencies, the health answer); no other check reads it. */
export type Observe = (observed: Observations) => void;

export interface Check {
  meta: CheckMeta;
  /**
   * `startup` checks explain why a server did not come up (or came up badly) from the recorded evidence;
   * the first error among them is the root cause and the rest of the chain is skipped. `session` checks
   * need a connected session. `cleanup` checks look at what happened after the server was stopped.
   * `probe` checks judge what the gate's own probes recorded (the auth posture): they run whether or not
   * the server came up, and are never the root cause of a failed start.
   */
  stage: 'startup' | 'session' | 'cleanup' | 'probe';
  /**
   * The protocol era the check belongs to (`ping` exists only in the legacy era, `server/discover` only in
   * the modern one). A session check runs on that era's face; a check of an era the server does not speak
   * is skipped, never failed. Without it, a check runs on the primary face.
   */
  era?: Era;
  /**
   * Session checks run a few at a time, as a client's concurrent requests would. A `late` one runs after
   * them, beside the other late ones: it reads the server again once the others' requests and tool calls
   * are done (the lists it reads then are shared, see `Session.listLater`). An `alone` one runs by itself
   * after those, because it measures timing or judges what every other check's requests brought.
   */
  runs?: 'late' | 'alone';
  /**
   * The probes the engine must run for the check, on connections of its own, beside the gate's: the
   * other legacy revisions of the compatibility matrix (`version-matrix`, as `versionMatrix` configures),
   * and the first list request of the modern face stamped with an unknown version (`stamped-version`,
   * awaited as `unknownVersionProbe`; the matrix shows it as its unknown modern row). A check that needs probes makes no request on the session and waits on
   * them: it runs beside the other checks,
   * and the late and alone ones wait for it, as the probes load the server.
   */
  needs?: readonly ProbeNeed[];
  /**
   * Whether the check has anything to look at in this run; a check that does not apply is skipped. A
   * session check may wait for the session's listings to know (nothing listed: nothing to read).
   */
  /**
   * The optional requests of the gate's own probes whose answers the check judges: the engine sends them only
   * when an enabled check names them, so the probes never need to know a check id.
   */
  probes?: readonly (keyof TokenProbes)[];
  /** The rules a configuration file's `ignore` entry may silence per tool, prompt or resource; none when absent. */
  ignorableRules?: readonly string[];
  appliesTo?(context: CheckContext): boolean | Promise<boolean>;
  /**
   * The check's findings. A check reads the context and never writes into it, so no check depends on another
   * having run; a measurement the report shows goes to `observe`, which the engine gives every run.
   */
  run(context: CheckContext, observe?: Observe): Finding[] | Promise<Finding[]>;
}

/** A finding of the check's own id and severity; the hint defaults to the check's documented fix. */
export function finding(meta: CheckMeta, message: string, extra: Partial<Omit<Finding, 'id' | 'message'>> = {}): Finding {
  return { id: meta.id, severity: meta.severity, title: meta.title, message, hint: meta.fix, ...extra };
}

export const SPEC_BASE = 'https://modelcontextprotocol.io/specification';

export function specUrl(revision: SpecRevision, page: string): string {
  return `${SPEC_BASE}/${revision}/${page}`;
}
