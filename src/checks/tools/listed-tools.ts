import { ResultSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Session } from '../../session/session.js';
import type { Check, CheckContext, CheckMeta, Finding } from '../types.js';

const lenientListings = new WeakMap<Session, Promise<Tool[]>>();

/**
 * The tools the server lists, for the checks that judge them one by one. Usually the session's shared
 * listing; but when one tool breaks the SDK's schema (an inputSchema without `"type": "object"`), the SDK
 * rejects the whole page, and the checks would see no tool at all, and so say nothing about the one at
 * fault. Then the pages are fetched again without the schema, once per session, so the checks can name it.
 */
export async function listedTools(session: Session, maxPages: number): Promise<Tool[]> {
  const listing = await session.list('tools');
  if (!listing.error || !('issues' in listing.error)) return listing.items;
  let lenient = lenientListings.get(session);
  if (!lenient) {
    lenient = fetchLeniently(session, maxPages).catch(() => listing.items);
    lenientListings.set(session, lenient);
  }
  return lenient;
}

async function fetchLeniently(session: Session, maxPages: number): Promise<Tool[]> {
  const tools: Tool[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await session.client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, ResultSchema, {
      timeout: session.requestTimeoutMs,
    });
    const listed = Array.isArray(result.tools) ? (result.tools as unknown[]) : [];
    tools.push(...listed.filter((t): t is Tool => typeof (t as Tool | null)?.name === 'string'));
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (cursor === undefined || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return tools;
}

/**
 * A session check that judges the listed tools (names, descriptions, schemas): it applies when the server
 * advertises tools, and reads them through `listedTools`.
 */
export function toolsCheck(meta: CheckMeta, judge: (tools: Tool[], session: Session, context: CheckContext) => Finding[] | Promise<Finding[]>): Check {
  return {
    meta,
    stage: 'session',
    appliesTo: ({ session }) => session?.advertises('tools') ?? false,
    async run(context) {
      const { session, settings } = context;
      if (!session) return [];
      return judge(await listedTools(session, settings.maxPages), session, context);
    },
  };
}
