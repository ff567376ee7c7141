import { listCheck } from '../support/listing.js';
import { specUrl } from '../types.js';

export const resourceTemplatesList = listCheck(
  'resourceTemplates',
  {
    id: 'resources.templates',
    title: 'resources/templates/list answers and its pages end',
    severity: 'error',
    since: '2024-11-05',
    description:
      'Lists every page of resource templates when the server advertises the resources capability. Error -32601 (method not found) is a warning: clients read it as "no templates".',
    why: 'Clients call it whenever resources are advertised; an exception or a malformed answer there breaks their resource pickers.',
    fix: "Answer resources/templates/list with a `resourceTemplates` array, empty if the server has none (with the SDKs' low-level Server, register a handler for it next to resources/list).",
    specUrl: specUrl('2025-11-25', 'server/resources'),
  },
  ['error', 'pages'],
);
