import { finding, specUrl, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';
import { describeAnonymous, judgesPosture, postureSeverity } from '../support/auth.js';

const meta: CheckMeta = {
  id: 'auth.challenge',
  title: 'A request without a token gets a 401 challenge that leads to the authorization server',
  severity: 'error',
  since: '2025-06-18',
  description:
    'Sends initialize without credentials and expects 401 with `WWW-Authenticate: Bearer` and a `resource_metadata` URL, or (2025-11-25) protected-resource metadata at the well-known URI.',
  why: 'The challenge is how an MCP client learns that it must sign in and where: without it, clients show a bare "401" and cannot start authorization.',
  fix: 'Answer unauthenticated requests with 401 and `WWW-Authenticate: Bearer resource_metadata="https://<host>/.well-known/oauth-protected-resource/<mcp path>", scope="…"` (the SDK\'s `requireBearerAuth` with `resourceMetadataUrl` does). If the server uses its own static tokens or API keys and no OAuth, set `expect-auth: false`.',
  specUrl: specUrl('2025-11-25', 'basic/authorization#protected-resource-metadata-discovery-requirements'),
};

export const challenge: Check = {
  meta,
  stage: 'probe',
  appliesTo: judgesPosture,
  run(context) {
    const auth = context.auth;
    const opening = describeAnonymous(context);
    const severity = postureSeverity(context, meta);
    if (auth?.anonymous.status === 403) {
      return [
        finding(meta, `${opening}, not 401. 403 means "your token is not enough"; a missing token is 401, the answer on which clients start authorization.`, {
          severity,
        }),
      ];
    }
    if (!auth?.challenge) {
      return [
        finding(meta, `${opening} without a WWW-Authenticate header. HTTP requires one with every 401, and MCP clients read it to learn how to sign in.`, {
          severity,
        }),
      ];
    }
    if (!auth.challenge.bearer) {
      return [
        finding(
          meta,
          `${opening} with "WWW-Authenticate: ${auth.challenge.header}", which offers no Bearer scheme: MCP clients authorize with OAuth bearer tokens only.`,
          { severity },
        ),
      ];
    }
    return describePointer(context, opening);
  },
};

/** The Bearer challenge is there: does it (or the well-known URI) lead to the protected-resource metadata? */
function describePointer(context: CheckContext, opening: string): Finding[] {
  const { challenge: parsed, resourceMetadata } = context.auth ?? {};
  const header = `"WWW-Authenticate: ${parsed?.header}"`;
  if (parsed?.resourceMetadata) {
    return parsed.scope
      ? []
      : [
          finding(meta, `${opening} with ${header}, which has no scope. Clients then ask for every scope the metadata lists, or none.`, {
            severity: 'notice',
            hint: 'Add `scope="…"` with the scopes the request needs to the challenge.',
          }),
        ];
  }
  if (resourceMetadata?.url) {
    return [
      finding(
        meta,
        `${opening} with ${header}, which has no resource_metadata; the metadata was found at ${resourceMetadata.url}. Clients of the 2025-11-25 revision look there, clients of 2025-06-18 only follow the header.`,
        {
          severity: 'notice',
          hint: `Add \`resource_metadata="${resourceMetadata.url}"\` to the challenge.`,
        },
      ),
    ];
  }
  return [
    finding(
      meta,
      `${opening} with ${header}, which has no resource_metadata, and no protected-resource metadata is published at the well-known URI either: clients cannot find out where to get a token.`,
      {
        severity: postureSeverity(context, meta),
      },
    ),
  ];
}
