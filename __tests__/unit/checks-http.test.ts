import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpGetStream } from '../../src/checks/http/get-stream.js';
import { httpNotification } from '../../src/checks/http/notification.js';
import type { CheckContext } from '../../src/checks/types.js';
import { RawHttp } from '../../src/session/raw-http.js';
import type { Session } from '../../src/session/session.js';
import { settingsFor } from '../helpers/servers.js';

/** Short, since waiting it out is the point; the checks' own deadline is the request time-out. */
const TIMEOUT_MS = 300;

/** An in-process endpoint that handles every request with `handler`, and a context whose session reaches it. */
async function endpoint(handler: http.RequestListener): Promise<{ context: CheckContext; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  const session = { transportName: 'streamable-http', http: new RawHttp(url, {}, TIMEOUT_MS) } as unknown as Session;
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
