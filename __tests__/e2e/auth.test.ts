import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Report } from '../../src/report/report.js';
import { expectPass, rootCause } from '../fixtures/gate.js';
import { CLIENT_SECRET, oauthInputs, REQUEST_TIMEOUT_S, runAuthGate, startAuthServers, type AuthServers } from '../fixtures/auth/servers.js';
import { processesMatching } from '../helpers/servers.js';

/**
 * Each run talks to servers that are already up and must not wait for any time-out: one that waited for
 * an answer lasts at least the request time-out the runs are given (REQUEST_TIMEOUT_S).
 */
const RUN_MS = REQUEST_TIMEOUT_S * 1000;

let servers: AuthServers;

beforeAll(async () => {
  servers = await startAuthServers();
});

afterAll(async () => {
  if (!servers) return;
  await servers.stop();
  expect(processesMatching(servers.tag)).toEqual([]);
});

function authChecks(report: Report) {
  return Object.fromEntries(report.checks.filter((c) => c.id.startsWith('auth.')).map((c) => [c.id, c.status]));
}

function errorIds(report: Report): string[] {
  return report.findings.filter((f) => f.severity === 'error').map((f) => f.id);
}

describe('an OAuth-protected server, verified from the client ID and secret alone', () => {
  it('discovers the token endpoint, acquires a token for the server, and passes every auth check', async () => {
    const { report, secrets, masker, wallMs } = await runAuthGate({ url: `${servers.mcpOrigin}/mcp`, ...oauthInputs() });
    expectPass(report);
    expect(report.server?.name).toBe('oauth-fixture');
    expect(report.triage).toContain('token: yes');
    expect(authChecks(report)).toEqual({
      'auth.token-acquired': 'pass',
      'auth.unauthorized': 'pass',
      'auth.challenge': 'pass',
      'auth.protected-resource-metadata': 'pass',
      'auth.authorization-server-metadata': 'pass',
      'auth.invalid-token-rejected': 'pass',
      'auth.token-in-query': 'pass',
      'auth.https': 'pass',
      'auth.open-server': 'skip',
    });
    expect(report.findings.filter((f) => f.id.startsWith('auth.'))).toEqual([]);
    // The token reached the masker and the action's callback before anything could print it, and nowhere in the report.
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(masker.list()).toContain(secrets[0]);
    expect(JSON.stringify(report)).not.toContain(secrets[0]);
    expect(JSON.stringify(report)).not.toContain(CLIENT_SECRET);
    expect(wallMs).toBeLessThan(RUN_MS);
  });

  it('reports a refused client secret as the one root cause, quoting the authorization server, secret masked', async () => {
    const { report, wallMs } = await runAuthGate({ url: `${servers.mcpOrigin}/mcp`, ...oauthInputs(), 'oauth-client-secret': 'not-the-secret-3e1f' });
    const cause = rootCause(report);
    expect(cause.id).toBe('auth.token-acquired');
    expect(cause.message).toContain(
      `The token request to ${servers.issuer}/token (authorization-server metadata; client authentication client_secret_basic; resource ${servers.mcpOrigin}/mcp; scope weather.read) failed: invalid_client`,
    );
    expect(cause.message).toContain('The authorization server answered HTTP 401');
    expect(JSON.stringify(report)).not.toContain('not-the-secret-3e1f');
    expect(report.triage).toContain('token: no');
    expect(report.checks.find((c) => c.id === 'tools.list')?.status).toBe('skip');
    expect(wallMs).toBeLessThan(RUN_MS);
  });
});

