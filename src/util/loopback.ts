/**
 * Loopback hosts are reachable from this machine only: plain http there exposes nothing on a network, and
 * a connection attempt costs microseconds.
 */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
