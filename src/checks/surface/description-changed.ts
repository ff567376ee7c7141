import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.description-changed',
  title: 'Changed descriptions and instructions are shown for review',
  severity: 'warning',
  description:
    'Reports each tool, prompt or resource description, and the server instructions, whose text differs from the `baseline` snapshot, with a word-level diff.',
  why: 'The model reads these texts and acts on them: a server approved with one description and later serving another is how a "rug pull" works, so a reviewer should re-read what changed even when nothing breaks.',
  fix: 'Read the diff; when it says what it should, update the baseline with the merge.',
  specUrl: specUrl('2025-11-25', 'server/tools#security-considerations'),
};

export const surfaceDescriptionChanged = surfaceCheck(meta, 'description-changed');
