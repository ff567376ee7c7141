import { connectError, connectFailed, httpStatusOf } from '../evidence.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'auth.unauthorized',
  title: 'The server accepts the gate\'s credentials',
  severity: 'error',
  since: '2025-03-26',
  description: 'Recognises a 401 or 403 answer to initialize.',
  why: 'The server is up and speaking HTTP, but demands credentials; this is not a connection failure.',
  fix: 'Pass credentials with the `header` input from a secret, e.g. `header: "Authorization: Bearer ${{ secrets.MCP_TOKEN }}"`.',
  specUrl: specUrl('2025-11-25', 'basic/authorization'),
};

export const unauthorized: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.targetUrl !== undefined,
  run(context) {
    if (!connectFailed(context)) return [];
    const rejected = context.connect?.exchange.http.filter((h) => h.status === 401 || h.status === 403).at(-1);
    const status = rejected?.status ?? httpStatusOf(connectError(context));
    if (status !== 401 && status !== 403) return [];
    const sent = Object.keys(context.settings.headers);
    const credentials = sent.length ? `The gate sent these headers: ${sent.join(', ')} (values masked).` : 'The gate sent no credentials.';
    const challenge = rejected?.wwwAuthenticate ? `WWW-Authenticate: ${rejected.wwwAuthenticate}` : 'No WWW-Authenticate header came with it.';
    return [finding(meta, `initialize was answered with HTTP ${status}. ${credentials} ${challenge}`)];
  },
};
