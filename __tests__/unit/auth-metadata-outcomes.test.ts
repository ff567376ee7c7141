import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizationServerMetadata } from '../../src/checks/auth/authorization-server-metadata.js';
import { protectedResourceMetadata } from '../../src/checks/auth/protected-resource-metadata.js';
import { describeMalformedUrl } from '../../src/checks/support/auth.js';
import type { CheckContext } from '../../src/checks/types.js';
import { LIMIT_DEFAULTS } from '../../src/config-defaults.js';
import { findAuthorizationServerMetadata, findResourceMetadata, parseChallenge } from '../../src/session/auth-discovery.js';
import type { AuthProbe } from '../../src/session/auth-probe.js';
import { freePort, settingsFor } from '../helpers/servers.js';

const LIMITS = { timeoutMs: 5000, maxBodyBytes: LIMIT_DEFAULTS.maxBodyBytes };

/** A server that refused the anonymous request with `challenge`, and what discovery recorded after it. */
function refusedWith(url: string, challenge: string, recorded: Partial<AuthProbe>): CheckContext {
  const auth: AuthProbe = {
    anonymous: { method: 'POST', url, status: 401, wwwAuthenticate: challenge, durationMs: 3, answered: false },
    demandsCredentials: true,
    challenge: parseChallenge(challenge),
    ...recorded,
  };
  return { settings: settingsFor({ url }), targetUrl: new URL(url), auth, observations: {} };
}

describe('describeMalformedUrl', () => {
  it.each([
    [
      'https://login.microsoftonline.com//v2.0',
      '`//` in https://login.microsoftonline.com//v2.0: a path segment is empty — a tenant id or similar was not filled in.',
    ],
    [
      'https://login.microsoftonline.com/{tenant}/v2.0',
      '`{tenant}` in https://login.microsoftonline.com/{tenant}/v2.0 is a placeholder that was never filled in.',
    ],
    ['https://auth.example.com/realms/${REALM}', '`${REALM}` in https://auth.example.com/realms/${REALM} is a placeholder that was never filled in.'],
    ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource is not an absolute URL.'],
  ])('%s', (url, said) => {
    expect(describeMalformedUrl(url)).toBe(said);
  });

  it('is quiet on a well-formed URL', () => {
    expect(describeMalformedUrl('https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0')).toBeUndefined();
    expect(describeMalformedUrl('https://auth.example.com/')).toBeUndefined();
  });
});

