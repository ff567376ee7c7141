// The answers the gate reads beside the MCP session (the health route, authorization metadata and token
// answers) are bounded like the session's own: an endless body is cut, never read whole.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordingAuthFetch, type AuthRequest } from '../../src/session/auth-requests.js';
import { measureHealth, probeHttp } from '../../src/target/readiness.js';
import { LIMIT_DEFAULTS } from '../../src/config-defaults.js';

const LIMITS = { timeoutMs: 30_000, maxBodyBytes: LIMIT_DEFAULTS.maxBodyBytes };

/** A route that answers 200 and then writes forever, until the client goes away. */
function endlessServer(): Promise<{ url: URL; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const write = () => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once('drain', write);
    };
    response.write('{"issuer":"');
    write();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: new URL(`http://127.0.0.1:${port}/`),
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

describe('answers read beside the session', () => {
  let server: Awaited<ReturnType<typeof endlessServer>>;
  beforeEach(async () => {
    server = await endlessServer();
  });
  afterEach(() => server.close());

  it('quotes the start of an endless health body and stops reading it', async () => {
    const result = await probeHttp(server.url, LIMITS);
    expect(result.status).toBe(200);
    expect(result.bodyExcerpt?.startsWith('{"issuer":"aaaa')).toBe(true);
    expect(result.bodyExcerpt?.length).toBeLessThanOrEqual(200);
  });

  it('hands the SDK an authorization answer that fails past its cap instead of growing without end', async () => {
    const log: AuthRequest[] = [];
    const response = await recordingAuthFetch(log, LIMITS)(server.url);
    await expect(response.text()).rejects.toThrow(/went past 1048576 bytes \(the most an authorization document or token answer may be\)/);
    expect(log[0]).toMatchObject({ method: 'GET', status: 200 });
  });
});

describe('the health probe within the settings', () => {
  it('quotes an endless health body up to limits.maxBodyBytes when that is below what it would read', async () => {
    const server = await endlessServer();
    try {
      const result = await probeHttp(server.url, { ...LIMITS, maxBodyBytes: 1024 });
      expect(result.status).toBe(200);
      expect(result.bodyExcerpt).toBe(`{"issuer":"${'a'.repeat(200 - 11)}`);
    } finally {
      await server.close();
    }
  });

  it('waits request-timeout, not a fixed limit, for a health route that does not answer', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/health`);
      const result = await measureHealth(url, { ...LIMITS, timeoutMs: 300 });
      expect(result).toMatchObject({ errorCode: 'TimeoutError', errorMessage: 'timed out after 300 ms' });
      expect(result.latencyMs).toBeGreaterThanOrEqual(250);
    } finally {
      silent.closeAllConnections();
      await new Promise((done) => silent.close(done));
    }
  });
});
