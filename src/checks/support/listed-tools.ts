import type { Tool } from '@modelcontextprotocol/client';
import type { Session } from '../../session/session.js';
import type { Check, CheckContext, CheckMeta, Finding } from '../types.js';

/**
 * The tools the server lists, for the checks that judge them one by one. Usually the session's shared
 * listing; but when one tool breaks the SDK's schema (an inputSchema without `"type": "object"`), the SDK
 * rejects the whole page, and the checks would see no tool at all, and so say nothing about the one at
 * fault. Then the session's unvalidated listing is used, so the checks can name it.
 */
export async function listedTools(session: Session): Promise<Tool[]> {
  const listing = await session.list('tools');
  if (!listing.error || !('issues' in listing.error)) return listing.items;
  const unvalidated = await session.listUnvalidated('tools');
  return unvalidated.error ? listing.items : unvalidated.items;
}

/**
 * A session check that judges the listed tools (names, descriptions, schemas): it applies when the server
 * advertises tools, and reads them through `listedTools`.
 */
export function toolsCheck(meta: CheckMeta, judge: (tools: Tool[], session: Session, context: CheckContext) => Finding[] | Promise<Finding[]>): Check {
  return {
    meta,
    stage: 'session',
    appliesTo: async ({ session }) => session?.advertises('tools') === true && (await listedTools(session)).length > 0,
    async run(context) {
      const { session } = context;
      if (!session) return [];
      return judge(await listedTools(session), session, context);
    },
  };
}
