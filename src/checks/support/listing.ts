import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import type { ListKind, Listing, Session } from '../../session/session.js';
import { LIST_METHODS } from '../../session/session.js';
import { noAnswer } from './no-answer.js';
import { quoteError, schemaIssues } from './request-error.js';
import { finding, type Check, type CheckMeta, type Finding } from '../types.js';

/** What a list check reports: the request failing, its pages not ending, an unknown cursor left unanswered. */
type Aspect = 'error' | 'pages' | 'invalid-cursor';

/** A cursor no server issues: what a client holds after the server restarted or its cursors expired. */
export const INVALID_CURSOR = 'mcp-preflight-invalid-cursor';

/** One check per list method, reading the session's shared listing for the aspects it reports. */
export function listCheck(kind: ListKind, meta: CheckMeta, aspects: Aspect[]): Check {
  const { capability } = LIST_METHODS[kind];
  return {
    meta,
    stage: 'session',
    appliesTo: ({ session }) => session?.advertises(capability) ?? false,
    async run({ session }) {
      if (!session) return [];
      const listing: Listing<unknown> = await session.list(kind);
      const findings: Finding[] = [];
      if (aspects.includes('error') && listing.error) findings.push(errorFinding(meta, kind, listing, listing.error));
      if (aspects.includes('pages') && listing.stoppedBy) findings.push(paginationFinding(meta, kind, listing));
      if (aspects.includes('invalid-cursor') && !listing.error) findings.push(...(await probeInvalidCursor(meta, kind, session)));
      return findings;
    },
  };
}

function errorFinding(meta: CheckMeta, kind: ListKind, listing: Listing<unknown>, error: Error): Finding {
  const { method, capability, field } = LIST_METHODS[kind];
  const where = listing.pages ? ` on page ${listing.pages + 1}` : '';
  const problems = schemaIssues(error);
  if (problems) {
    return finding(
      meta,
      `${method}${where} was answered, but clients built on the MCP SDK reject the answer, and with it every one of the server's ${field}: ${problems}.`,
    );
  }
  if (kind === 'resourceTemplates' && error instanceof ProtocolError && error.code === (ProtocolErrorCode.MethodNotFound as number)) {
    // A server that declares resources without templates (the low-level SDK servers' usual shape): clients
    // read -32601 here as "no templates", and the resources still work everywhere.
    return finding(
      meta,
      `${method} failed${where}: ${quoteError(error)}. Clients that call it read this as "no templates", so the resources still work, but the server advertises the "${capability}" capability, which includes this method.`,
      {
        severity: 'warning',
      },
    );
  }
  return finding(meta, `${method} failed${where}: ${quoteError(error)}. The server advertises the "${capability}" capability, so clients will call it.`);
}

function paginationFinding(meta: CheckMeta, kind: ListKind, listing: Listing<unknown>): Finding {
  const { method } = LIST_METHODS[kind];
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

/** Any answer, an error (-32602 is what the specification asks for) or a page, is graceful; silence is not. */
async function probeInvalidCursor(meta: CheckMeta, kind: ListKind, session: Session): Promise<Finding[]> {
  const { method } = LIST_METHODS[kind];
  try {
    // Only whether an answer comes matters: the server may answer with its whole first page.
    await session.askOnly(method, { cursor: INVALID_CURSOR });
    return [];
  } catch (error) {
    const missing = noAnswer(error, session.requestTimeoutMs);
    if (!missing) return [];
    return [
      finding(
        meta,
        `${method} with a cursor the server never issued ("${INVALID_CURSOR}") got ${missing} (${quoteError(error)}). A client holding a stale cursor, after a restart or a deploy of the server, hangs there instead of starting over.`,
        { hint: 'Answer an unknown or expired cursor at once, with error -32602 (invalid params) as the specification recommends, or with the first page.' },
      ),
    ];
  }
}
