import { describeAnswer } from '../../session/http-answer.js';
import { connectError, connectFailed, isConnectionClosed, stderrBlock } from '../support/evidence.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.connection-closed',
  title: 'The connection stays open during initialize',
  severity: 'error',
  since: '2024-11-05',
  description: 'Reports a channel that went away during the handshake when nothing more specific (an exit, a refusal) explains it.',
  why: 'This is the "MCP error -32000: Connection closed" users see in their clients.',
  cause:
    'The server or a proxy closed the stream mid-handshake: an exception in the initialize handler that ends the connection, a proxy or load balancer that cuts streaming responses, or a stdio server that closes stdout.',
  fix: 'Check the server log for the moment the connection closed; a proxy in front of an HTTP server may be closing long-lived streams.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle'),
};

export const connectionClosed: Check = {
  meta,
  stage: 'startup',
  era: 'legacy',
  appliesTo: (context) => context.connect !== undefined,
  run(context) {
    const error = connectError(context);
    if (!connectFailed(context) || !isConnectionClosed(error)) return [];
    const { message, hint } = context.connect?.stdio ? explainStdio(context) : explainHttp(context);
    return [finding(meta, `The connection closed before initialize completed ("${error?.message}"). ${message}`, { hint })];
  },
};

function explainStdio(context: CheckContext): { message: string; hint: string } {
  const closedStdout = context.connect?.stdio?.stdoutClosedWhileRunning;
  return {
    message: closedStdout
      ? `The server closed its stdout while the process kept running, so no answer could reach the client.${stderrBlock(context)}`
      : `The channel to the server closed.${stderrBlock(context)}`,
    hint: closedStdout
      ? 'Keep stdout open for the life of the server: do not close fd 1, redirect it, or hand it to a child process or a logging library.'
      : meta.fix,
  };
}

function explainHttp(context: CheckContext): { message: string; hint: string } {
  const exchange = context.connect?.exchange;
  const cut = exchange?.http.find((h) => h.streamEnded);
  if (cut && !exchange?.initializeAnswered) {
    return {
      message: `${cut.method} ${cut.url} was answered with ${describeAnswer(cut)}, and the server ended that stream before it sent the answer to initialize.`,
      hint: 'Send the JSON-RPC answer on the stream before ending the response; if a proxy sits in front of the server, make it pass event streams through unbuffered and without a short time-out.',
    };
  }
  const last = exchange?.lastHttp();
  return { message: last ? `The last HTTP exchange was ${last.method} ${last.url} -> ${describeAnswer(last)}.` : '', hint: meta.fix };
}
