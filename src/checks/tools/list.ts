import { listCheck } from '../support/listing.js';
import { specUrl } from '../types.js';

export const toolsList = listCheck(
  'tools',
  {
    id: 'tools.list',
    title: 'tools/list answers',
    severity: 'error',
    since: '2024-11-05',
    description: 'Lists every page of tools when the server advertises the tools capability.',
    why: 'A client that cannot list tools cannot offer any of them to the model.',
    fix: 'Make tools/list answer with a `tools` array; check the server log for the exception behind the error.',
    specUrl: specUrl('2025-11-25', 'server/tools'),
  },
  ['error'],
);
