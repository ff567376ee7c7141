import dns from 'node:dns/promises';
import net from 'node:net';
import { pinRoute, unpinRoute } from '../util/http/route.js';

/**
 * `localhost` resolves to 127.0.0.1 on some machines and to ::1 (first, or only) on others, while a
 * server binds one of them. The gate keeps the URL as written, since servers with a Host allow-list
 * accept only the name they were told, and connects to whichever loopback address answers.
 */
export const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'] as const;

/** The loopback address that answered for a `localhost` URL, when it is not the one the name resolves to first. */
export interface LoopbackChoice {
  /** `localhost:3000`, as the URL names it: still the Host header of every request. */
  host: string;
  /** The address this machine resolves the name to first, which refused the connection. */
  resolvedFirst: string;
  /** The loopback address that accepted it, which the gate's requests then go to. */
  answered: string;
}

const CONNECT_TIMEOUT_MS = 1000;

export function namesLocalhost(url: URL): boolean {
  return url.hostname === 'localhost';
}

/** The URL aimed at `address` instead of its host name: for requests whose Host header is set separately. */
export function atAddress(url: URL, address: string): URL {
  const copy = new URL(url);
  copy.hostname = address.includes(':') ? `[${address}]` : address;
  return copy;
}

/**
 * For a `localhost` URL, connects to the address the name resolves to first and, when that is refused, to
 * the other loopback addresses in turn. Undefined when the first address answers (or none does, which
 * transport.unreachable reports from the gate's own requests).
 */
export async function chooseLoopbackAddress(url: URL): Promise<LoopbackChoice | undefined> {
  if (!namesLocalhost(url)) return undefined;
  const resolved = (await dns.lookup(url.hostname, { all: true }).catch(() => [])).map((entry) => entry.address);
  const candidates = [...new Set([...resolved, ...LOOPBACK_ADDRESSES])];
  const port = portOf(url);
  for (const address of candidates) {
    if (await accepts(address, port)) {
      return address === candidates[0] ? undefined : { host: url.host, resolvedFirst: candidates[0], answered: address };
    }
  }
  return undefined;
}

/** Sends the requests for `choice.host` to the address that answered, keeping the URL and its Host header. */
export async function pinLoopback(choice: LoopbackChoice): Promise<void> {
  // Loaded only here: most runs never fall back, and the CLI's start-up need not compile it.
  const { Agent, fetch } = await import('undici');
  pinRoute(choice.host, { agent: new Agent({ connect: { lookup: lookupAt(choice.answered) } }), fetch });
}

/** Ends the pin and the agent's connections, once the run is done with the server. */
export async function unpinLoopback(choice: LoopbackChoice): Promise<void> {
  await unpinRoute(choice.host)
    ?.agent.destroy()
    .catch(() => undefined);
}

/** A `lookup` for net.connect that answers `address` for the one host name the agent is used for. */
function lookupAt(address: string): net.LookupFunction {
  const family = net.isIP(address);
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, timeout: CONNECT_TIMEOUT_MS });
    const settle = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => settle(true));
    socket.once('timeout', () => settle(false));
    socket.once('error', () => settle(false));
  });
}

export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}
