import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'ping.response',
  title: 'ping is answered',
  severity: 'error',
  since: '2024-11-05',
  description: 'Sends ping after the handshake and expects an empty result within `request-timeout`.',
  why: 'Clients and proxies use ping to tell a live connection from a dead one, and drop servers that do not answer.',
  fix: 'Answer ping with `{}`; the MCP SDKs do this unless the request loop is blocked by synchronous work.',
  specUrl: specUrl('2025-11-25', 'basic/utilities/ping'),
};

export const ping: Check = {
  meta,
  stage: 'session',
  async run({ session }) {
    if (!session) return [];
    try {
      const result = await session.client.ping({ timeout: session.requestTimeoutMs });
      const extra = Object.keys(result ?? {}).filter((key) => key !== '_meta');
      return extra.length ? [finding(meta, `ping was answered with ${JSON.stringify(result)}; the result must be empty.`, { severity: 'warning' })] : [];
    } catch (error) {
      return [finding(meta, `ping failed: ${(error as Error).message}`)];
    }
  },
};
