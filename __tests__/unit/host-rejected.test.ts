import { unauthorized } from '../../src/checks/auth/unauthorized.js';
import { hostNamedIn, hostRejected, urlForHost } from '../../src/checks/transport/host-rejected.js';
import type { CheckContext } from '../../src/checks/types.js';
import { Exchange, type HttpExchange } from '../../src/session/exchange.js';
import { refusesHost } from '../../src/session/http-answer.js';
import { settingsFor } from '../helpers/servers.js';

/** The evidence of an initialize the server refused with `answer`. */
function refused(url: string, answer: Omit<HttpExchange, 'url' | 'durationMs' | 'method'>, raw: Record<string, string> = {}): CheckContext {
  const exchange = new Exchange();
  exchange.recordHttp({ method: 'POST', url, durationMs: 3, ...answer });
  return {
    settings: settingsFor({ url, ...raw }),
    targetUrl: new URL(url),
    connect: {
      attempts: [{ transport: 'streamable-http', error: new Error(`Streamable HTTP error: Error POSTing to endpoint: ${answer.body}`), durationMs: 5 }],
      exchange,
      faces: {},
    },
    observations: {},
  };
}

describe('hostNamedIn', () => {
  it.each([
    ['Access is only allowed at localhost:3116', 'localhost:3116'],
    ['Access is only allowed at localhost:3116.', 'localhost:3116'],
    ['Requests are only allowed from http://localhost:8931/mcp', 'localhost:8931'],
    ['Allowed hosts: ["localhost:3000", "127.0.0.1:3000"]', 'localhost:3000'],
    ['Invalid Host header; expected host: mcp.internal:8443', 'mcp.internal:8443'],
    ['only allowed at [::1]:9000', '[::1]:9000'],
  ])('finds the host in %j', (body, host) => {
    expect(hostNamedIn(body)).toBe(host);
  });

  it.each([
    'Forbidden',
    'Invalid Host header: 127.0.0.1:3000',
    '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Invalid Host: 127.0.0.1"},"id":null}',
    'allowed at ',
  ])('names nothing in %j', (body) => {
    expect(hostNamedIn(body)).toBeUndefined();
  });
});

describe('urlForHost', () => {
  it('keeps the scheme, path and query, and the port when the host names none', () => {
    const url = new URL('http://127.0.0.1:3116/mcp?tenant=a');
    expect(urlForHost(url, 'localhost:3116')?.href).toBe('http://localhost:3116/mcp?tenant=a');
    expect(urlForHost(url, 'localhost')?.href).toBe('http://localhost:3116/mcp?tenant=a');
    expect(urlForHost(new URL('https://10.0.0.5/mcp'), 'mcp.internal')?.href).toBe('https://mcp.internal/mcp');
  });

  it('suggests nothing when the host is the one the URL already names, or is not a host', () => {
    expect(urlForHost(new URL('http://localhost:3116/mcp'), 'localhost:3116')).toBeUndefined();
    expect(urlForHost(new URL('http://localhost:3116/mcp'), 'user@evil:1')).toBeUndefined();
  });
});

describe('refusesHost', () => {
  it.each([
    [{ status: 403, body: 'Access is only allowed at localhost:3116' }, true],
    [{ status: 403, body: '{"error":{"message":"Invalid Host header: 127.0.0.1:3000"}}' }, true],
    [{ status: 403, body: 'Forbidden' }, true],
    [{ status: 403 }, true],
    [{ status: 421, body: 'Invalid Host header' }, true],
    [{ status: 421, wwwAuthenticate: 'Bearer' }, false],
    [{ status: 403, wwwAuthenticate: 'Bearer error="insufficient_scope"', body: 'Forbidden' }, false],
    [{ status: 403, body: '{"error":"Invalid API key"}' }, false],
    [{ status: 401, body: 'Invalid Host header' }, false],
    [{ status: 404 }, false],
  ])('%j -> %s', (answer, expected) => {
    expect(refusesHost(answer)).toBe(expected);
  });
});

describe('transport.host-rejected', () => {
  it('quotes the refusal, escaped and bounded, and names the URL the server asks for', async () => {
    const context = refused('http://127.0.0.1:3116/mcp', { status: 403, contentType: 'text/plain', body: 'Access is only allowed at localhost:3116\u001b[2J' });
    const [found] = await hostRejected.run(context);
    expect(found).toMatchObject({ id: 'transport.host-rejected', severity: 'error' });
    expect(found.message).toContain(
      'initialize was answered HTTP 403 text/plain and no WWW-Authenticate challenge: "Access is only allowed at localhost:3116\\u001B[2J".',
    );
    expect(found.message).toContain('use url: http://localhost:3116/mcp');
    expect(found.hint).toMatch(/^Use url: http:\/\/localhost:3116\/mcp\. /);
    expect(await unauthorized.run(context)).toEqual([]);
  });

  it('suggests localhost for a loopback address when the server names no host', async () => {
    const context = refused('http://127.0.0.1:8000/mcp', { status: 421, contentType: 'text/plain', body: 'Invalid Host header' });
    const [found] = await hostRejected.run(context);
    expect(found.message).toContain('answered HTTP 421 text/plain and no WWW-Authenticate challenge: "Invalid Host header".');
    expect(found.hint).toContain('try url: http://localhost:8000/mcp');
  });

  it('clips a long body', async () => {
    const context = refused('https://mcp.example.com/mcp', {
      status: 403,
      contentType: 'text/html',
      body: `<html>${'Forbidden by policy '.repeat(200)}</html>`,
    });
    const [found] = await hostRejected.run(context);
    expect(found.message.length).toBeLessThan(700);
    expect(found.message).toContain('…"');
  });

  it('reads the anonymous probe when the gate never connected (no OAuth token could be had)', async () => {
    const url = 'http://127.0.0.1:3116/mcp';
    const anonymous = {
      method: 'POST',
      url,
      status: 403,
      contentType: 'text/plain',
      body: 'Access is only allowed at localhost:3116',
      durationMs: 2,
      answered: false,
    };
    const context: CheckContext = {
      settings: settingsFor({ url, 'oauth-client-id': 'ci', 'oauth-client-secret': 'cs' }),
      targetUrl: new URL(url),
      auth: { anonymous, demandsCredentials: false },
      observations: {},
    };
    const [found] = await hostRejected.run(context);
    expect(found.message).toContain('initialize without credentials was answered HTTP 403 text/plain');
    expect(found.message).toContain('use url: http://localhost:3116/mcp');
  });

  it('leaves refusals about credentials to auth.unauthorized', async () => {
    for (const answer of [
      { status: 401, wwwAuthenticate: 'Bearer resource_metadata="http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp"' },
      { status: 403, wwwAuthenticate: 'Bearer error="insufficient_scope"' },
      { status: 403, contentType: 'application/json', body: '{"error":"Invalid API key"}' },
    ]) {
      const context = refused('http://127.0.0.1:3000/mcp', answer);
      expect(await hostRejected.run(context)).toEqual([]);
      expect(await unauthorized.run(context)).toHaveLength(1);
    }
  });
});