describe('auth.authorization-server-metadata when no metadata was found', () => {
  it('points at the empty tenant of an issuer the SDK could not even make URLs from (recorded shape)', async () => {
    const url = 'https://mcp.example.com/mcp';
    const context = refusedWith(url, 'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"', {
      resourceMetadata: { attempts: [], url: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp', document: {} },
      authorizationServer: { attempts: [], issuer: 'https://login.microsoftonline.com//v2.0', from: 'protected-resource metadata', problem: 'Invalid URL' },
    });
    const [found] = await authorizationServerMetadata.run(context);
    expect(found.severity).toBe('error');
    expect(found.message.split('\n')).toEqual([
      'No metadata was found for the authorization server https://login.microsoftonline.com//v2.0 named in https://mcp.example.com/.well-known/oauth-protected-resource/mcp.',
      '`//` in https://login.microsoftonline.com//v2.0: a path segment is empty — a tenant id or similar was not filled in.',
      "No URL was requested: the SDK's client could not make its discovery URLs from the issuer (Invalid URL).",
    ]);
    expect(found.hint).toMatch(/^Correct the issuer in authorization_servers of the protected-resource metadata \(usually a tenant id/);
  });

  it('quotes the network error of a real discovery against a port nothing listens on', async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}/tenant-a`;
    const server = await findAuthorizationServerMetadata(issuer, 'protected-resource metadata', LIMITS);
    const context = refusedWith('http://127.0.0.1:1/mcp', 'Bearer resource_metadata="http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp"', {
      resourceMetadata: { attempts: [], url: 'http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp', document: {} },
      authorizationServer: server,
    });
    const [found] = await authorizationServerMetadata.run(context);
    expect(found.message).toContain(
      `Tried:\n  GET http://127.0.0.1:${port}/.well-known/oauth-authorization-server/tenant-a -> no answer (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(found.message).toMatch(/\nNo URL answered: the authorization server could not be reached from here\.$/);
  });

  it('lists every URL the SDK tried once, each with its own error (recorded shape: each asked twice)', async () => {
    const failed = (url: string, errorCode: string, errorMessage: string) => [1, 2].map(() => ({ method: 'GET', url, errorCode, errorMessage, durationMs: 5 }));
    const base = 'https://login.example.com/.well-known';
    const context = refusedWith('https://mcp.example.com/mcp', 'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"', {
      resourceMetadata: { attempts: [], url: 'https://mcp.example.com/.well-known/oauth-protected-resource', document: {} },
      authorizationServer: {
        issuer: 'https://login.example.com',
        from: 'protected-resource metadata',
        problem: 'no metadata document at any of the URLs tried',
        attempts: [
          ...failed(`${base}/oauth-authorization-server`, 'ENOTFOUND', 'getaddrinfo ENOTFOUND login.example.com'),
          ...failed(`${base}/openid-configuration`, 'TimeoutError', 'The operation was aborted due to timeout'),
        ],
      },
    });
    const [found] = await authorizationServerMetadata.run(context);
    expect(found.message.split('\n').slice(1)).toEqual([
      'Tried:',
      `  GET ${base}/oauth-authorization-server -> no answer (getaddrinfo ENOTFOUND login.example.com)`,
      `  GET ${base}/openid-configuration -> no answer (TimeoutError: The operation was aborted due to timeout)`,
      'No URL answered: the authorization server could not be reached from here.',
    ]);
  });

  it('makes no request for an issuer with an empty segment, and says so', async () => {
    const issuer = `http://127.0.0.1:${await freePort()}//v2.0`;
    const server = await findAuthorizationServerMetadata(issuer, 'protected-resource metadata', LIMITS);
    expect(server).toMatchObject({ attempts: [], problem: 'Invalid URL' });
  });

  it('lists the statuses when the URLs answered', async () => {
    const answering = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no'));
    await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(answering.address() as AddressInfo).port}`;
    try {
      const server = await findAuthorizationServerMetadata(origin, 'protected-resource metadata', LIMITS);
      const context = refusedWith(`${origin}/mcp`, `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`, {
        resourceMetadata: { attempts: [], url: `${origin}/.well-known/oauth-protected-resource/mcp`, document: {} },
        authorizationServer: server,
      });
      const [found] = await authorizationServerMetadata.run(context);
      expect(found.message).toContain(
        `Tried:\n  GET ${origin}/.well-known/oauth-authorization-server -> HTTP 404 text/plain\n  GET ${origin}/.well-known/openid-configuration -> HTTP 404 text/plain\nThe SDK's client says: no metadata document at any of the URLs tried.`,
      );
    } finally {
      await new Promise((resolve) => answering.close(resolve));
    }
  });
});

describe('auth.protected-resource-metadata when none was fetched', () => {
  it("lists each URL with the network error, and a challenge's URL with a placeholder", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/mcp`;
    const advertised = `http://127.0.0.1:${port}/{tenant}/.well-known/oauth-protected-resource`;
    const metadata = await findResourceMetadata(new URL(url), advertised, LIMITS);
    const [found] = await protectedResourceMetadata.run(refusedWith(url, `Bearer resource_metadata="${advertised}"`, { resourceMetadata: metadata }));
    const refused = `no answer (connect ECONNREFUSED 127.0.0.1:${port})`;
    expect(found.message.split('\n')).toEqual([
      'No protected-resource metadata could be fetched.',
      `The challenge's resource_metadata is wrong: \`{tenant}\` in ${advertised.replace('{tenant}', '%7Btenant%7D')} is a placeholder that was never filled in.`,
      'Tried:',
      `  GET http://127.0.0.1:${port}/%7Btenant%7D/.well-known/oauth-protected-resource -> ${refused}`,
      "No URL answered: the metadata's host could not be reached from here.",
    ]);
  });
});
