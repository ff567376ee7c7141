import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.capability-removed',
  title: 'The capabilities of the baseline are still advertised',
  severity: 'error',
  description:
    "Compares the capabilities the server declares at initialization with the baseline's, down to sub-capabilities such as `tools.listChanged` and `resources.subscribe`, and reports each one no longer advertised.",
  why: 'Clients decide what to use from the capabilities: without `tools`, `prompts` or `resources` they stop asking; without `listChanged` or `subscribe` they stop updating.',
  fix: 'Keep declaring the capability; if it is dropped on purpose, release that as breaking and update the baseline.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle#capability-negotiation'),
};

export const surfaceCapabilityRemoved = surfaceCheck(meta, 'capability-removed');
