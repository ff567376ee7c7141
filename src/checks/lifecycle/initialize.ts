import { connectError, connectFailed } from '../support/evidence.js';
import { quoteError } from '../support/request-error.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.initialize',
  title: 'The MCP handshake completes',
  severity: 'error',
  since: '2024-11-05',
  description: 'Runs the initialize handshake with the SDK client; reports any failure no more specific check explains.',
  why: 'Without a completed handshake no client can use the server.',
  cause:
    'An answer to initialize that no more specific check recognises: a JSON-RPC error from the server, an HTTP answer that is not MCP, or a transport error; the quoted message names it.',
  fix: 'Read the quoted error; run the server locally with the MCP Inspector to see the exchange.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle'),
};

export const initialize: Check = {
  meta,
  stage: 'startup',
  era: 'legacy',
  appliesTo: (context) => context.connect !== undefined,
  run(context) {
    if (!connectFailed(context)) return [];
    const attempts = context.connect?.attempts ?? [];
    const detail = attempts.map((a) => `${a.transport}: ${a.error ? quoteError(a.error) : 'no error'}`).join('; ');
    return [finding(meta, `initialize failed (${detail}).`, { hint: `${meta.fix} Error: ${connectError(context)?.message}` })];
  },
};
