import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.prompt-removed',
  title: 'Prompts listed in the baseline are still listed',
  severity: 'error',
  description: 'Compares the live prompts with the `baseline` snapshot by name and reports each prompt the baseline lists and the server no longer does.',
  why: "Users pick prompts from their client's menu and clients may reference them by name: a removed prompt breaks those flows.",
  fix: 'Keep the prompt, or release its removal as a breaking change and update the baseline.',
  specUrl: specUrl('2025-11-25', 'server/prompts#listing-prompts'),
};

export const surfacePromptRemoved = surfaceCheck(meta, 'prompt-removed');
