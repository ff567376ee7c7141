import { describeRequestError } from '../support/request-error.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import * as results from '../../session/results.js';

const meta: CheckMeta = {
  id: 'logging.set-level',
  title: 'logging/setLevel answers when logging is advertised',
  severity: 'warning',
  since: '2024-11-05',
  description: 'Sends logging/setLevel (level "info") when the server advertises the logging capability.',
  why: 'Clients set the log level right after connecting; an error there shows up as a broken server in their logs.',
  fix: 'Handle logging/setLevel (the SDKs do when logging is enabled), or stop advertising the logging capability.',
  specUrl: specUrl('2025-11-25', 'server/utilities/logging'),
};

export const loggingSetLevel: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  appliesTo: ({ session }) => session?.advertises('logging') ?? false,
  async run({ session }) {
    if (!session) return [];
    try {
      await session.client.request({ method: 'logging/setLevel', params: { level: 'info' } }, results.EmptyResult, { timeout: session.requestTimeoutMs });
      return [];
    } catch (error) {
      const why = describeRequestError(error, session.requestTimeoutMs);
      return [
        finding(
          meta,
          `logging/setLevel {"level":"info"} failed: ${why}. The server advertises the "logging" capability, so clients send this right after connecting.`,
        ),
      ];
    }
  },
};
