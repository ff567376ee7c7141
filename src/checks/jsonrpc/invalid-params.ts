import { ProtocolError, ProtocolErrorCode, type CallToolResult } from '@modelcontextprotocol/client';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';
import { sdkDefaultFinding, unknownToolDefault } from '../support/sdk-defaults.js';
import { noAnswer } from '../support/no-answer.js';
import * as results from '../../session/results.js';
import { quoteError } from '../support/request-error.js';

const meta: CheckMeta = {
  id: 'jsonrpc.invalid-params',
  title: 'Calling an unknown tool gets error -32602',
  severity: 'warning',
  since: '2024-11-05',
  description:
    "Calls a tool name the server does not list (no side effects are possible) and expects a JSON-RPC error -32602 (invalid params). An SDK's own default answer (an `isError` result) is a notice that names the SDK.",
  why: 'Clients tell protocol errors (the call itself was wrong) from tool errors (`isError`, shown to the model); mixing them up hides bugs from users or confuses the model.',
  fix: 'Answer tools/call for an unknown tool with error -32602; keep `isError: true` results for failures inside a known tool.',
  specUrl: specUrl('2025-11-25', 'server/tools#error-handling'),
};

export const UNKNOWN_TOOL = 'mcp-preflight-no-such-tool';

function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

/**
 * An isError result where -32602 belongs. The SDKs' own answer is a notice naming the SDK; a handler of the
 * author's is a warning, except before 2025-11-25, when every SDK answered this way and clients cope.
 */
function isErrorFinding(text: string, protocolVersion: string): Finding {
  const message = `Calling the unknown tool "${UNKNOWN_TOOL}" returned an isError result (${JSON.stringify(text.slice(0, 200))}) instead of error -32602 (protocol ${protocolVersion}).`;
  const sdk = unknownToolDefault(UNKNOWN_TOOL, text);
  if (sdk) return sdkDefaultFinding(meta, message, sdk);
  return finding(meta, message, { severity: protocolVersion < '2025-11-25' ? 'notice' : 'warning' });
}

export const invalidParams: Check = {
  meta,
  stage: 'session',
  appliesTo: ({ session }) => session?.advertises('tools') ?? false,
  async run({ session }) {
    if (!session) return [];
    try {
      const result = await session.client.request({ method: 'tools/call', params: { name: UNKNOWN_TOOL, arguments: {} } }, results.CallToolResult, {
        timeout: session.requestTimeoutMs,
      });
      if (result.isError) return [isErrorFinding(textOf(result), session.protocolVersion)];
      return [
        finding(
          meta,
          `Calling the unknown tool "${UNKNOWN_TOOL}" succeeded (${JSON.stringify(result).slice(0, 200)}): the server runs something for names it does not list, and a model that invents a tool name is told the call worked.`,
          {
            severity: 'error',
          },
        ),
      ];
    } catch (error) {
      const code = error instanceof ProtocolError ? error.code : undefined;
      if (code === ProtocolErrorCode.InvalidParams) return [];
      const missing = noAnswer(error, session.requestTimeoutMs);
      if (missing) {
        return [finding(meta, `Calling the unknown tool "${UNKNOWN_TOOL}" got ${missing} (${quoteError(error)}).`, { severity: 'error' })];
      }
      return [finding(meta, `Calling the unknown tool "${UNKNOWN_TOOL}" was answered with ${code ?? 'an error'} instead of -32602: ${quoteError(error)}`)];
    }
  },
};
