import { ProtocolError } from '@modelcontextprotocol/client';
import type { RawAnswer } from '../../session/modern-requests.js';
import * as results from '../../session/results.js';
import { describeRawFailure } from '../support/raw-answer.js';
import { describeRequestError } from '../support/request-error.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'resources.not-found',
  title: 'Reading an unknown resource gets the not-found error',
  severity: 'warning',
  since: '2026-07-28',
  description:
    "Reads a URI the server never listed (a scheme of the gate's own) and expects JSON-RPC error -32602 in the modern era; on a legacy face -32002 (the 2025-11-25 code) or -32602, another error code there being a notice. A success is reported, an empty one as the ambiguity the spec forbids; no answer within `request-timeout` is an error.",
  why: 'Clients tell a missing resource from a broken server by this error: a success for a URI that does not exist shows users and models an empty or invented document, and a wrong code shows as a server failure instead of "not found".',
  fix: 'Answer resources/read of a URI you do not serve with error -32602 (`{"code": -32602, "message": "Resource not found", "data": {"uri": "…"}}`); the v2 SDKs do when the handler throws their ResourceNotFoundError. Never return an empty `contents` array for it.',
  specUrl: specUrl('2026-07-28', 'server/resources#error-handling'),
};

/** A scheme no server serves, so no template can match it. */
function unknownUri(): string {
  return `mcp-preflight-missing://not-listed/${Math.random().toString(36).slice(2, 10)}`;
}

function judgeError(code: number, message: string, era: 'legacy' | 'modern', uri: string): Finding[] {
  const accepted = era === 'modern' ? [-32602] : [-32002, -32602];
  if (accepted.includes(code)) return [];
  const expected = era === 'modern' ? '-32602 (the 2026-07-28 code; -32002 was the legacy one)' : '-32002 or -32602';
  // On the legacy face the read still fails, which is what clients act on, and most servers of that era
  // answer with whatever their handler throws (server-postgres: -32603): a notice, not a warning.
  return [
    finding(
      meta,
      `Reading ${uri}, which the server never listed, got error ${code} ("${message}"), not ${expected}. Clients show it as a server failure rather than "not found".`,
      era === 'legacy' ? { severity: 'notice' } : {},
    ),
  ];
}

function judgeSuccess(result: Record<string, unknown>, uri: string): Finding[] {
  const contents = Array.isArray(result.contents) ? result.contents : [];
  if (contents.length === 0) {
    return [
      finding(
        meta,
        `Reading ${uri}, which the server never listed, succeeded with an empty contents array instead of error -32602: clients cannot tell a missing resource from an empty one.`,
      ),
    ];
  }
  return [
    finding(
      meta,
      `Reading ${uri}, which the server never listed, succeeded with ${contents.length} content item(s) instead of error -32602: the server answers URIs it does not have (a catch-all handler or resource template?), and clients show users and models a document that does not exist.`,
    ),
  ];
}

function noAnswer(uri: string, why: string): Finding[] {
  return [
    finding(meta, `Reading ${uri}, which the server never listed, got no answer: ${why}. A client that opens a stale link waits until it gives up.`, {
      severity: 'error',
    }),
  ];
}

function judgeRaw(answer: RawAnswer, uri: string, timeoutMs: number): Finding[] {
  if (answer.error) return judgeError(answer.error.code, answer.error.message, 'modern', uri);
  if (answer.result) return judgeSuccess(answer.result, uri);
  return noAnswer(uri, describeRawFailure(answer, timeoutMs));
}

export const resourcesNotFound: Check = {
  meta,
  stage: 'session',
  appliesTo: ({ session }) => session?.advertises('resources') === true,
  async run({ session }) {
    if (!session) return [];
    const uri = unknownUri();
    // The SDK client of the modern era reports the legacy code as -32602: read the answer as sent.
    if (session.raw) return judgeRaw(await session.raw.shared().request('resources/read', { uri }), uri, session.requestTimeoutMs);
    try {
      const result = await session.client.request({ method: 'resources/read', params: { uri } }, results.AnyResult, { timeout: session.requestTimeoutMs });
      return judgeSuccess(result, uri);
    } catch (error) {
      if (error instanceof ProtocolError) return judgeError(error.code, error.message, session.era, uri);
      return noAnswer(uri, describeRequestError(error, session.requestTimeoutMs));
    }
  },
};
