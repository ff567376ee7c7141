import { connectError, connectFailed, isTimeout, stderrBlock } from '../support/evidence.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.initialize-timeout',
  title: 'initialize is answered in time',
  severity: 'error',
  since: '2024-11-05',
  description: 'Sends initialize and expects an answer within `request-timeout`.',
  why: 'Clients give up on a server that does not answer the handshake; users see a time-out or "Connection closed".',
  cause:
    'Slow work (loading a model, connecting to a database) done before the transport is connected, a stdio server that does not read stdin (it waits for a TTY or reads another stream), or a handler that blocks the event loop.',
  fix: 'Check that the server connects its transport before doing slow start-up work, and that a stdio server reads stdin (and does not wait for a TTY). Raise `request-timeout` if it is only slow.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle'),
};

export const initializeTimeout: Check = {
  meta,
  stage: 'startup',
  era: 'legacy',
  appliesTo: (context) => context.connect !== undefined,
  run(context) {
    if (!connectFailed(context) || !isTimeout(connectError(context))) return [];
    const alive = context.server ? (context.serverExit ? 'The process had exited.' : 'The process was still running.') : '';
    const waited = context.settings.requestTimeoutMs;
    return [finding(meta, `No answer to initialize within ${waited} ms. ${alive}${context.server ? stderrBlock(context) : ''}`)];
  },
};
