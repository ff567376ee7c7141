import { finding, specUrl, type Check, type CheckContext, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.legacy-rejected',
  title: 'A modern-only server refuses legacy clients by naming its versions',
  severity: 'notice',
  since: '2026-07-28',
  description:
    "For a server that speaks only the modern era: reads the answer to the gate's legacy `initialize` and expects error -32022 (unsupported protocol version) with `data.supported` listing its versions, so a legacy client can tell its user why it cannot connect. Says which clients cannot connect (a notice); a refusal that names no version is a warning.",
  why: 'Clients on the 1.x SDK, and any client speaking 2025-11-25 or earlier, cannot use a modern-only server. With the versions named they show "this server needs 2026-07-28"; with a bare error they show a failure that sends users to the wrong fix.',
  fix: 'Answer a legacy `initialize` with `{ code: -32022, message: "Unsupported protocol version", data: { supported: ["2026-07-28"], requested } }` (over HTTP with status 400); the v2 SDK does with `legacy: "reject"`. To serve legacy clients too, use the SDK\'s default (dual-era) instead.',
  specUrl: specUrl('2026-07-28', 'basic/versioning#protocol-version-negotiation'),
};

const LEGACY_CLIENTS = 'legacy clients (those on @modelcontextprotocol/sdk 1.x, and any client speaking 2025-11-25 or earlier)';

interface Refusal {
  code?: number;
  message?: string;
  data?: unknown;
  status?: number;
}

export const legacyRejected: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  appliesTo: (context) => !context.faces?.legacy && (context.connect?.attempts.length ?? 0) > 0,
  run(context) {
    const refusal = refusalOf(context);
    const supported = (refusal?.data as { supported?: unknown } | undefined)?.supported;
    if (refusal?.code === -32022 && Array.isArray(supported) && supported.length && supported.every((v) => typeof v === 'string')) {
      return [
        finding(
          meta,
          `The server speaks only the modern era: ${LEGACY_CLIENTS} cannot connect. They are told why: initialize gets -32022 naming ${supported.join(', ')}.`,
        ),
      ];
    }
    const got = describe(refusal, context);
    return [
      finding(
        meta,
        `The server speaks only the modern era: ${LEGACY_CLIENTS} cannot connect, and are not told why: initialize got ${got}, not -32022 with data.supported naming the server's versions. Their users see a bare failure instead of "this server needs 2026-07-28".`,
        { severity: 'warning' },
      ),
    ];
  },
};

/** The legacy initialize's refusal: the JSON-RPC error the client read, or the body of an HTTP refusal. */
function refusalOf(context: CheckContext): Refusal | undefined {
  const exchange = context.connect?.exchange;
  if (exchange?.initialize.error) return exchange.initialize.error;
  for (const entry of exchange?.http ?? []) {
    if (entry.method !== 'POST' || entry.status === undefined || entry.status < 400 || !entry.body) continue;
    const error = parseError(entry.body);
    if (error) return { ...error, status: entry.status };
  }
  return undefined;
}

function parseError(body: string): Refusal | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; data?: unknown } };
    const error = parsed.error;
    if (!error || typeof error.code !== 'number') return undefined;
    return { code: error.code, message: typeof error.message === 'string' ? error.message : undefined, data: error.data };
  } catch {
    return undefined;
  }
}

function describe(refusal: Refusal | undefined, context: CheckContext): string {
  if (refusal?.code !== undefined) {
    const status = refusal.status === undefined ? '' : `HTTP ${refusal.status} with `;
    return `${status}error ${refusal.code} "${(refusal.message ?? '').slice(0, 120)}"${refusal.data === undefined ? '' : ` (data: ${JSON.stringify(refusal.data).slice(0, 120)})`}`;
  }
  const error = context.connect?.attempts.at(-1)?.error;
  return error ? `"${error.message.slice(0, 160)}"` : 'no answer';
}
