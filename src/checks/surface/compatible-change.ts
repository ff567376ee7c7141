import type { CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.compatible-change',
  title: 'Compatible changes to the surface are listed for review',
  severity: 'notice',
  description:
    'Reports changes that keep existing clients working: an input schema that accepts more, an output schema that promises less variety, an optional prompt argument, a new title or annotations, a changed serverInfo, a newer revision. A schema change the gate could not judge is reported here too, for review by hand.',
  why: 'Nothing breaks, but the contract changed: reviewers should know, and the baseline should follow.',
  fix: 'Nothing to fix; update the baseline when the change is merged.',
};

export const surfaceCompatibleChange = surfaceCheck(meta, 'compatible-change');
