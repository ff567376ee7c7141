import type { Session } from '../../session/session.js';
import { diffSurfaces, type SurfaceChange, type SurfaceChangeKind } from '../../surface/diff.js';
import { readLiveSurface } from '../../surface/live.js';
import { finding, type Check, type CheckContext, type CheckMeta } from '../types.js';

/** One diff per session, shared by the surface.* checks that run side by side. */
const diffs = new WeakMap<Session, Promise<{ changes: SurfaceChange[]; eras: number }>>();

function changesOf(session: Session, context: CheckContext): Promise<{ changes: SurfaceChange[]; eras: number }> {
  let diff = diffs.get(session);
  if (!diff) {
    diff = (async () => {
      const baseline = context.settings.baseline?.snapshot;
      if (!baseline) return { changes: [], eras: 0 };
      const live = await readLiveSurface(context.faces ?? { [session.era]: session });
      const eras = new Set([...Object.keys(baseline.eras), ...Object.keys(live.snapshot.eras)]).size;
      return { changes: await diffSurfaces(baseline, live.snapshot, { incomplete: live.incomplete }), eras };
    })();
    diffs.set(session, diff);
  }
  return diff;
}

/**
 * A check that reports one kind of change between the baseline (`baseline`) and the live surface. Its
 * message's first line says what changed (the summary's table shows it); the evidence follows.
 */
export function surfaceCheck(meta: CheckMeta, kind: SurfaceChangeKind): Check {
  return {
    meta,
    stage: 'session',
    appliesTo: ({ settings, session }) => Boolean(settings.baseline && session),
    async run(context) {
      if (!context.session || !context.settings.baseline) return [];
      const { changes, eras } = await changesOf(context.session, context);
      const source = context.settings.baseline.source;
      return changes
        .filter((change) => change.kind === kind)
        .map((change) => {
          const era = eras > 1 && !change.wholeEra ? ` (${change.era} era)` : '';
          const message = [`${change.summary}${era}.`, ...change.details.map((line) => `  ${line}`), `Compared with the baseline ${source}.`].join('\n');
          return finding(meta, message, change.subject ? { subject: change.subject } : {});
        });
    },
  };
}
