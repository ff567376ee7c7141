import { namesRelated, type LiveIdentity, type Reached } from './rules.js';

/**
 * A Server Card (SEP-2127: `server.json`'s shape without packages, plus capabilities and static tools,
 * prompts and resources) as the gate reads it. Earlier drafts (SEP-1649) put the name and version in
 * `serverInfo` and used the top-level `version` for the card format's own version; both are read.
 */
export interface CardFacts {
  name?: string;
  version?: string;
  /** Tool names the card lists, when it lists tools. */
  tools?: string[];
  /** The card says its tool list can change at run time (`capabilities.tools.listChanged`). */
  toolsDynamic: boolean;
  /** The transport types of its `remotes`. */
  remoteTypes: string[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export function readCard(raw: unknown): CardFacts {
  const card = record(raw);
  const serverInfo = card.serverInfo === undefined ? undefined : record(card.serverInfo);
  const tools = Array.isArray(card.tools) ? card.tools.map((tool) => text(record(tool).name)).filter((name): name is string => name !== undefined) : undefined;
  const toolsCapability = record(record(card.capabilities).tools);
  const remotes = Array.isArray(card.remotes) ? card.remotes : [];
  return {
    name: text(serverInfo?.name) ?? text(card.name),
    version: serverInfo ? text(serverInfo.version) : text(card.version),
    tools,
    toolsDynamic: toolsCapability.listChanged === true,
    remoteTypes: remotes.map((remote) => text(record(remote).type)).filter((type): type is string => type !== undefined),
  };
}

export type CardIssue =
  | { kind: 'version-differs'; card: string; live: string; source: string }
  | { kind: 'name-unrelated'; card: string; live: string; source: string }
  | { kind: 'name-differs-from-server-json'; card: string; serverJson: string }
  | { kind: 'tools-differ'; missingLive: string[]; missingFromCard: string[]; dynamic: boolean }
  | { kind: 'transport-not-listed'; reached: Reached['transport']; listed: string[] };

export interface LiveServer extends LiveIdentity {
  /** The live tools/list, when the server lists tools and the listing succeeded. */
  tools?: string[];
  reached: Reached;
  /** server.json's name, when a server.json was given: the card's name is the same registry name. */
  serverJsonName?: string;
}

/** What a card says that the live server contradicts. Only fields the card states are compared. */
export function compareCard(card: CardFacts, live: LiveServer): CardIssue[] {
  const issues: CardIssue[] = [];
  if (card.version !== undefined && live.version !== undefined && card.version !== live.version) {
    issues.push({ kind: 'version-differs', card: card.version, live: live.version, source: live.source });
  }
  if (card.name !== undefined) {
    if (live.serverJsonName !== undefined && card.name !== live.serverJsonName && card.name.includes('/')) {
      issues.push({ kind: 'name-differs-from-server-json', card: card.name, serverJson: live.serverJsonName });
    } else if (live.name !== undefined && !namesRelated(card.name, live.name)) {
      issues.push({ kind: 'name-unrelated', card: card.name, live: live.name, source: live.source });
    }
  }
  if (card.tools !== undefined && live.tools !== undefined) {
    const liveSet = new Set(live.tools);
    const cardSet = new Set(card.tools);
    const missingLive = card.tools.filter((name) => !liveSet.has(name));
    const missingFromCard = live.tools.filter((name) => !cardSet.has(name));
    if (missingLive.length || missingFromCard.length) issues.push({ kind: 'tools-differ', missingLive, missingFromCard, dynamic: card.toolsDynamic });
  }
  if (card.remoteTypes.length && live.reached.transport !== 'stdio' && !card.remoteTypes.includes(live.reached.transport)) {
    issues.push({ kind: 'transport-not-listed', reached: live.reached.transport, listed: card.remoteTypes });
  }
  return issues;
}
