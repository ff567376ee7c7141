import { describeAnswer, refusesHost } from '../../session/http-answer.js';
import { isLoopback } from '../../util/loopback.js';
import { connectFailed } from '../support/evidence.js';
import { quote } from '../support/security/text.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'transport.host-rejected',
  title: 'The server accepts the Host the URL names',
  severity: 'error',
  since: '2025-03-26',
  description:
    'Recognises a 403 or 421 answer without a `WWW-Authenticate` challenge to the MCP request: a Host or Origin allow-list (DNS-rebinding protection) refusing the name in `url`, not a demand for credentials. Quotes the answer and the host the server asks for, when it names one.',
  why: 'Clients that reach the server under another name than the one it allows get the same refusal; asking them for credentials would not help.',
  cause:
    "DNS-rebinding protection in the server (the SDK transports' `allowedHosts`, or a framework's host allow-list) that allows `localhost` while `url` says `127.0.0.1`, or the reverse, or a deployment reached under a name it was not configured with.",
  fix: "Set `url` to the host the server allows (often `localhost:<port>` rather than `127.0.0.1:<port>`), the name your users' clients use too; or add that name to the server's allowed hosts (the SDK transports' `allowedHosts`, or its DNS-rebinding protection options).",
  specUrl: specUrl('2025-11-25', 'basic/transports#security-warning'),
};

/** How servers name the host they accept: "Access is only allowed at localhost:3000", "allowed hosts: a, b". */
const NAMED_HOST = [
  /\ballowed (?:at|on|from|for)\s+["'`]?([\w.:/@%+[\]-]+)/i,
  /\ballowed hosts?(?: are| is)?\s*:?\s*\[?\s*["'`]?([\w.:/@%+[\]-]+)/i,
  /\bexpected host(?: header)?(?: is)?\s*:?\s*["'`]?([\w.:/@%+[\]-]+)/i,
];

/** The host (with its port, if given) a refusal names as the one the server accepts. */
export function hostNamedIn(body: string): string | undefined {
  for (const pattern of NAMED_HOST) {
    const candidate = pattern.exec(body)?.[1].replace(/[.)]+$/, '');
    const host = candidate && hostOf(candidate);
    if (host) return host;
  }
  return undefined;
}

/** `url` with its host replaced by `host` ("localhost:3116", or "localhost", keeping the port). */
export function urlForHost(url: URL, host: string): URL | undefined {
  const named = hostOf(host);
  if (!named) return undefined;
  const parsed = new URL(`http://${named}`);
  const copy = new URL(url);
  copy.hostname = parsed.hostname;
  if (parsed.port) copy.port = parsed.port;
  return copy.host === url.host ? undefined : copy;
}

function hostOf(text: string): string | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    return url.hostname && !url.username ? url.host : undefined;
  } catch {
    return undefined;
  }
}

interface Refusal {
  status?: number;
  body?: string;
  /** Which request was refused, as the finding names it. */
  request: string;
}

/** The gate's own refused attempt; without one (no token, so no attempt), the anonymous probe's refusal. */
function refusalOf(context: CheckContext): Refusal | undefined {
  if (connectFailed(context)) {
    const refused = context.connect?.exchange.http.filter((h) => !h.cancelled && refusesHost(h)).at(-1);
    return refused && { ...refused, request: refused.method === 'GET' ? 'Opening the event stream' : 'initialize' };
  }
  const anonymous = context.auth?.anonymous;
  if (context.connect || !anonymous || !refusesHost(anonymous)) return undefined;
  return { ...anonymous, request: `${anonymous.method === 'GET' ? 'Opening the event stream' : 'initialize'} without credentials` };
}

export const hostRejected: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.targetUrl !== undefined,
  run(context) {
    const refusal = refusalOf(context);
    const url = context.targetUrl;
    if (!refusal || !url) return [];
    const body = refusal.body?.trim() ? `: ${quote(refusal.body, 200)}` : ' with an empty body';
    const opening = `${refusal.request} was answered ${describeAnswer(refusal)} and no WWW-Authenticate challenge${body}.`;
    const cause = `That is how a Host or Origin allow-list (DNS-rebinding protection) refuses a request, not a demand for credentials. The gate sent Host: ${url.host}.`;
    const named = refusal.body ? hostNamedIn(refusal.body) : undefined;
    const wanted = named ? urlForHost(url, named) : undefined;
    if (wanted) {
      return [
        finding(meta, `${opening} ${cause} The server names the host it accepts: use url: ${wanted.href}`, { hint: `Use url: ${wanted.href}. ${meta.fix}` }),
      ];
    }
    return [finding(meta, `${opening} ${cause}`, { hint: guess(url) })];
  },
};

/** Servers that guard a local port usually accept `localhost`; elsewhere the allowed names are the server's to list. */
function guess(url: URL): string {
  if (!isLoopback(url) || url.hostname === 'localhost') return meta.fix;
  const local = new URL(url);
  local.hostname = 'localhost';
  return `Local servers with DNS-rebinding protection usually accept only \`localhost\`: try url: ${local.href}. ${meta.fix}`;
}
