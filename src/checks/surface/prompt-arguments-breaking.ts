import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.prompt-arguments-breaking',
  title: 'Prompts accept the arguments of the baseline',
  severity: 'error',
  description: "Compares each prompt's arguments with the baseline's and reports an argument removed, made required, or added as required.",
  why: 'Clients send the arguments the baseline listed: a missing required argument or an unknown one makes prompts/get fail.',
  fix: 'Add new arguments as optional and keep existing ones; if the change is intended, release it as breaking and update the baseline.',
  specUrl: specUrl('2025-11-25', 'server/prompts#getting-a-prompt'),
};

export const surfacePromptArgumentsBreaking = surfaceCheck(meta, 'prompt-arguments-breaking');
