import type { ListKind, Listing } from '../../session/session.js';
import { LIST_METHODS } from '../../session/session.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

/** One check per list method: the request succeeds, and its pages end. */
function listCheck(kind: ListKind, meta: CheckMeta, { reportPagination }: { reportPagination: boolean }): Check {
  const { capability, method } = LIST_METHODS[kind];
  return {
    meta,
    stage: 'session',
    appliesTo: ({ session }) => session?.advertises(capability) ?? false,
    async run({ session }) {
      if (!session) return [];
      const listing: Listing<unknown> = await session.list(kind);
      const findings = [];
      if (listing.error) {
        const after = listing.pages ? ` after ${listing.pages} page(s)` : '';
        findings.push(finding(meta, `${method} failed${after}: ${listing.error.message}. The server advertises the "${capability}" capability, so clients will call it.`));
      }
      if (reportPagination && listing.stoppedBy) findings.push(paginationFinding(meta, method, listing));
      return findings;
    },
  };
}

function paginationFinding(meta: CheckMeta, method: string, listing: Listing<unknown>) {
  const stop = listing.stoppedBy;
  const why =
    stop?.reason === 'repeated-cursor'
      ? `returned the cursor "${stop.cursor}" a second time, so a client following nextCursor would loop forever`
      : `still returned a nextCursor after ${listing.pages} pages (the max-pages setting)`;
  return finding(meta, `${method} ${why}. ${listing.items.length} item(s) were read before the gate stopped.`, {
    severity: 'error',
    hint: 'Return no nextCursor on the last page, and make each cursor point past the previous one. Raise max-pages if the list is really that long.',
  });
}

const paginationSpec = specUrl('2025-11-25', 'server/utilities/pagination');

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
  { reportPagination: false },
);

export const toolsPagination = listCheck(
  'tools',
  {
    id: 'tools.pagination',
    title: 'tools/list pages end',
    severity: 'error',
    since: '2024-11-05',
    description: 'Follows nextCursor through every page of tools/list, stopping on a repeated cursor or at `max-pages`.',
    why: 'A cursor that repeats sends clients into an endless loop; pages that never end hide tools.',
    fix: 'Return no nextCursor on the last page, and make each cursor point past the previous one.',
    specUrl: paginationSpec,
  },
  { reportPagination: true },
);

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
  { reportPagination: true },
);

export const resourceTemplatesList = listCheck(
  'resourceTemplates',
  {
    id: 'resources.templates',
    title: 'resources/templates/list answers and its pages end',
    severity: 'error',
    since: '2024-11-05',
    description: 'Lists every page of resource templates when the server advertises the resources capability.',
    why: 'Clients call it whenever resources are advertised; a method-not-found error there breaks resource pickers.',
    fix: 'Answer resources/templates/list with a `resourceTemplates` array, empty if the server has none.',
    specUrl: specUrl('2025-11-25', 'server/resources'),
  },
  { reportPagination: true },
);

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
  { reportPagination: true },
);
