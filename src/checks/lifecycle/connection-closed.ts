import { connectError, connectFailed, isConnectionClosed } from '../evidence.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.connection-closed',
  title: 'The connection stays open during initialize',
  severity: 'error',
  since: '2024-11-05',
  description: 'Reports a channel that went away during the handshake when nothing more specific (an exit, a refusal) explains it.',
  why: 'This is the "MCP error -32000: Connection closed" users see in their clients.',
  fix: 'Check the server log for the moment the connection closed; a proxy in front of an HTTP server may be closing long-lived streams.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle'),
};

export const connectionClosed: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.connect !== undefined,
  run(context) {
    const error = connectError(context);
    if (!connectFailed(context) || !isConnectionClosed(error)) return [];
    const last = context.connect?.exchange.lastHttp();
    const who = context.server
      ? 'The server process was still running, so it closed its end of the channel (stdout) itself.'
      : last
        ? `The last HTTP exchange was ${last.method} ${last.url} -> ${last.status ?? last.errorCode ?? 'no answer'}.`
        : '';
    return [finding(meta, `The connection closed before initialize completed: ${error?.message}. ${who}`)];
  },
};
