import type { Agent, fetch as undiciFetch } from 'undici';

/** An agent that connects a `host:port` to one chosen address, and undici's fetch to drive it. */
export interface PinnedRoute {
  agent: Agent;
  fetch: typeof undiciFetch;
}

/** Requests to a `host:port` pinned to another loopback address go through an agent that resolves it there. */
const pinned = new Map<string, PinnedRoute>();

/** Sends every later request for `host` (`localhost:3000`) through `route`; see target/loopback-route.ts. */
export function pinRoute(host: string, route: PinnedRoute): void {
  pinned.set(host, route);
}

/** Ends the pin; the caller destroys the agent. */
export function unpinRoute(host: string): PinnedRoute | undefined {
  const route = pinned.get(host);
  pinned.delete(host);
  return route;
}

/**
 * The fetch every request to the server (and its authorization endpoints) goes through: the platform's
 * own, unless the host was pinned; then undici's fetch with the pinning agent, fetch and agent from one
 * library, since the platform's fetch may come from another undici major than the agent.
 */
export function routedFetch(url: string | URL, init?: RequestInit): Promise<Response> {
  const pin = pinned.get(hostOf(url));
  if (!pin) return fetch(url, init);
  return pin.fetch(url, { ...(init as object), dispatcher: pin.agent }) as unknown as Promise<Response>;
}

function hostOf(url: string | URL): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
