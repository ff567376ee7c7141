import { ReadResourceResultSchema, type Resource } from '@modelcontextprotocol/sdk/types.js';
import type { Session } from '../../session/session.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'resources.read',
  title: 'Listed resources can be read',
  severity: 'error',
  since: '2024-11-05',
  description: 'Reads each listed resource, up to `resources.readCount` (default 10), and expects contents for its URI within `resources.maxBytes` (default 1 MiB).',
  why: 'A listed resource that cannot be read is a broken link in every client that shows it; an oversized one fills the model\'s context.',
  fix: 'Make resources/read answer for every URI that resources/list returns, or stop listing it; page or trim large resources.',
  specUrl: specUrl('2025-11-25', 'server/resources#reading-resources'),
};

async function readOne(session: Session, resource: Resource, maxBytes: number): Promise<Finding[]> {
  const subject = { kind: 'resource' as const, name: resource.name };
  try {
    const result = await session.client.request({ method: 'resources/read', params: { uri: resource.uri } }, ReadResourceResultSchema, {
      timeout: session.requestTimeoutMs,
    });
    if (!result.contents.length) return [finding(meta, `Reading ${resource.uri} returned no contents.`, { severity: 'warning', subject })];
    const bytes = Buffer.byteLength(JSON.stringify(result.contents));
    if (bytes > maxBytes) {
      return [finding(meta, `Reading ${resource.uri} returned ${bytes} bytes, more than ${maxBytes}.`, { severity: 'warning', subject })];
    }
    return [];
  } catch (error) {
    return [finding(meta, `Reading ${resource.uri} failed: ${(error as Error).message}`, { subject })];
  }
}

export const resourceRead: Check = {
  meta,
  stage: 'session',
  appliesTo: ({ session }) => session?.advertises('resources') ?? false,
  async run({ session, settings }) {
    if (!session) return [];
    const { readCount, maxBytes } = settings.config.resources;
    const { items } = await session.list('resources');
    const findings: Finding[] = [];
    for (const resource of items.slice(0, readCount)) findings.push(...(await readOne(session, resource, maxBytes)));
    return findings;
  },
};
