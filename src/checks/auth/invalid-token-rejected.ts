import { describeAnswer } from '../../session/http-answer.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { quoteBody } from '../support/auth.js';

const meta: CheckMeta = {
  id: 'auth.invalid-token-rejected',
  title: 'A token the authorization server never issued is refused with 401',
  severity: 'error',
  since: '2025-03-26',
  description: 'Sends initialize with a well-formed bearer token (a JWT for this server, in date) that no authorization server signed, and expects 401.',
  why: 'A server that accepts it lets anyone in with any string; one that fails with 500 is crashing on attacker-controlled input; and only a 401 tells a client to get a new token.',
  fix: 'Validate every token: its signature against the authorization server\'s keys (or by introspection), its expiry, and its audience (this server\'s URL). Answer an invalid one with 401 and `WWW-Authenticate: Bearer error="invalid_token"`.',
  specUrl: specUrl('2025-11-25', 'basic/authorization#token-handling'),
};

export const invalidTokenRejected: Check = {
  meta,
  stage: 'probe',
  probes: ['forgedToken'],
  appliesTo: (context) => context.auth?.invalidToken !== undefined,
  run(context) {
    const answer = context.auth?.invalidToken;
    const status = answer?.status;
    if (!answer || status === 401) return [];
    const seen = `initialize with a bearer token no authorization server issued was answered ${describeAnswer(answer)}`;
    if (status !== undefined && status >= 200 && status < 300) {
      return [finding(meta, `${seen}. The server accepted a forged token: anyone can call its tools with any string as the token.`)];
    }
    if (status !== undefined && status >= 500) {
      return [finding(meta, `${seen}${quoteBody(answer)}. The server failed on the token instead of refusing it with 401.`)];
    }
    if (status === undefined) return [finding(meta, `${seen}.`, { severity: 'warning' })];
    return [
      finding(meta, `${seen}${quoteBody(answer)}, not 401: clients only know to get a new token when an invalid one is answered 401.`, { severity: 'warning' }),
    ];
  },
};
