import { refusesHost } from '../../session/http-answer.js';
import { connectError, connectFailed, httpStatusOf } from '../support/evidence.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'auth.unauthorized',
  title: "The server accepts the gate's credentials",
  severity: 'error',
  since: '2025-03-26',
  description:
    'Recognises a 401 or 403 answer to initialize: the one finding for a server that demands credentials, after which the rest of the checklist is skipped. A 403 without a challenge from a Host or Origin allow-list is `transport.host-rejected` instead.',
  why: 'The server is up and speaking HTTP, but demands credentials; this is not a connection failure.',
  cause:
    'The server requires authorization and the gate was given no credentials, or credentials the server does not accept (a wrong or expired token, a wrong header name).',
  fix: 'Give the gate credentials from a secret: `bearer-token: ${{ secrets.MCP_TOKEN }}` for a static token; `oauth-client-id` and `oauth-client-secret` for the OAuth client-credentials grant (the token endpoint is discovered, or set `oauth-token-url`); or `header: "X-API-Key: ${{ secrets.MCP_API_KEY }}"` for an API key.',
  specUrl: specUrl('2025-11-25', 'basic/authorization'),
};

const REFUSED_HINT =
  "The server refused the credentials the gate sent. Check that the secret holds a current token for this server (not expired, issued for this server's URL as audience, with the scope the challenge names) and that the header name is the one the server reads.";

export const unauthorized: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.targetUrl !== undefined,
  run(context) {
    if (!connectFailed(context)) return [];
    const rejected = context.connect?.exchange.http.filter((h) => h.status === 401 || h.status === 403).at(-1);
    if (rejected && refusesHost(rejected)) return [];
    const status = rejected?.status ?? httpStatusOf(connectError(context));
    if (status !== 401 && status !== 403) return [];
    const sent = Object.keys(context.settings.headers);
    const challenge = rejected?.wwwAuthenticate ? `WWW-Authenticate: ${rejected.wwwAuthenticate}` : 'No WWW-Authenticate header came with it.';
    if (!sent.length) {
      return [
        finding(
          meta,
          `initialize was answered with HTTP ${status}. The gate sent no credentials. The rest of the checklist was skipped: it needs them. ${challenge}`,
        ),
      ];
    }
    return [finding(meta, `initialize was answered with HTTP ${status}. ${describeSent(context, sent)} ${challenge}`, { hint: REFUSED_HINT })];
  },
};

function describeSent(context: CheckContext, sent: string[]): string {
  const token = context.auth?.token;
  const acquired = token?.acquired
    ? ` The Authorization header carried the access token the gate acquired from ${token.tokenEndpoint} for resource ${token.resource}.`
    : '';
  return `The gate sent these headers: ${sent.join(', ')} (values masked).${acquired}`;
}
