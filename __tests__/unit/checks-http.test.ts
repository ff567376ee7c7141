import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpAccept } from '../../src/checks/http/accept.js';
import { httpGetStream } from '../../src/checks/http/get-stream.js';
import { httpNotification } from '../../src/checks/http/notification-accepted.js';
import type { CheckContext } from '../../src/checks/types.js';
import { LIMIT_DEFAULTS } from '../../src/config-defaults.js';
import { RawHttp } from '../../src/session/raw-http.js';
import type { Session } from '../../src/session/session.js';
import { settingsFor } from '../helpers/servers.js';

/** Short, since waiting it out is the point; the checks' own deadline is the request time-out. */
const TIMEOUT_MS = 300;

/** An in-process endpoint that handles every request with `handler`, and a context whose session reaches it. */
async function endpoint(handler: http.RequestListener, timeoutMs = TIMEOUT_MS): Promise<{ context: CheckContext; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  const session = {
    transportName: 'streamable-http',
    http: new RawHttp(url, {}, { timeoutMs, maxBodyBytes: LIMIT_DEFAULTS.maxBodyBytes }),
  } as unknown as Session;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { context: { settings: settingsFor({ url: url.href }), session, observations: {} }, close };
}

describe('Streamable HTTP checks on an endpoint that does not answer', () => {
  it('report a GET that never gets its response headers as a finding with the deadline, not as a broken check', async () => {
    const { context, close } = await endpoint(() => undefined);
    try {
      const started = performance.now();
      const findings = await httpGetStream.run(context);
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
      expect(findings).toEqual([expect.objectContaining({ id: 'http.get-stream', severity: 'warning' })]);
      expect(findings[0].message).toContain('GET with "Accept: text/event-stream" got no answer (timed out after 300 ms)');
    } finally {
      await close();
    }
  });

  it('report a connection the server drops with the socket error', async () => {
    const { context, close } = await endpoint((req) => req.socket.destroy());
    try {
      const [problem] = await httpNotification.run(context);
      expect(problem).toMatchObject({ id: 'http.notification-accepted', severity: 'warning' });
      expect(problem.message).toMatch(/A POSTed notification \(notifications\/initialized\) got no answer \(\w+: .+\); expected 202/);
    } finally {
      await close();
    }
  });
});

describe('http.accept on a POST that accepts JSON only', () => {
  /** Time enough for an answer on a busy machine: these tests are about the answer, not the deadline. */
  const ANSWER_TIMEOUT_MS = 10_000;
  const INITIALIZED = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'json-mode', version: '1' } },
  });

  it('is a notice when the server answers JSON, as the JSON-response mode of an SDK does: that client can read it', async () => {
    const { context, close } = await endpoint((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(INITIALIZED), ANSWER_TIMEOUT_MS);
    try {
      const findings = await httpAccept.run(context);
      expect(findings).toEqual([expect.objectContaining({ id: 'http.accept', severity: 'notice' })]);
      expect(findings[0].message).toContain('a JSON answer, which that client can read');
      expect(findings[0].message).toContain("the Python SDK's json_response=True");
    } finally {
      await close();
    }
  });

  it('still warns when the server answers with an event stream that client cannot read', async () => {
    const { context, close } = await endpoint(
      (_, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`event: message\ndata: ${INITIALIZED}\n\n`),
      ANSWER_TIMEOUT_MS,
    );
    try {
      const findings = await httpAccept.run(context);
      expect(findings).toEqual([expect.objectContaining({ id: 'http.accept', severity: 'warning' })]);
      expect(findings[0].message).toContain('an event stream, which that client said it cannot read');
    } finally {
      await close();
    }
  });
});
