import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.era-dropped',
  title: 'The server still speaks the protocol eras and revisions of the baseline',
  severity: 'error',
  description:
    'Compares the protocol eras (legacy, modern) the server speaks, and the revision it answers in each, with the baseline, and reports an era no longer spoken or an older revision answered where a newer one was.',
  why: 'Clients pinned to an era or revision the server no longer speaks cannot connect at all.',
  fix: 'Keep serving the era (the v2 SDK serves both by default) and the revision; if it is dropped on purpose, release that as breaking and update the baseline.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle#version-negotiation'),
};

export const surfaceEraDropped = surfaceCheck(meta, 'era-dropped');
