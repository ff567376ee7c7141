import { describeAnswer } from '../../session/http-answer.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'auth.token-in-query',
  title: 'A token in the query string is not accepted',
  severity: 'error',
  since: '2025-03-26',
  description:
    "Sends initialize with the gate's own OAuth token as `?access_token=…` and no Authorization header, and expects a refusal. Only tokens the gate acquired itself (short-lived) are sent this way.",
  why: 'Query strings end up in access logs, proxies and browser history; a server that reads tokens from them invites clients to leak them.',
  fix: 'Read the token from the `Authorization: Bearer` header only, and answer 401 to a request that carries it anywhere else.',
  specUrl: specUrl('2025-11-25', 'basic/authorization#access-token-usage'),
};

export const tokenInQuery: Check = {
  meta,
  stage: 'probe',
  probes: ['tokenInQuery'],
  appliesTo: (context) => context.auth?.queryToken !== undefined,
  run(context) {
    const answer = context.auth?.queryToken;
    if (!answer?.answered) return [];
    return [
      finding(
        meta,
        `${answer.method} ${answer.url} without an Authorization header was answered ${describeAnswer(answer)}: the server took the token from the query string.`,
      ),
    ];
  },
};
