import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { describeResponse, httpOf, onStreamableHttp, pingRequest } from '../support/http.js';

const meta: CheckMeta = {
  id: 'http.protocol-version-header',
  title: 'An invalid MCP-Protocol-Version header gets 400',
  severity: 'warning',
  since: '2025-06-18',
  description: 'Sends a request within the session with `MCP-Protocol-Version: not-a-version` and expects 400 Bad Request.',
  why: 'The header tells the server which revision the client speaks; a server that ignores a bad one will misread clients of other revisions.',
  fix: 'Validate the MCP-Protocol-Version header and answer 400 for versions the server does not support (the SDK transports do).',
  specUrl: specUrl('2025-11-25', 'basic/transports#protocol-version-header'),
};

export const httpProtocolVersionHeader: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  appliesTo: onStreamableHttp,
  async run(context) {
    const response = await httpOf(context).send({
      method: 'POST',
      body: pingRequest('mcp-preflight-version-header'),
      headers: { 'mcp-protocol-version': 'not-a-version' },
    });
    if (response.status === 400) return [];
    return [finding(meta, `A ping with "MCP-Protocol-Version: not-a-version" got ${describeResponse(response)}, not 400.`)];
  },
};
