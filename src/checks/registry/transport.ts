import { checkTransport, type TransportIssue } from '../../registry/rules.js';
import { hasServerJson, reachedOf, REGISTRY_REQUIREMENTS_URL, serverJsonLocation, serverJsonOf } from '../support/registry.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'registry.transport',
  title: 'server.json describes the transport the server speaks',
  severity: 'warning',
  description:
    'Compares packages[].transport and remotes[] with how the gate reached the server: the transport type (stdio, streamable-http, sse) must be one server.json offers, and an entry at the same host and port must give the same path and type.',
  why: 'Clients install and connect as server.json says: a package declared as stdio that only serves HTTP, or a remote at /sse for a Streamable HTTP endpoint at /mcp, fails at the first connection with "Connection closed" or a 404.',
  fix: 'Make server.json say what the server does: "transport": {"type": "stdio"} for a package started as a command; {"type": "streamable-http", "url": "https://…/mcp"} for a remote, with the path of the MCP endpoint.',
  specUrl: REGISTRY_REQUIREMENTS_URL,
};

export const registryTransport: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => hasServerJson(context) && reachedOf(context) !== undefined,
  run(context) {
    const serverJson = serverJsonOf(context)!;
    const reached = reachedOf(context)!;
    return checkTransport(serverJson.data, reached).map((issue) =>
      finding(meta, describe(issue, serverJson.source), { location: serverJsonLocation(context) }),
    );
  },
};

function describe(issue: TransportIssue, name: string): string {
  if (issue.kind === 'not-offered') {
    return `The gate reached the server over ${issue.reached}, but ${name} offers clients only ${issue.offered.join(', ') || 'entries without a transport type'}: the way clients will connect was not verified here, and may not work.`;
  }
  return `${name} declares ${issue.where} as ${issue.declaredType ?? 'an entry'} at ${issue.declared}, but the server answered ${issue.reachedType} at ${issue.reached}: clients following server.json connect to the wrong path or speak the wrong transport.`;
}
