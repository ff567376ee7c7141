import { checkResourceAllowed, resourceUrlFromServerUrl } from '@modelcontextprotocol/client';
import { finding, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';
import type { MetadataDocument } from '../../session/auth-discovery.js';
import { describeDiscovery, describeMalformedUrl, field, judgesPosture, postureSeverity, quoteBody } from '../support/auth.js';

const meta: CheckMeta = {
  id: 'auth.protected-resource-metadata',
  title: 'The protected-resource metadata names this server and its authorization server',
  severity: 'error',
  since: '2025-06-18',
  description:
    "Fetches the RFC 9728 document (from the challenge, else the well-known URIs) and checks it is JSON, its `resource` is this server's URL, and `authorization_servers` is not empty.",
  why: 'MCP clients find the authorization server only through this document, and refuse a token flow for a `resource` that is not the server they connect to.',
  fix: 'Serve `{"resource": "<the MCP URL>", "authorization_servers": ["<issuer>"]}` at `/.well-known/oauth-protected-resource<mcp path>` (the SDK\'s `mcpAuthMetadataRouter` does), and point the challenge\'s `resource_metadata` at it.',
  specUrl: 'https://datatracker.ietf.org/doc/html/rfc9728#section-3',
};

export const protectedResourceMetadata: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => judgesPosture(context) && context.auth?.resourceMetadata !== undefined,
  run(context) {
    const metadata = context.auth?.resourceMetadata;
    if (!metadata?.url) return [notFound(context)];
    if (!metadata.document) {
      const served = metadata.attempts.findLast((a) => a.url === metadata.url);
      return [finding(meta, `${metadata.url} did not answer with a JSON object${quoteBody(served)}`)];
    }
    return [...checkResource(context), ...checkAuthorizationServers(context), ...checkShape(context)];
  },
};

/** Each URL tried and its outcome, the network error of those that got no answer, and a challenge URL filled in badly. */
function notFound(context: CheckContext): Finding {
  const metadata = context.auth?.resourceMetadata as MetadataDocument;
  const advertised = context.auth?.challenge?.resourceMetadata;
  const malformed = describeMalformedUrl(advertised);
  const lines = ['No protected-resource metadata could be fetched.', ...(malformed ? [`The challenge's resource_metadata is wrong: ${malformed}`] : [])];
  lines.push(...describeDiscovery(metadata.attempts, metadata.problem, "the metadata's host", 'make one'));
  return finding(meta, lines.join('\n'), { severity: postureSeverity(context, meta) });
}

function checkResource(context: CheckContext): Finding[] {
  const metadata = context.auth?.resourceMetadata;
  const resource = field(metadata, 'resource');
  const serverUrl = resourceUrlFromServerUrl(context.targetUrl as URL).href;
  if (typeof resource !== 'string') return [finding(meta, `${metadata?.url} has no "resource" string; it must be ${serverUrl}.`)];
  if (allows(serverUrl, resource)) return [];
  return [
    finding(
      meta,
      `${metadata?.url} says "resource": "${resource}", but the server is at ${serverUrl}. MCP clients refuse to request a token for a resource other than the one they connect to.`,
      {
        hint: `Set "resource" to "${serverUrl}" (or an origin or path prefix of it).`,
      },
    ),
  ];
}

function checkAuthorizationServers(context: CheckContext): Finding[] {
  const metadata = context.auth?.resourceMetadata;
  const servers = field(metadata, 'authorization_servers');
  if (Array.isArray(servers) && servers.length > 0 && servers.every((s) => typeof s === 'string')) return [];
  return [
    finding(
      meta,
      `${metadata?.url} has no non-empty "authorization_servers" list, so clients cannot tell where to get a token (found: ${JSON.stringify(servers) ?? 'nothing'}).`,
    ),
  ];
}

/** Whatever else the SDK's client rejects, in its own words; the fields above already have their own finding. */
function checkShape(context: CheckContext): Finding[] {
  const problem = context.auth?.resourceMetadata?.problem;
  if (!problem || /\bresource\b|authorization_servers/.test(problem)) return [];
  return [finding(meta, `The SDK's client cannot use ${context.auth?.resourceMetadata?.url}: ${problem}.`)];
}

/** The SDK's own rule: the same origin, and the metadata's path a prefix of the server's. */
function allows(serverUrl: string, resource: string): boolean {
  try {
    return checkResourceAllowed({ requestedResource: serverUrl, configuredResource: resource });
  } catch {
    return false;
  }
}
