import { listCheck } from '../support/listing.js';
import { specUrl } from '../types.js';

export const toolsPagination = listCheck(
  'tools',
  {
    id: 'tools.pagination',
    title: 'tools/list pages end, and a stale cursor is answered',
    severity: 'error',
    since: '2024-11-05',
    description:
      'Follows nextCursor through every page of tools/list, stopping on a repeated cursor or at `max-pages`, then sends a cursor the server never issued and expects an answer (error -32602, or a page) within `request-timeout`.',
    why: 'A cursor that repeats sends clients into an endless loop; pages that never end hide tools; a stale cursor left unanswered hangs the client.',
    fix: 'Return no nextCursor on the last page, make each cursor point past the previous one, and answer an unknown cursor with error -32602.',
    specUrl: specUrl('2025-11-25', 'server/utilities/pagination'),
  },
  ['pages', 'invalid-cursor'],
);
