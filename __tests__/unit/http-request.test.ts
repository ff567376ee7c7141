// The one request helper every probe of the gate's own goes through: one deadline (request-timeout),
// one answer shape, one body cap, no redirect followed.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyLimitError, capResponse } from '../../src/util/http/body.js';
import { describeFailure, request } from '../../src/util/http/request.js';
import { freePort } from '../helpers/servers.js';

/** Long enough for an answer on a busy machine; the deadline tests set their own, shorter. */
const LIMITS = { timeoutMs: 10_000, maxBodyBytes: 1024 * 1024 };

async function serve(handler: http.RequestListener): Promise<{ url: URL; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url, close };
}

/** Runs `body` against a server answering with `handler`, and closes the server whatever happens. */
async function against<T>(handler: http.RequestListener, body: (url: URL) => Promise<T>): Promise<T> {
  const server = await serve(handler);
  try {
    return await body(server.url);
  } finally {
    await server.close();
  }
}

describe('request', () => {
  it('reads an event stream to its first event and leaves the stream, which stays open, behind', async () => {
    const reply = await against(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 's-1' });
        res.write(': open\n\nevent: message\ndata: {"jsonrpc":"2.0","id":1,\ndata: "result":{}}\n\n');
      },
      (url) => request({ url, method: 'POST', body: '{}' }, LIMITS),
    );
    expect(reply).toMatchObject({ method: 'POST', status: 200, contentType: 'text/event-stream', sessionId: 's-1', bodyStop: 'enough' });
    expect(reply.timedOut).toBeUndefined();
    expect(reply.events?.map((e) => JSON.parse(e.data))).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
  });

  it('reads an answer that is not an event stream as text, up to the characters asked for', async () => {
    const reply = await against(
      (_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'x'.repeat(5000) })),
      (url) => request({ url, maxChars: 100 }, LIMITS),
    );
    expect(reply).toMatchObject({ status: 400, bodyStop: 'chars' });
    expect(reply.events).toBeUndefined();
    expect(reply.body).toHaveLength(100);
  });

  it('gives a silent event stream until request-timeout, and says it timed out with the status it had', async () => {
    const reply = await against(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': nothing to say\n\n');
      },
      (url) => request({ url }, { ...LIMITS, timeoutMs: 300 }),
    );
    expect(reply).toMatchObject({ status: 200, timedOut: true, events: [], body: ': nothing to say\n\n' });
  });

  it('records a server that never answers as a time-out, not as an error of the gate', async () => {
    const reply = await against(
      () => undefined,
      (url) => request({ url }, { ...LIMITS, timeoutMs: 300 }),
    );
    expect(reply).toMatchObject({ timedOut: true, errorCode: 'TimeoutError' });
    expect(reply.status).toBeUndefined();
    expect(describeFailure(reply)).toBe('timed out after 300 ms');
  });

  it('stops reading at limits.maxBodyBytes and says why', async () => {
    const reply = await against(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const write = () => {
          while (!res.destroyed && res.write('a'.repeat(16 * 1024)));
          if (!res.destroyed) res.once('drain', write);
        };
        write();
      },
      (url) => request({ url, maxChars: 10 * 1024 * 1024 }, { ...LIMITS, maxBodyBytes: 64 * 1024 }),
    );
    expect(reply).toMatchObject({ status: 200, bodyStop: 'cap' });
    expect(reply.body!.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('stops at the headers when asked, without waiting for a body', async () => {
    const reply = await against(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
      },
      (url) => request({ url, read: 'headers' }, { ...LIMITS, timeoutMs: 5000 }),
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toBeUndefined();
    expect(reply.timedOut).toBeUndefined();
  });

  it('never follows a redirect: the reply is the redirect, with where it points', async () => {
    let followed = false;
    const reply = await against(
      (req, res) => {
        if (req.url === '/elsewhere') followed = true;
        res.writeHead(302, { location: '/elsewhere' }).end();
      },
      (url) => request({ url, headers: { authorization: 'Bearer secret' } }, LIMITS),
    );
    expect(reply).toMatchObject({ status: 302, location: '/elsewhere' });
    expect(followed).toBe(false);
  });

  it('reads the title of an HTML page, and only that with read: title', async () => {
    const page = '<html><head><title>  Acme\n Dashboard </title></head><body>hello</body></html>';
    const [html, json] = await against(
      (req, res) =>
        req.url === '/page'
          ? res.writeHead(200, { 'content-type': 'text/html' }).end(page)
          : res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
      (url) => Promise.all([request({ url: new URL('/page', url), read: 'title' }, LIMITS), request({ url, read: 'title' }, LIMITS)]),
    );
    expect(html).toMatchObject({ title: 'Acme Dashboard' });
    expect(json.status).toBe(200);
    expect(json.body).toBeUndefined();
  });

  it('quotes the socket error of a refused connection', async () => {
    const url = new URL(`http://127.0.0.1:${await freePort()}/mcp`);
    const reply = await request({ url }, LIMITS);
    expect(reply).toMatchObject({ errorCode: 'ECONNREFUSED' });
    expect(reply.status).toBeUndefined();
    expect(reply.timedOut).toBeUndefined();
  });
});

describe('capResponse', () => {
  it('fails the read past the cap with the setting named, and tells the exchange once', async () => {
    let overflows = 0;
    const response = capResponse(new Response('x'.repeat(5000)), 2048, { onOverflow: () => (overflows += 1) });
    await expect(response.text()).rejects.toThrow(BodyLimitError);
    await expect(capResponse(new Response('x'.repeat(5000)), 2048).text()).rejects.toThrow(
      'the answer went past 2048 bytes (limits.maxBodyBytes in the configuration file)',
    );
    expect(overflows).toBe(1);
  });

  it('passes a body within the cap through unchanged', async () => {
    expect(await capResponse(new Response('{"ok":true}'), 2048).json()).toEqual({ ok: true });
  });
});
