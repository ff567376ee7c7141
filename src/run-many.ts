import os from 'node:os';
import { projectLocation } from './locate/project.js';
import type { Check } from './checks/types.js';
import { runPreflight } from './engine.js';
import type { Report } from './report/report.js';
import { registerSecrets } from './secrets.js';
import type { ServerTargets } from './servers-config/targets.js';
import { SettingsError, type Settings } from './settings.js';
import { supervisor } from './target/process.js';
import type { Masker } from './util/masker.js';
import { mapConcurrently } from './util/pool.js';

/** One server to verify: its name in the client configuration and its validated settings. */
export interface RunnableTarget {
  name: string;
  settings: Settings;
}

export interface ManyOptions {
  masker: Masker;
  /** The `max-parallel` input; the machine's cores bound it either way. */
  maxParallel?: number;
  checks?: readonly Check[];
  /** Told each server's report as soon as it is done, e.g. to show progress. */
  onReport?: (name: string, report: Report) => void;
  onSecret?: (secret: string) => void;
}

export interface ManyRun {
  /** A report per server that ran, in the order the targets were given. */
  reports: Report[];
  /** Servers a signal kept from starting: the run was cancelled before their turn. */
  notStarted: string[];
  /** How many servers were verified at once. */
  parallel: number;
  totalMs: number;
}

/** Servers verified at once: `max-parallel`, never more than the machine's cores (each server is a process tree). */
export function parallelismFor(maxParallel: number | undefined, cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(maxParallel ?? cores, cores));
}

/**
 * Several servers in one run, concurrently. Each runs the one engine path in a scope of its own, so its
 * processes, ports and cleanup are its own: a server that ends early cannot end another's processes.
 * A signal still ends every process of the run (the supervisor), and servers not yet started stay so.
 */
export async function runMany(targets: readonly RunnableTarget[], options: ManyOptions): Promise<ManyRun> {
  const started = performance.now();
  const parallel = parallelismFor(options.maxParallel);
  const notStarted: string[] = [];
  const outcomes = await mapConcurrently(targets, parallel, async ({ name, settings }) => {
    if (supervisor.endingOnSignal) {
      notStarted.push(name);
      return undefined;
    }
    const report = await supervisor.withinScope(() =>
      runPreflight(settings, { masker: options.masker, checks: options.checks, fallbackLocation: projectLocation(settings), onSecret: options.onSecret }),
    );
    options.onReport?.(name, report);
    return report;
  });
  return {
    reports: outcomes.filter((report): report is Report => report !== undefined),
    notStarted,
    parallel,
    totalMs: Math.round(performance.now() - started),
  };
}

/**
 * The servers of servers-config, ready to run, with every credential their entries hold registered
 * first. Checked before anything starts: an entry that cannot run is a configuration error naming it
 * (exit 2), not a half-run; a surface snapshot describes one server.
 */
export function runnableTargets({ targets, config }: ServerTargets, masker: Masker): RunnableTarget[] {
  for (const target of targets) {
    registerSecrets(target.inputs, masker);
    for (const secret of target.secrets) masker.add(secret);
  }
  const broken = targets.filter((target) => !target.settings);
  if (broken.length) {
    const reasons = broken.map((target) => target.error?.message ?? `server "${target.name}" cannot run`).join('; ');
    const others =
      targets.length > broken.length
        ? `; or leave ${broken.length > 1 ? 'them' : 'it'} out with server (${targets
            .filter((t) => t.settings)
            .map((t) => t.name)
            .join(', ')})`
        : '';
    throw new SettingsError('servers-config', `${reasons}. Fix ${broken.length > 1 ? 'these entries' : 'the entry'} in ${config.source.file}${others}`);
  }
  const runnable = targets.map((target) => ({ name: target.name, settings: target.settings as Settings }));
  if (runnable.length > 1 && runnable[0].settings.snapshotPath) {
    throw new SettingsError(
      'server',
      `a surface snapshot describes one server, and ${runnable.length} are selected (${runnable.map((t) => t.name).join(', ')}); name one with server`,
    );
  }
  return runnable;
}
