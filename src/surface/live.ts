import type { ListKind, Session } from '../session/session.js';
import { buildSnapshot, type Era, type FaceInput, type SurfaceSnapshot } from './snapshot.js';

/** The live surface, and the lists the gate could not read whole (so nothing missing from them is "removed"). */
export interface LiveSurface {
  snapshot: SurfaceSnapshot;
  /** e.g. `{ era: 'legacy', list: 'tools', reason: 'tools/list failed: …' }` */
  incomplete: { era: Era; list: ListKind; reason: string }[];
}

const LISTS: { list: ListKind; capability: 'tools' | 'prompts' | 'resources' }[] = [
  { list: 'tools', capability: 'tools' },
  { list: 'prompts', capability: 'prompts' },
  { list: 'resources', capability: 'resources' },
  { list: 'resourceTemplates', capability: 'resources' },
];

/**
 * Reads every face the session speaks. Today that is the legacy face of the connected session; a face
 * per era joins here, and the snapshot, the diff and the checks take it as it comes.
 */
export async function readLiveSurface(session: Session): Promise<LiveSurface> {
  const incomplete: LiveSurface['incomplete'] = [];
  const legacy = await readFace(session, (list, reason) => incomplete.push({ era: 'legacy', list, reason }));
  return { snapshot: buildSnapshot({ legacy }), incomplete };
}

async function readFace(session: Session, onIncomplete: (list: ListKind, reason: string) => void): Promise<FaceInput> {
  const { protocolVersion, serverInfo, capabilities, instructions } = session.initialize;
  const lists: Record<ListKind, readonly object[]> = { tools: [], prompts: [], resources: [], resourceTemplates: [] };
  for (const { list, capability } of LISTS) {
    if (!session.advertises(capability)) continue;
    const listing = await session.list(list);
    lists[list] = listing.items;
    if (listing.error) onIncomplete(list, listing.error.message);
    else if (listing.truncated) onIncomplete(list, `stopped at the gate's limit ${listing.truncated.limit} (${listing.truncated.value})`);
    else if (listing.stoppedBy) onIncomplete(list, `pagination stopped on a ${listing.stoppedBy.reason}`);
  }
  return { protocolVersion, serverInfo, capabilities, instructions, ...lists };
}
