// The auth rules over recorded evidence, for what a loopback-only test machine cannot serve: hosts other
// than 127.0.0.1, and servers that answer in ways the SDK's middleware never would.
import { challenge } from '../../src/checks/auth/challenge.js';
import { https } from '../../src/checks/auth/https.js';
import { invalidTokenRejected } from '../../src/checks/auth/invalid-token-rejected.js';
import { openServer } from '../../src/checks/auth/open-server.js';
import type { CheckContext, Finding } from '../../src/checks/types.js';
import type { RawInputs } from '../../src/inputs.js';
import type { AuthProbe } from '../../src/session/auth-probe.js';
import type { InitializeProbe } from '../../src/session/auth-requests.js';
import { settingsFor } from '../helpers/servers.js';

const URL_TEXT = 'http://mcp.internal:3000/mcp';

function answer(status: number, extra: Partial<InitializeProbe> = {}): InitializeProbe {
  return { method: 'POST', url: URL_TEXT, status, contentType: 'application/json', durationMs: 3, answered: status === 200, ...extra };
}

function contextWith(auth: Partial<AuthProbe>, raw: RawInputs = {}, url = URL_TEXT): CheckContext {
  const anonymous = auth.anonymous ?? answer(401);
  const probe: AuthProbe = { anonymous, demandsCredentials: anonymous.status === 401 || anonymous.status === 403, ...auth };
  return { settings: settingsFor({ url, ...raw }), targetUrl: new URL(url), auth: probe, observations: {} };
}

async function run(check: { run(context: CheckContext): Finding[] | Promise<Finding[]> }, context: CheckContext) {
  return (await check.run(context)).map((f) => ({ severity: f.severity, message: f.message }));
}

describe('auth.https', () => {
  it('is an error for a protected server on plain http beyond loopback, and a warning for an open one', async () => {
    expect(await run(https, contextWith({}))).toEqual([
      {
        severity: 'error',
        message: expect.stringContaining(`The MCP server is at ${URL_TEXT}: plain http on a host other than loopback exposes the credentials sent to it`),
      },
    ]);
    expect(await run(https, contextWith({ anonymous: answer(200) }))).toEqual([
      { severity: 'warning', message: expect.stringContaining('exposes every request and answer') },
    ]);
  });

  it('passes https, and plain http on 127.0.0.1, localhost and ::1', async () => {
    for (const url of ['https://mcp.example.com/mcp', 'http://127.0.0.1:3000/mcp', 'http://localhost:3000/mcp', 'http://[::1]:3000/mcp']) {
      expect(await run(https, contextWith({}, {}, url))).toEqual([]);
    }
  });

  it('names a plain-http oauth-token-url', async () => {
    const context = contextWith(
      {},
      { url: 'https://mcp.example.com/mcp', 'oauth-client-id': 'ci', 'oauth-client-secret': 'secret-1234', 'oauth-token-url': 'http://auth.example.com/token' },
      'https://mcp.example.com/mcp',
    );
    expect(await run(https, context)).toEqual([{ severity: 'error', message: expect.stringContaining('oauth-token-url http://auth.example.com/token') }]);
  });
});

describe('auth.open-server', () => {
  it('notes a server beyond loopback that lets anyone in', async () => {
    const context = contextWith({ anonymous: answer(200, { contentType: 'text/event-stream' }) });
    expect(context.auth?.demandsCredentials).toBe(false);
    expect(openServer.appliesTo?.(context)).toBe(true);
    expect(await run(openServer, context)).toEqual([
      {
        severity: 'notice',
        message: 'initialize without credentials was answered HTTP 200 text/event-stream: anyone who can reach mcp.internal:3000 can call its tools.',
      },
    ]);
  });

  it('says nothing of an open server on loopback, and nothing at all with expect-auth: false', async () => {
    expect(await run(openServer, contextWith({ anonymous: answer(200) }, {}, 'http://127.0.0.1:3000/mcp'))).toEqual([]);
    expect(openServer.appliesTo?.(contextWith({ anonymous: answer(200) }, { 'expect-auth': 'false' }))).toBe(false);
  });
});

describe('auth.challenge', () => {
  it('calls a 403 for a missing token an error on a server that takes part in MCP authorization', async () => {
    const context = contextWith({
      anonymous: answer(403),
      resourceMetadata: { attempts: [], url: 'http://mcp.internal:3000/.well-known/oauth-protected-resource/mcp', document: {} },
    });
    expect(await run(challenge, context)).toEqual([{ severity: 'error', message: expect.stringContaining('was answered HTTP 403 application/json, not 401') }]);
  });

  it('only notes what MCP authorization would need on a server with a scheme of its own (an API key)', async () => {
    const context = contextWith(
      { anonymous: answer(401), resourceMetadata: { attempts: [], problem: 'Resource server does not implement OAuth 2.0 Protected Resource Metadata.' } },
      { header: 'X-API-Key: abcd-1234' },
    );
    expect(await run(challenge, context)).toEqual([{ severity: 'notice', message: expect.stringContaining('without a WWW-Authenticate header') }]);
  });

  it('makes the same an error with expect-auth: true', async () => {
    const context = contextWith({ anonymous: answer(401) }, { 'expect-auth': 'true' });
    expect(await run(challenge, context)).toEqual([{ severity: 'error', message: expect.stringContaining('without a WWW-Authenticate header') }]);
  });

  it('notes a challenge without resource_metadata when the well-known URI serves the metadata (2025-11-25)', async () => {
    const context = contextWith({
      anonymous: answer(401, { wwwAuthenticate: 'Bearer scope="read"' }),
      challenge: { header: 'Bearer scope="read"', bearer: true, scope: 'read' },
      resourceMetadata: { attempts: [], url: 'http://mcp.internal:3000/.well-known/oauth-protected-resource/mcp', document: {} },
    });
    expect(await run(challenge, context)).toEqual([{ severity: 'notice', message: expect.stringContaining('clients of 2025-06-18 only follow the header') }]);
  });
});

describe('auth.invalid-token-rejected', () => {
  it('is an error when a forged token crashes the server, and a warning for an answer other than 401', async () => {
    expect(await run(invalidTokenRejected, contextWith({ invalidToken: answer(500, { body: 'TypeError: cannot read kid' }) }))).toEqual([
      {
        severity: 'error',
        message: expect.stringContaining('was answered HTTP 500 application/json: TypeError: cannot read kid. The server failed on the token'),
      },
    ]);
    expect(await run(invalidTokenRejected, contextWith({ invalidToken: answer(403) }))).toEqual([
      { severity: 'warning', message: expect.stringContaining('HTTP 403 application/json, not 401') },
    ]);
  });
});
