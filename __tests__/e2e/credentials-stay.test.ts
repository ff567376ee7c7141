// Credentials stay with the server the user named: the client secret, the bearer token and the configured
// headers go to the origin of `url` and to a token endpoint the user approved, and nowhere a server's
// metadata, redirects or deploy output point. "Another host" is another loopback address; a token endpoint
// is another port on 127.0.0.1, as the v2 SDK sends a client secret over plain http to 127.0.0.1 and
// localhost only.
import { runGate } from '../fixtures/gate.js';
import { sendJson, startHost, type LoopbackHost } from '../helpers/loopback-hosts.js';

const CLIENT_SECRET = 'client-secret-kept-back-8c41';
let hosts: LoopbackHost[] = [];

afterEach(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  hosts = [];
});

async function host(address: string, handler?: Parameters<typeof startHost>[1]): Promise<LoopbackHost> {
  const started = await startHost(address, handler);
  hosts.push(started);
  return started;
}

/**
 * An OAuth-protected MCP server on 127.0.0.1 whose protected-resource metadata names an authorization
 * server on another port, whose metadata names `tokenEndpoint`.
 */
async function protectedServer(tokenEndpoint: (authorizationServer: string) => string): Promise<{ mcp: LoopbackHost; authorizationServer: LoopbackHost }> {
  const authorizationServer = await host('127.0.0.1', (request, response, origin) => {
    if (request.url !== '/.well-known/oauth-authorization-server') return void response.writeHead(404).end();
    sendJson(response, 200, {
      issuer: origin,
      authorization_endpoint: `${origin}/authorize`,
      token_endpoint: tokenEndpoint(origin),
      response_types_supported: ['code'],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
    });
  });
  const mcp = await host('127.0.0.1', (request, response, origin) => {
    if (request.url === '/.well-known/oauth-protected-resource/mcp') {
      return sendJson(response, 200, { resource: `${origin}/mcp`, authorization_servers: [authorizationServer.origin] });
    }
    if (request.url !== '/mcp') return void response.writeHead(404).end();
    response.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"` }).end();
  });
  return { mcp, authorizationServer };
}

const oauth = { 'oauth-client-id': 'preflight-ci', 'oauth-client-secret': CLIENT_SECRET };

describe('the OAuth client secret', () => {
  it('is kept back from a token endpoint on another origin than the authorization server, and the finding says how to allow it', async () => {
    const elsewhere = await host('127.0.0.3', (_, response) => sendJson(response, 200, { access_token: 'stolen', token_type: 'Bearer' }));
    const { mcp } = await protectedServer(() => `${elsewhere.origin}/token`);
    const { report } = await runGate({ url: `${mcp.origin}/mcp`, ...oauth });
    expect(elsewhere.requests).toEqual([]);
    const refused = report.findings.find((f) => f.id === 'auth.token-acquired');
    expect(refused?.severity).toBe('error');
    expect(refused?.message).toContain(`The gate did not send the client secret to the token endpoint ${elsewhere.origin}/token`);
    expect(refused?.message).toContain('is on another origin than the authorization server the protected-resource metadata names');
    expect(refused?.hint).toContain(`set \`oauth-token-url: ${elsewhere.origin}/token\``);
    expect(JSON.stringify(report)).not.toContain(CLIENT_SECRET);
  });

  it('goes to that endpoint once the user names it in oauth-token-url', async () => {
    const approved = await host('127.0.0.1', (_, response) => sendJson(response, 400, { error: 'invalid_client' }));
    const { mcp } = await protectedServer(() => `${approved.origin}/token`);
    const { report } = await runGate({ url: `${mcp.origin}/mcp`, ...oauth, 'oauth-token-url': `${approved.origin}/token` });
    expect(approved.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /token']);
    expect(report.findings.find((f) => f.id === 'auth.token-acquired')?.message).toContain('failed: invalid_client');
  });

  it("goes to a token endpoint on the authorization server's own origin", async () => {
    const { mcp, authorizationServer } = await protectedServer((origin) => `${origin}/token`);
    await runGate({ url: `${mcp.origin}/mcp`, ...oauth });
    expect(authorizationServer.requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual(['/token']);
  });
});

describe('the readiness wait', () => {
  it('follows no redirect of the health URL to another origin, and says so', async () => {
    const elsewhere = await host('127.0.0.2', (_, response) => response.writeHead(200).end('ok'));
    const server = await host('127.0.0.1', (_, response) => response.writeHead(302, { location: `${elsewhere.origin}/latest/meta-data/` }).end());
    const startupTimeoutS = 30;
    const { report, wallMs } = await runGate({
      url: `${server.origin}/mcp`,
      'health-url': `${server.origin}/health`,
      'startup-timeout': String(startupTimeoutS),
    });
    expect(elsewhere.requests).toEqual([]);
    const refused = report.findings.find((f) => f.id === 'launch.health-timeout');
    expect(refused?.message).toBe(
      `${server.origin}/health redirected to ${elsewhere.origin}/latest/meta-data/, on another origin. The gate follows no redirect of the health URL to another host, where it could reach an internal service or a cloud metadata address, and at most 5 on its own host.`,
    );
    // Refused at once, not after waiting out startup-timeout.
    expect(report.triage).toContain('ready: no');
    expect(wallMs).toBeLessThan(startupTimeoutS * 1000);
  });

  it("follows a redirect within the health URL's origin", async () => {
    const server = await host('127.0.0.1', (request, response) => {
      if (request.url === '/health') return void response.writeHead(302, { location: '/health/' }).end();
      response.writeHead(request.url === '/health/' ? 200 : 404).end();
    });
    const { report } = await runGate({ url: `${server.origin}/mcp`, 'health-url': `${server.origin}/health` });
    expect(report.triage.find((step) => step.startsWith('ready:'))).toMatch(/^ready: yes/);
  });
});

describe('the target of a deploy', () => {
  it('is the MCP_URL= line, not the help link printed after it, and the report says why', async () => {
    const help = await host('127.0.0.2', (_, response) => response.writeHead(200).end('docs'));
    const server = await host('127.0.0.1', (_, response) => response.writeHead(404).end());
    const deploy = `echo "Deploying…" && echo "MCP_URL=${server.origin}/mcp" && echo "Read the docs: ${help.origin}/docs/help"`;
    const { report } = await runGate({ deploy, 'bearer-token': 'deploy-token-5d2c9b' });
    expect(help.requests).toEqual([]);
    expect(server.requests.some((r) => r.headers.authorization === 'Bearer deploy-token-5d2c9b')).toBe(true);
    expect(report.triage).toContain(`deployed: yes (${server.origin}/mcp: the MCP_URL= line it printed)`);
  });
});

describe('the MCP URL', () => {
  it('is not followed to another origin, where the headers would go along', async () => {
    const elsewhere = await host('127.0.0.2');
    const server = await host('127.0.0.1', (request, response) => response.writeHead(307, { location: `${elsewhere.origin}${request.url}` }).end());
    const { report } = await runGate({ url: `${server.origin}/mcp`, header: 'X-Api-Key: api-key-0e7b3f', 'bearer-token': 'token-9a1c55' });
    expect(elsewhere.requests).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(report.findings.find((f) => f.id === 'lifecycle.initialize')?.message).toContain(`Redirect to ${elsewhere.origin}/mcp not followed`);
  });
});
