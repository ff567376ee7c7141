import { listCheck } from '../support/listing.js';
import { specUrl } from '../types.js';

export const resourcesList = listCheck(
  'resources',
  {
    id: 'resources.list',
    title: 'resources/list answers and its pages end',
    severity: 'error',
    since: '2024-11-05',
    description: 'Lists every page of resources when the server advertises the resources capability.',
    why: 'Clients list resources to show them to users and models; a failing or endless list hides them all.',
    fix: 'Make resources/list answer with a `resources` array (empty is fine) and end its pages.',
    specUrl: specUrl('2025-11-25', 'server/resources'),
  },
  ['error', 'pages'],
);
