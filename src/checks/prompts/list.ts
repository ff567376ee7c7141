import { listCheck } from '../support/listing.js';
import { specUrl } from '../types.js';

export const promptsList = listCheck(
  'prompts',
  {
    id: 'prompts.list',
    title: 'prompts/list answers and its pages end',
    severity: 'error',
    since: '2024-11-05',
    description: 'Lists every page of prompts when the server advertises the prompts capability.',
    why: 'A client that cannot list prompts cannot offer any of them to users.',
    fix: 'Make prompts/list answer with a `prompts` array and end its pages.',
    specUrl: specUrl('2025-11-25', 'server/prompts'),
  },
  ['error', 'pages'],
);
