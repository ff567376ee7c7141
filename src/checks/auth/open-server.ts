import { describeAnswer } from '../../session/http-answer.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { isLoopback } from '../../util/loopback.js';

const meta: CheckMeta = {
  id: 'auth.open-server',
  title: 'A server reachable over the network asks for credentials',
  severity: 'notice',
  since: '2025-03-26',
  description:
    'Notes a server on a host other than loopback that answers initialize without credentials; with `expect-auth: true`, any server that does is an error.',
  why: 'Anyone who can reach an open server can call its tools with its permissions; that may be intended for a public server, rarely for one with private data.',
  fix: 'Protect the server (MCP authorization with OAuth, or at least a token), or, if it is meant to be public, set `expect-auth: false` to say so.',
  specUrl: specUrl('2025-11-25', 'basic/security_best_practices'),
};

export const openServer: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => context.auth?.anonymous.answered === true && context.settings.expectAuth !== 'false',
  run(context) {
    const { auth, settings, targetUrl } = context;
    const answer = `${auth?.anonymous.method === 'GET' ? 'Opening the event stream' : 'initialize'} without credentials was answered ${describeAnswer(auth?.anonymous ?? {})}`;
    if (settings.expectAuth === 'true') {
      return [
        finding(meta, `expect-auth is true, but ${answer}: anyone who can reach ${targetUrl?.host} is let in.`, {
          severity: 'error',
          hint: 'Make the server refuse requests without a valid token (401), or remove `expect-auth: true` if it is meant to be open.',
        }),
      ];
    }
    if (!targetUrl || isLoopback(targetUrl)) return [];
    return [finding(meta, `${answer}: anyone who can reach ${targetUrl.host} can call its tools.`)];
  },
};
