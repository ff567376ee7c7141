import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.tool-removed',
  title: 'Tools listed in the baseline are still listed',
  severity: 'error',
  description: 'Compares the live tools with the `baseline` snapshot by name and reports each tool the baseline lists and the server no longer does.',
  why: 'Agents, prompts and client configurations call tools by name: a removed tool fails every one of them at run time with "unknown tool", in someone else\'s conversation.',
  fix: 'Keep the tool (deprecate it in its description first), or, if the removal is intended, release it as a breaking change and update the baseline (update-baseline: true, or `npx mcp-preflight snapshot`).',
  specUrl: specUrl('2025-11-25', 'server/tools#listing-tools'),
};

export const surfaceToolRemoved = surfaceCheck(meta, 'tool-removed');
