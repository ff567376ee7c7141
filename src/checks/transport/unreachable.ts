import { portOf } from '../../target/readiness.js';
import { connectFailed } from '../support/evidence.js';
import type { LoopbackChoice } from '../../target/loopback-route.js';
import { finding, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'transport.unreachable',
  title: 'The server is reachable',
  severity: 'error',
  description:
    'Reports connection-level failures (refused, DNS, TLS, reset) on the way to the MCP URL. For `localhost`, tries the other loopback address (::1 or 127.0.0.1) when the first one refuses, and notes which one answered.',
  why: 'Clients cannot even send initialize; they report a connection error with no hint of the cause.',
  cause:
    'Nothing listens at that host and port: the server binds another port or interface (127.0.0.1 inside a container, only ::1 for `localhost`), it has not started, or its TLS certificate is not trusted.',
  fix: 'Check that the server is listening on that host and port. A server in a container must bind 0.0.0.0, not 127.0.0.1. A server meant for `localhost` should listen on both 127.0.0.1 and ::1, since clients resolve the name to either. For TLS errors, use a certificate clients trust (a self-signed one fails in every client).',
};

const HINTS: Record<string, string> = {
  ECONNREFUSED: 'Nothing is listening there: is the server started, on this port, and bound to this address?',
  ENOTFOUND: 'The host name does not resolve: check the spelling, or the deployment URL.',
  EAI_AGAIN: 'DNS lookup failed temporarily: the host name may not exist yet.',
  ECONNRESET: 'The connection was reset: a proxy or the server closed it; check the server log.',
  UND_ERR_SOCKET:
    'The server accepted the connection and closed it without an answer: it may have crashed on the request, or a proxy cut it; check the server log.',
  ETIMEDOUT: 'No answer: a firewall may be dropping packets, or the server is not listening.',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The certificate is self-signed: clients will refuse it.',
  SELF_SIGNED_CERT_IN_CHAIN: 'The certificate chain is self-signed: clients will refuse it.',
  CERT_HAS_EXPIRED: 'The certificate has expired.',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The certificate does not cover this host name.',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'The certificate chain is incomplete.',
};

function networkError(context: CheckContext): { code: string; message?: string } | undefined {
  const readiness = context.readiness;
  if (readiness && !readiness.ready && !readiness.exitedDuring && !context.settings.healthUrl && readiness.lastProbe?.errorCode) {
    return { code: readiness.lastProbe.errorCode, message: readiness.lastProbe.errorMessage };
  }
  if (!connectFailed(context)) return undefined;
  const last = context.connect?.exchange.lastHttp();
  return last?.errorCode ? { code: last.errorCode, message: last.errorMessage } : undefined;
}

export const unreachable: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.targetUrl !== undefined,
  run(context) {
    const error = networkError(context);
    const url = context.targetUrl;
    if (!error && context.loopback) return [describeLoopback(context.loopback)];
    if (!error || !url) return [];
    const where = `${url.hostname}:${portOf(url)}`;
    const specific = HINTS[error.code];
    return [
      finding(meta, `${where} could not be reached: ${error.code}${error.message && error.message !== error.code ? ` (${error.message})` : ''}.`, {
        hint: specific ? `${specific} ${meta.fix}` : meta.fix,
      }),
    ];
  },
};

/** The gate reached the server, but only at the loopback address `localhost` does not resolve to first. */
function describeLoopback({ host, resolvedFirst, answered }: LoopbackChoice): Finding {
  const named = new URL(`http://${host}`);
  const [name, port] = [named.hostname, portOf(named)];
  return finding(
    meta,
    `${name} resolves to ${resolvedFirst} first on this machine, and nothing accepted a connection there on port ${port}; the server answered at ${answered}, and the gate sent its requests there (still with Host: ${host}). Clients that resolve ${name} to ${resolvedFirst} only, or do not try the next address, cannot connect.`,
    {
      severity: 'notice',
      hint: `Have the server listen on both 127.0.0.1 and ::1 (or at least on ${resolvedFirst}), so that ${name} works whatever it resolves to.`,
    },
  );
}
