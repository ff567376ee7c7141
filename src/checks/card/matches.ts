import { compareCard, readCard, type CardIssue } from '../../registry/card.js';
import { liveIdentityOf, reachedOf, SERVER_CARD_SEP_URL } from '../support/registry.js';
import { finding, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'card.matches',
  title: 'The Server Card agrees with the live server',
  severity: 'warning',
  description:
    "Compares what the served Server Card states with the connected server: version and name (serverInfo), the tools it lists with tools/list, the transport of its remotes, and its name with server.json's.",
  why: 'Clients show the card before connecting and SEP-2127 requires them to check the live primitives against it: a stale card advertises tools the server does not have, or hides ones it does, and security reviews made from the card no longer hold.',
  fix: 'Generate the card from the same source as the server (its name, version and tool definitions) at build or request time, rather than keeping a hand-written copy; set capabilities.tools.listChanged: true if the tools change at run time.',
  specUrl: SERVER_CARD_SEP_URL,
};

export const cardMatches: Check = {
  meta,
  stage: 'session',
  appliesTo: (context) => context.serverCard?.served?.card !== undefined && context.session !== undefined,
  async run(context) {
    const served = context.serverCard!.served!;
    const identity = liveIdentityOf(context) ?? { source: 'serverInfo in the initialize result' };
    const tools = await liveTools(context);
    const serverJsonName = context.settings.serverJson?.data.name;
    const issues = compareCard(readCard(served.card), {
      ...identity,
      tools,
      reached: reachedOf(context)!,
      serverJsonName: typeof serverJsonName === 'string' ? serverJsonName : undefined,
    });
    return issues.map((issue) => describe(issue, served.url));
  },
};

async function liveTools(context: CheckContext): Promise<string[] | undefined> {
  const session = context.session!;
  if (!session.advertises('tools')) return [];
  const listing = await session.list('tools');
  // A partial list cannot show that a tool is missing.
  return listing.error || listing.truncated || listing.stoppedBy ? undefined : listing.items.map((tool) => tool.name);
}

function describe(issue: CardIssue, url: string): Finding {
  switch (issue.kind) {
    case 'version-differs':
      return finding(meta, `The Server Card at ${url} says version "${issue.card}", but the server reports "${issue.live}" (${issue.source}).`);
    case 'name-unrelated':
      return finding(
        meta,
        `The Server Card at ${url} names the server "${issue.card}", and the server calls itself "${issue.live}" (${issue.source}); the two share nothing.`,
        { severity: 'notice' },
      );
    case 'name-differs-from-server-json':
      return finding(
        meta,
        `The Server Card at ${url} names the server "${issue.card}", but server.json publishes it as "${issue.serverJson}"; clients cannot match the card to the registry entry.`,
      );
    case 'tools-differ': {
      const parts = [
        issue.missingLive.length ? `lists ${quote(issue.missingLive)} that tools/list does not` : undefined,
        issue.missingFromCard.length ? `omits ${quote(issue.missingFromCard)} that tools/list returns` : undefined,
      ].filter(Boolean);
      const dynamic = issue.dynamic ? ' It declares capabilities.tools.listChanged, so the tools may vary by design.' : '';
      return finding(meta, `The Server Card at ${url} ${parts.join(' and ')}.${dynamic}`, issue.dynamic ? { severity: 'notice' } : {});
    }
    case 'transport-not-listed':
      return finding(
        meta,
        `The Server Card at ${url} lists remotes of type ${issue.listed.join(', ')}, but the server answered ${issue.reached} here; clients following the card speak the wrong transport.`,
      );
  }
}

function quote(names: string[]): string {
  const shown = names
    .slice(0, 8)
    .map((n) => `"${n}"`)
    .join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}
