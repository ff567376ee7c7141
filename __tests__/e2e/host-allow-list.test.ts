import dns from 'node:dns/promises';
import net from 'node:net';
import { expectPass, fixtureWith, rootCause, runGate, uniqueTag } from '../fixtures/gate.js';
import { freePort, processesMatching } from '../helpers/servers.js';

/** A fixture that accepts only `Host: localhost:<port>`, started by the gate on a free port. */
async function allowList(env: Record<string, string> = {}) {
  const port = await freePort();
  const tag = uniqueTag('host-allow-list');
  return { port, tag, start: fixtureWith('host-allow-list.mjs', tag, { PORT: port, ...env }) };
}

/** Whether this machine has an IPv6 loopback address a server can listen on. */
function canListenOnIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

const ipv6 = await canListenOnIpv6Loopback();
const firstAddress = (await dns.lookup('localhost')).address;
/** The loopback address `localhost` does not resolve to first here: a server bound there alone needs the fallback. */
const otherAddress = firstAddress === '::1' ? '127.0.0.1' : '::1';
const withIpv6 = ipv6 ? it : it.skip;

describe('a server with a Host allow-list (DNS-rebinding protection)', () => {
  it('passes at the localhost URL it allows, with no auth finding: the URL is used as written', async () => {
    const { port, tag, start } = await allowList();
    const { report } = await runGate({ start, url: `http://localhost:${port}/mcp` });
    expectPass(report);
    expect(report.target).toMatchObject({ url: `http://localhost:${port}/mcp` });
    expect(report.findings.filter((f) => f.id.startsWith('auth.') || f.id.startsWith('transport.'))).toEqual([]);
    expect(report.checks.find((c) => c.id === 'tools.list')?.status).toBe('pass');
    expect(processesMatching(tag)).toEqual([]);
  });

  it('fails at 127.0.0.1 with transport.host-rejected naming the URL to use, and never asks for credentials', async () => {
    const { port, tag, start } = await allowList();
    const { report } = await runGate({ start, url: `http://127.0.0.1:${port}/mcp` });
    const cause = rootCause(report);
    expect(cause.id).toBe('transport.host-rejected');
    expect(cause.message).toContain(
      `initialize was answered HTTP 403 text/plain and no WWW-Authenticate challenge: "Access is only allowed at localhost:${port}".`,
    );
    expect(cause.message).toContain(`The gate sent Host: 127.0.0.1:${port}.`);
    expect(cause.message).toContain(`use url: http://localhost:${port}/mcp`);
    expect(report.findings.filter((f) => f.id.startsWith('auth.'))).toEqual([]);
    expect(processesMatching(tag)).toEqual([]);
  });

  withIpv6(`reaches a server bound to ${otherAddress} alone at localhost, health URL included, and says which address answered`, async () => {
    const { port, tag, start } = await allowList({ LISTEN: otherAddress });
    const { report } = await runGate({ start, url: `http://localhost:${port}/mcp`, 'health-url': `http://localhost:${port}/health` });
    expectPass(report);
    expect(report.target).toMatchObject({ url: `http://localhost:${port}/mcp` });
    expect(report.triage).toContain(`address: ${otherAddress} (${firstAddress} refused)`);
    const notice = report.findings.find((f) => f.id === 'transport.unreachable');
    expect(notice).toMatchObject({ severity: 'notice' });
    expect(notice?.message).toContain(`localhost resolves to ${firstAddress} first on this machine`);
    expect(notice?.message).toContain(`the server answered at ${otherAddress}`);
    expect(notice?.message).toContain(`Host: localhost:${port}`);
    expect(report.checks.find((c) => c.id === 'health.endpoint')?.status).toBe('pass');
    expect(processesMatching(tag)).toEqual([]);
  });
});
