import { errorOf, resultOf, type StampedAnswer } from '../../session/stamped-request.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'modern.unsupported-version',
  title: 'A request stamped with an unknown version gets -32022 naming the supported versions',
  severity: 'error',
  since: '2026-07-28',
  description:
    "Sends one request (a list the server advertises, else server/discover) stamped with a modern-looking version no server supports (2099-01-01) and expects error -32022 with `data.supported` listing the server's versions, over HTTP with status 400. Over stdio the request opens a fresh server process, as a stdio server may fix a connection's era at its first request.",
  why: 'A client newer than the server stamps its requests with a version the server does not know; -32022 with the supported list is how it learns which version to retry with. Any other answer (a generic error, or serving the request as if the version were known) leaves it failing or misreading the answers.',
  fix: 'Check `io.modelcontextprotocol/protocolVersion` in every request\'s `_meta` (and the `MCP-Protocol-Version` header) and answer an unsupported one with `{ code: -32022, message: "Unsupported protocol version", data: { supported: [...], requested } }`, over HTTP with status 400; the v2 SDK does this.',
  specUrl: specUrl('2026-07-28', 'basic/versioning#protocol-version-negotiation'),
};

export const unsupportedVersion: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  needs: ['stamped-version'],
  appliesTo: (context) => context.unknownVersionProbe !== undefined,
  async run(context) {
    const probe = await context.unknownVersionProbe;
    return probe ? judge(probe, context.session?.transportName === 'stdio') : [];
  },
};

function judge(probe: StampedAnswer, stdio: boolean): Finding[] {
  const asked = `${probe.method} stamped with version ${probe.version}${stdio ? ' (the first request of a fresh server process)' : ''}`;
  if (probe.failure)
    return [
      finding(
        meta,
        `${asked} got no answer: ${probe.failure}. A client newer than the server would hang or fail the same way instead of retrying with a supported version.`,
      ),
    ];
  const error = errorOf(probe.answer);
  const status = probe.status !== undefined ? `HTTP ${probe.status} with ` : '';
  if (!probe.answer) return [finding(meta, `${asked} got ${status}no JSON-RPC answer${probe.body ? `: ${JSON.stringify(probe.body.slice(0, 200))}` : ''}.`)];
  if (!error) {
    const served = JSON.stringify(resultOf(probe.answer)).slice(0, 150);
    return [
      finding(
        meta,
        `${asked} was served (${status}result ${served}) as if the version were known: a newer client reads answers of a version it did not ask for, and never learns to retry with 2026-07-28.`,
      ),
    ];
  }
  const findings: Finding[] = [];
  const supported = (error.data as { supported?: unknown } | undefined)?.supported;
  const quoted = `${status}error ${error.code} "${error.message.slice(0, 120)}"`;
  if (error.code !== -32022) {
    findings.push(
      finding(
        meta,
        `${asked} got ${quoted}, not -32022 (unsupported protocol version): a client cannot tell that the version was the problem, so it does not retry with one the server supports.`,
      ),
    );
  } else if (!Array.isArray(supported) || !supported.length || supported.some((v) => typeof v !== 'string')) {
    findings.push(
      finding(
        meta,
        `${asked} got -32022 without data.supported listing the server's versions (data: ${JSON.stringify(error.data ?? null).slice(0, 150)}): a client cannot pick a version to retry with.`,
      ),
    );
  }
  if (probe.status !== undefined && probe.status !== 400 && error.code === -32022) {
    findings.push(
      finding(
        meta,
        `${asked} got -32022 with HTTP status ${probe.status}; the 2026-07-28 revision requires 400, on which HTTP clients look at the body to retry.`,
      ),
    );
  }
  return findings;
}
