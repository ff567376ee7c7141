import { noAnswer } from '../support/no-answer.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { quoteError } from '../support/request-error.js';
import * as results from '../../session/results.js';

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
  era: 'legacy',
  async run({ session }) {
    if (!session) return [];
    try {
      // Not client.ping(): its strict schema turns a non-empty result into an error, and that is only a warning.
      const result = await session.client.request({ method: 'ping' }, results.AnyResult, { timeout: session.requestTimeoutMs });
      const extra = Object.keys(result).filter((key) => key !== '_meta');
      if (!extra.length) return [];
      return [
        finding(
          meta,
          `ping was answered with ${JSON.stringify(result).slice(0, 300)}; the result must be empty ({}). Strict clients (the MCP SDK's ping()) reject it.`,
          {
            severity: 'warning',
          },
        ),
      ];
    } catch (error) {
      const missing = noAnswer(error, session.requestTimeoutMs);
      if (missing) {
        return [
          finding(
            meta,
            `ping got ${missing} (${quoteError(error)}), although the handshake worked: the server's request loop is blocked or its ping handler never returns.`,
          ),
        ];
      }
      return [finding(meta, `ping was answered with an error: ${quoteError(error)}`)];
    }
  },
};
