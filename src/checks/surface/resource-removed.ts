import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.resource-removed',
  title: 'Resources and resource templates of the baseline are still listed',
  severity: 'error',
  description:
    'Compares the live resources (by URI) and resource templates (by URI template) with the `baseline` snapshot and reports each one the server no longer lists.',
  why: 'Clients and users keep references to resources by URI; a removed resource or template makes those reads fail.',
  fix: 'Keep the resource or template (or serve it at the old URI too); if the removal is intended, release it as breaking and update the baseline.',
  specUrl: specUrl('2025-11-25', 'server/resources#listing-resources'),
};

export const surfaceResourceRemoved = surfaceCheck(meta, 'resource-removed');
