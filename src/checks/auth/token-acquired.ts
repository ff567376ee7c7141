import { describeAnswer } from '../../session/http-answer.js';
import { finding, type Check, type CheckMeta } from '../types.js';
import { quoteBody } from '../support/auth.js';

const meta: CheckMeta = {
  id: 'auth.token-acquired',
  title: 'The OAuth client-credentials grant yields an access token',
  severity: 'error',
  description:
    "With `oauth-client-id` and `oauth-client-secret`, requests a token with `grant_type=client_credentials`, the scope and the server's URL as RFC 8707 `resource`, at `oauth-token-url` or the token endpoint found through the server's metadata.",
  why: 'Without a token nothing else can be verified: every request to the server would be refused.',
  cause:
    "A wrong, expired or rotated client secret; a client not allowed the client_credentials grant or the scope; an authorization server that rejects the server's URL as `resource`; or a token endpoint the gate could not discover.",
  fix: "Check the client ID and secret (the secret may have expired or been rotated), that the client may use the client_credentials grant and the scope, and that the authorization server accepts this server's URL as resource; or set `oauth-token-url`.",
  specUrl: 'https://datatracker.ietf.org/doc/html/rfc6749#section-4.4',
};

export const tokenAcquired: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.auth?.token !== undefined,
  run(context) {
    const token = context.auth?.token;
    if (!token || token.acquired) return [];
    if (token.refused) {
      const message = `The gate did not send the client secret to the token endpoint ${token.tokenEndpoint} (${token.tokenEndpointFrom}): ${token.refused.reason}. The rest of the checklist was skipped: without a token every request would have been refused.`;
      return [finding(meta, message, { hint: token.refused.allow })];
    }
    const asked = token.tokenEndpoint
      ? `The token request to ${token.tokenEndpoint} (${token.tokenEndpointFrom}; client authentication ${token.clientAuthentication}; resource ${token.resource}; scope ${token.scope ?? 'none'}) failed`
      : 'No token could be requested';
    const answer =
      token.request?.status !== undefined ? ` The authorization server answered ${describeAnswer(token.request)}${quoteBody(token.request, 400)}.` : '';
    return [
      finding(meta, `${asked}: ${token.error}.${answer} The rest of the checklist was skipped: every request would have been refused.`, {
        hint: hintFor(token.tokenEndpoint),
      }),
    ];
  },
};

function hintFor(tokenEndpoint: string | undefined): string {
  if (tokenEndpoint) return meta.fix;
  return "The gate finds the token endpoint the way MCP clients do, through the server's protected-resource metadata and its authorization server's metadata (see auth.protected-resource-metadata and auth.authorization-server-metadata). Fix those, or set `oauth-token-url` to the token endpoint.";
}
