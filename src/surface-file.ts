import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CHECKS } from './checks/index.js';
import type { Location } from './checks/types.js';
import { runPreflight } from './engine.js';
import type { Report } from './report/report.js';
import type { Settings } from './settings.js';
import type { LiveSurface } from './surface/live.js';
import { serializeSnapshot } from './surface/snapshot.js';
import type { Masker } from './util/masker.js';

export interface SnapshotOutcome {
  /** The run, with the start-up checks only: when the server did not come up, they say why. */
  report: Report;
  /** The file written. */
  file?: string;
  /** Why nothing was written. */
  problem?: string;
}

/**
 * `update-baseline` and the CLI's `snapshot`: brings the server up, reads its surface and writes the
 * snapshot file, without the checklist. A surface the gate could not read whole is not written: a
 * baseline missing items would report them as added on every later run.
 */
export async function writeSurfaceSnapshot(
  settings: Settings & { snapshotPath: string },
  options: { masker: Masker; fallbackLocation?: Location },
): Promise<SnapshotOutcome> {
  let live: LiveSurface | undefined;
  const report = await runPreflight(settings, {
    ...options,
    checks: CHECKS.filter((check) => check.stage === 'startup'),
    onSurface: (surface) => (live = surface),
  });
  if (!live) return { report, problem: 'No surface snapshot was written: the server did not come up (see the findings above).' };
  if (live.incomplete.length) {
    const lists = live.incomplete.map(({ era, list, reason }) => `${era} ${list}: ${reason}`).join('; ');
    return {
      report,
      problem: `No surface snapshot was written: the gate could not read the whole surface (${lists}). Fix the listing, or raise the limit in the configuration file, and run again.`,
    };
  }
  const file = path.resolve(settings.workingDirectory, settings.snapshotPath);
  await mkdir(path.dirname(file), { recursive: true });
  // The file is committed and shown in pull requests: a credential the server advertised must not reach it.
  await writeFile(file, serializeSnapshot(options.masker.maskDeep(live.snapshot)));
  return { report, file };
}
