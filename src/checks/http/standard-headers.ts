import type { RawAnswer, RawModernConnection, RawRequestOptions } from '../../session/modern-requests.js';
import { describeResponse } from '../support/http.js';
import { describeRawFailure } from '../support/raw-answer.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'http.standard-headers',
  title: 'Requests with missing or disagreeing standard headers get 400 and -32020',
  severity: 'error',
  since: '2026-07-28',
  description:
    'Sends modern-era requests of its own over Streamable HTTP: tools/list without `Mcp-Method`, tools/list with `Mcp-Method: prompts/list`, and a tools/call of a tool no server has whose `Mcp-Name` names another (nothing can run). Each must get 400 with JSON-RPC error -32020 (HeaderMismatch). A served mismatch is an error; a served request without the header, or a refusal with another code, a warning.',
  why: 'Load balancers, gateways and WAFs route and authorize on `Mcp-Method` and `Mcp-Name` without reading the body. A server that executes the body when the headers say something else lets a request past a policy that was written for another method or tool.',
  fix: 'Validate the standard headers against the body before dispatch and answer 400 with `{"code": -32020, "message": "Header mismatch: …"}` (the v2 SDK\'s createMcpHandler does); do not rebuild the headers from the body in a proxy or middleware.',
  specUrl: specUrl('2026-07-28', 'basic/transports/streamable-http#server-validation'),
};

const HEADER_MISMATCH = -32020;
const NO_SUCH_TOOL = 'mcp-preflight-no-such-tool';

interface Probe {
  label: string;
  method: string;
  params?: Record<string, unknown>;
  options: RawRequestOptions;
  /** Served anyway: how bad, and why. */
  servedSeverity: 'error' | 'warning';
}

const PROBES: Probe[] = [
  { label: 'tools/list without Mcp-Method', method: 'tools/list', options: { headers: { 'mcp-method': undefined } }, servedSeverity: 'warning' },
  { label: 'tools/list with Mcp-Method: prompts/list', method: 'tools/list', options: { headers: { 'mcp-method': 'prompts/list' } }, servedSeverity: 'error' },
  {
    label: `tools/call of "${NO_SUCH_TOOL}" with Mcp-Name: mcp-preflight-other-tool`,
    method: 'tools/call',
    params: { name: NO_SUCH_TOOL, arguments: {} },
    options: { headers: { 'mcp-name': 'mcp-preflight-other-tool' } },
    servedSeverity: 'error',
  },
];

function judge(probe: Probe, answer: RawAnswer): Finding[] {
  const reply = answer.http;
  if (!reply || reply.status === undefined) {
    return [finding(meta, `${probe.label} got no answer (${describeRawFailure(answer)}); expected 400 with error -32020.`, { severity: 'warning' })];
  }
  if (reply.status === 400 && answer.error?.code === HEADER_MISMATCH) return [];
  const got = describeResponse(reply);
  if (reply.status >= 400) {
    return [
      finding(
        meta,
        `${probe.label} was refused with ${got}, not 400 with error -32020 (HeaderMismatch): clients cannot tell a header problem from another failure.`,
        { severity: 'warning' },
      ),
    ];
  }
  const risk =
    probe.servedSeverity === 'error'
      ? 'A gateway that routes or authorizes on the header sees one request while the server runs another.'
      : 'Intermediaries that route on Mcp-Method cannot handle such requests.';
  return [finding(meta, `${probe.label} was served (${got}) instead of refused with 400 and error -32020. ${risk}`, { severity: probe.servedSeverity })];
}

async function send(connection: RawModernConnection, probe: Probe): Promise<Finding[]> {
  return judge(probe, await connection.request(probe.method, probe.params, probe.options));
}

export const standardHeaders: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  appliesTo: ({ session }) => session?.transportName === 'streamable-http' && session.raw !== undefined,
  async run({ session }) {
    if (!session?.raw) return [];
    const connection = session.raw.shared();
    return (await Promise.all(PROBES.map((probe) => send(connection, probe)))).flat();
  },
};