describe('the token request', () => {
  it('uses oauth-token-url as given', async () => {
    const { report, secrets } = await runAuthGate({ url: `${servers.mcpOrigin}/mcp`, ...oauthInputs(), 'oauth-token-url': `${servers.issuer}/token` });
    expectPass(report);
    expect(secrets).toHaveLength(1);
    expect(authChecks(report)['auth.token-acquired']).toBe('pass');
  });

  it('says how far discovery got when it finds no token endpoint', async () => {
    // Refuses everything, metadata included, as a server behind a gateway that knows nothing of OAuth does.
    const refusing = http.createServer((_req, res) => res.writeHead(401, { 'www-authenticate': 'Bearer realm="api"' }).end());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    try {
      const { report } = await runAuthGate({ url: `${origin}/mcp`, ...oauthInputs() });
      // The token's failure comes first; the posture findings after it say what to publish.
      expect(errorIds(report)).toEqual(['auth.token-acquired', 'auth.challenge', 'auth.protected-resource-metadata']);
      const cause = report.findings[0];
      expect(cause.message).toContain(
        'No token could be requested: no token endpoint was found: the protected-resource metadata could not be used (HTTP 401 trying to load well-known OAuth protected resource metadata.)',
      );
      expect(cause.message).toContain(`the authorization server ${origin} published no usable metadata (no metadata document at any of the URLs tried)`);
      expect(cause.hint).toContain('set `oauth-token-url`');
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });
});

describe('a protected server and no credentials', () => {
  it('gives one finding naming the inputs to set, judges the auth posture, and skips the rest', async () => {
    const { report, wallMs } = await runAuthGate({ url: `${servers.mcpOrigin}/mcp` });
    const cause = rootCause(report);
    expect(cause.id).toBe('auth.unauthorized');
    expect(cause.message).toContain('initialize was answered with HTTP 401. The gate sent no credentials.');
    expect(cause.message).toContain(`resource_metadata="${servers.mcpOrigin}/.well-known/oauth-protected-resource/mcp"`);
    for (const input of ['bearer-token', 'oauth-client-id', 'oauth-client-secret', 'header']) expect(cause.hint).toContain(`\`${input}`);
    expect(authChecks(report)).toMatchObject({
      'auth.challenge': 'pass',
      'auth.protected-resource-metadata': 'pass',
      'auth.authorization-server-metadata': 'pass',
      'auth.invalid-token-rejected': 'pass',
      'auth.token-in-query': 'skip',
    });
    expect(report.checks.filter((c) => c.status !== 'skip' && !c.id.startsWith('auth.')).map((c) => c.id)).toEqual([
      'transport.unreachable',
      'transport.host-rejected',
    ]);
    expect(wallMs).toBeLessThan(RUN_MS);
  });
});

describe('servers that break one rule each, verified with working credentials', () => {
  it.each([
    ['/no-challenge/mcp', 'auth.challenge', 'without a WWW-Authenticate header'],
    ['/wrong-resource/mcp', 'auth.protected-resource-metadata', '"resource": "ORIGIN/other/mcp", but the server is at ORIGIN/wrong-resource/mcp'],
    ['/no-s256/mcp', 'auth.authorization-server-metadata', '"code_challenge_methods_supported": ["plain"]. MCP clients require S256'],
    ['/plain-http/mcp', 'auth.https', 'authorization-server metadata authorization_endpoint http://login.example.com/authorize'],
    ['/any-token/mcp', 'auth.invalid-token-rejected', 'was answered HTTP 200 text/event-stream. The server accepted a forged token'],
    ['/query-token/mcp', 'auth.token-in-query', 'ORIGIN/query-token/mcp?access_token=<token> without an Authorization header was answered HTTP 200'],
  ])('%s fails %s, and only it', async (path, id, quoted) => {
    // The broken authorization-server documents are served from the MCP server's origin, not from the
    // authorization server's own: the gate keeps the secret from a token endpoint elsewhere unless approved.
    const approved = { 'oauth-token-url': `${servers.issuer}/token` };
    const { report, wallMs } = await runAuthGate({ url: `${servers.mcpOrigin}${path}`, ...oauthInputs(), ...approved });
    expect(errorIds(report)).toEqual([id]);
    expect(report.findings.find((f) => f.id === id)?.message).toContain(quoted.replaceAll('ORIGIN', servers.mcpOrigin));
    expect(report.server?.name).toBe('oauth-fixture');
    expect(wallMs).toBeLessThan(RUN_MS);
  });

  it('an open server fails auth.open-server when expect-auth is true, and only it', async () => {
    const { report } = await runAuthGate({ url: `${servers.mcpOrigin}/open/mcp`, 'expect-auth': 'true' });
    expect(errorIds(report)).toEqual(['auth.open-server']);
    expect(report.findings.find((f) => f.id === 'auth.open-server')?.message).toContain(
      'expect-auth is true, but initialize without credentials was answered HTTP 200',
    );
  });

  it('expect-auth: false skips the challenge checks on a server that has no challenge', async () => {
    const { report } = await runAuthGate({ url: `${servers.mcpOrigin}/no-challenge/mcp`, ...oauthInputs(), 'expect-auth': 'false' });
    expectPass(report);
    expect(authChecks(report)).toMatchObject({
      'auth.challenge': 'skip',
      'auth.protected-resource-metadata': 'skip',
      'auth.authorization-server-metadata': 'skip',
      'auth.token-acquired': 'pass',
    });
  });
});
