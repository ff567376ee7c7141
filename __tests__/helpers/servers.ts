import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSettings, type Settings } from '../../src/settings.js';
import type { RawInputs } from '../../src/inputs.js';
import { CATALOGUE } from '../../src/checks/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, '__tests__/fixtures/servers');
const LOOPBACK_PRELOAD = path.join(ROOT, '__tests__/helpers/loopback-only.mjs');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/**
 * Ports for servers the gate starts itself, so a test must name the port before the server binds it.
 * Asking the OS for port 0 and closing it again leaves a window in which the port is free for anyone,
 * and on Linux the OS hands out the same range to every outgoing connection's local port: a test's HTTP
 * client could take the port before its server did (EADDRINUSE). So ports come from below the ephemeral
 * range, where the OS assigns nothing, and each is claimed with a lock file (O_EXCL) naming the claiming
 * process, so two Jest workers, or two checkouts testing at once on one machine, never share one. A
 * claim lasts while its process lives, and a dead process's claims are taken over (Jest's sandboxed
 * `process` runs no exit handler that could release them).
 */
const PORT_CLAIMS = path.join(os.tmpdir(), 'mcp-preflight-test-ports');
const PORT_RANGE_SIZE = 10_000;

/** A port range no outgoing connection is given: just below the OS's ephemeral range. */
function reservedRange(): [number, number] {
  let low = 49_152; // IANA's ephemeral range, used by macOS and Windows
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    // not Linux
  }
  const first = Math.max(1024, low - PORT_RANGE_SIZE);
  return [first, low - 1];
}

/** Claims `port` for this process: false while another live process holds it; a dead one's claim is taken over. */
export function claimPort(port: number): boolean {
  const file = path.join(PORT_CLAIMS, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (holderAlive(file)) return false;
    rmSync(file, { force: true });
    return claimPort(port);
  }
  return true;
}

function holderAlive(file: string): boolean {
  const pid = Number(readFileSync(file, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether nothing listens on 127.0.0.1:`port` now (a server started by hand, outside this scheme). */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on and no other test or connection will take: this process's until it exits. */
export async function freePort(): Promise<number> {
  mkdirSync(PORT_CLAIMS, { recursive: true });
  const [first, last] = reservedRange();
  const size = last - first + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < Math.min(size, 200); i += 1) {
    const port = first + ((start + i) % size);
    if (claimPort(port) && (await bindable(port))) return port;
  }
  throw new Error(`no free port between ${first} and ${last} after 200 tries (claims in ${PORT_CLAIMS})`);
}

/** `node …` with the loopback preload, quoted for the shell the gate runs commands in. */
export function nodeCommand(script: string, ...args: string[]): string {
  return ['node', '--import', LOOPBACK_PRELOAD, script, ...args].map((w) => JSON.stringify(w)).join(' ');
}

let tagged = 0;

/**
 * A marker unique to one test, passed to its server as an argument: `processesMatching(tag)` then finds
 * that server's processes only, even while another worker, another test file or another checkout runs
 * the same server.
 */
export function uniqueTag(label: string): string {
  tagged += 1;
  return `--preflight-test=${label}-${process.pid}-${tagged}`;
}

/** server-everything (which ignores arguments after the transport), tagged with a `uniqueTag`. */
export function everythingCommand(transport: 'stdio' | 'streamableHttp' | 'sse', tag: string, port?: number): string {
  const command = nodeCommand(EVERYTHING, transport, tag);
  return port ? `PORT=${port} ${command}` : command;
}

/** A fixture server, tagged with a `uniqueTag`. */
export function fixtureCommand(name: string, tag: string, port?: number): string {
  const command = nodeCommand(path.join(FIXTURES, name), tag);
  return port ? `PORT=${port} ${command}` : command;
}

export function settingsFor(raw: RawInputs): Settings {
  return parseSettings({ 'request-timeout': '10', 'startup-timeout': '30', ...raw }, CATALOGUE, ROOT);
}

/**
 * Processes whose command line mentions `marker` (a `uniqueTag`, or a scratch directory of the test's
 * own), other than this test process: after a run, there must be none. A marker shared with another
 * test (a fixture path, `PORT=…`, which only the shell wrapper's command line shows) would see that
 * test's servers, or miss the server itself.
 */
export function processesMatching(marker: string): string[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo') && !line.includes('jest'))
    .map((line) => line.trim());
}
