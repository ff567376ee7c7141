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

/** The sessions of the eras the server speaks: the legacy handshake's and the modern `server/discover`'s. */
export type Faces = Partial<Record<Era, Session>>;

/** Reads the surface of every face the server speaks, each as the clients of that era see it. */
export async function readLiveSurface(faces: Faces): Promise<LiveSurface> {
  const incomplete: LiveSurface['incomplete'] = [];
  const eras: Partial<Record<Era, FaceInput>> = {};
  for (const era of ['legacy', 'modern'] as const) {
    const session = faces[era];
    if (session) eras[era] = await readFace(session, (list, reason) => incomplete.push({ era, list, reason }));
  }
  return { snapshot: buildSnapshot(eras), incomplete };
}

async function readFace(session: Session, onIncomplete: (list: ListKind, reason: string) => void): Promise<FaceInput> {
  const { protocolVersion, serverInfo, capabilities, instructions } = session;
  const lists: Record<ListKind, readonly object[]> = { tools: [], prompts: [], resources: [], resourceTemplates: [] };
  for (const { list, capability } of LISTS) {
    if (!session.advertises(capability)) continue;
    const listing = await session.list(list);
    lists[list] = listing.items;
    if (listing.error) onIncomplete(list, listing.error.message);
    else if (listing.truncated) onIncomplete(list, `stopped at the gate's limit ${listing.truncated.limit} (${listing.truncated.value})`);
    else if (listing.stoppedBy) onIncomplete(list, `pagination stopped on a ${listing.stoppedBy.reason}`);
  }
  return { protocolVersion, serverInfo: serverInfo ?? {}, capabilities, instructions, ...lists };
}

/** What the report shows of the surface: each listing's items as the server sent them. */
export interface ListedSurface {
  tools: unknown[];
  resources: unknown[];
  resourceTemplates: unknown[];
  prompts: unknown[];
}

/** The advertised surface, from the listings the checks already fetched (each list is fetched once). */
export async function collectSurface(session: Session): Promise<ListedSurface> {
  const items = async (kind: 'tools' | 'resources' | 'resourceTemplates' | 'prompts', capability: 'tools' | 'resources' | 'prompts') =>
    session.advertises(capability) ? (await session.list(kind)).items : [];
  return {
    tools: await items('tools', 'tools'),
    resources: await items('resources', 'resources'),
    resourceTemplates: await items('resourceTemplates', 'resources'),
    prompts: await items('prompts', 'prompts'),
  };
}
