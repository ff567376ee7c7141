import type { CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.added',
  title: 'Additions to the surface are listed for review',
  severity: 'notice',
  description: 'Reports each tool, prompt, resource, resource template, capability or era the server offers that the `baseline` snapshot does not have.',
  why: 'Additions break no client, but every new tool is new text the model reads and a new action it can take: reviewers should see it.',
  fix: 'Nothing to fix; update the baseline (update-baseline: true, or `npx mcp-preflight snapshot`) when the change is merged.',
};

export const surfaceAdded = surfaceCheck(meta, 'added');
