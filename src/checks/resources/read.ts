import { type ReadResourceResult, type Resource } from '@modelcontextprotocol/client';
import { RESOURCE_DEFAULTS } from '../../config-defaults.js';
import type { Session } from '../../session/session.js';
import { mapConcurrently } from '../../util/pool.js';
import { describeRequestError } from '../support/request-error.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';
import * as results from '../../session/results.js';

const meta: CheckMeta = {
  id: 'resources.read',
  title: 'Listed resources can be read',
  severity: 'error',
  since: '2024-11-05',
  description: `Reads each listed resource, up to \`resources.readCount\` (default ${RESOURCE_DEFAULTS.readCount}), and expects contents for its URI within \`resources.maxBytes\` (default ${RESOURCE_DEFAULTS.maxBytes / (1024 * 1024)} MiB).`,
  why: "A listed resource that cannot be read is a broken link in every client that shows it; an oversized one fills the model's context.",
  fix: 'Make resources/read answer for every URI that resources/list returns, or stop listing it; page or trim large resources.',
  specUrl: specUrl('2025-11-25', 'server/resources#reading-resources'),
};

/** A few reads at a time overlap their round trips; the other session checks share the server meanwhile. */
const READS_IN_FLIGHT = 3;

const count = new Intl.NumberFormat('en-US');

/** The size a person compares with the file: text as UTF-8, blobs decoded from base64. */
function contentBytes(contents: ReadResourceResult['contents']): number {
  return contents.reduce((sum, item) => sum + ('text' in item ? Buffer.byteLength(item.text) : Buffer.byteLength(item.blob, 'base64')), 0);
}

const SIZE_HINT =
  'Return the contents for the URI, trimmed to what a model needs: split a large document into several resources or a resource template. Raise `resources.maxBytes` in the configuration file if clients should get it whole.';

async function readOne(session: Session, resource: Resource, maxBytes: number): Promise<Finding[]> {
  const subject = { kind: 'resource' as const, name: resource.name };
  const label = `"${resource.name}" (${resource.uri})`;
  let result: ReadResourceResult;
  try {
    result = await session.client.request({ method: 'resources/read', params: { uri: resource.uri } }, results.ReadResourceResult, {
      timeout: session.requestTimeoutMs,
    });
  } catch (error) {
    const why = describeRequestError(error, session.requestTimeoutMs);
    return [finding(meta, `resources/list returns ${label}, but reading it failed: ${why}. Clients show it and fail when it is opened.`, { subject })];
  }
  return judgeContents(result, label, maxBytes).map((message) => finding(meta, message, { severity: 'warning', subject, hint: SIZE_HINT }));
}

function judgeContents(result: ReadResourceResult, label: string, maxBytes: number): string[] {
  if (!result.contents.length) return [`Reading ${label} returned an empty contents array; clients show it as empty.`];
  const bytes = contentBytes(result.contents);
  if (bytes <= maxBytes) return [];
  return [
    `Reading ${label} returned ${count.format(bytes)} bytes in ${result.contents.length} item(s), more than resources.maxBytes (${count.format(maxBytes)} bytes). A client that attaches it fills the model's context with it.`,
  ];
}

export const resourceRead: Check = {
  meta,
  stage: 'session',
  appliesTo: async ({ session }) => session?.advertises('resources') === true && (await session.list('resources')).items.length > 0,
  async run({ session, settings }) {
    if (!session) return [];
    const { readCount, maxBytes } = settings.config.resources;
    const { items } = await session.list('resources');
    const perResource = await mapConcurrently(items.slice(0, readCount), READS_IN_FLIGHT, (resource) => readOne(session, resource, maxBytes));
    return perResource.flat();
  },
};
