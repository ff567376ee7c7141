import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { claimPort, freePort } from '../helpers/servers.js';

const CLAIMS = path.join(os.tmpdir(), 'mcp-preflight-test-ports');
const onLinux = process.platform === 'linux' ? it : it.skip;

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('freePort', () => {
  it('hands out distinct ports a server can then listen on, each claimed by this process', async () => {
    const ports = [];
    for (let i = 0; i < 10; i += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(readFileSync(path.join(CLAIMS, String(port)), 'utf8')).toBe(String(process.pid));
    const servers = await Promise.all(ports.map(listen));
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  onLinux('takes its ports from below the ephemeral range, which outgoing connections are given', async () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const port = await freePort();
    expect(port).toBeLessThan(low);
  });

  it("never hands out a port another live process claimed, and takes over a dead process's claim", async () => {
    const port = await freePort();
    const claim = path.join(CLAIMS, String(port));
    // The parent (the Jest runner) is alive and is not this process.
    writeFileSync(claim, String(process.ppid));
    expect(claimPort(port)).toBe(false);
    expect(readFileSync(claim, 'utf8')).toBe(String(process.ppid));

    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid as number;
    writeFileSync(claim, String(dead));
    expect(claimPort(port)).toBe(true);
    expect(readFileSync(claim, 'utf8')).toBe(String(process.pid));
  });
});
