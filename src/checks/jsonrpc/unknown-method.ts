import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { sdkDefaultFinding, unknownMethodDefault } from '../support/sdk-defaults.js';
import { noAnswer } from '../support/no-answer.js';
import { quoteError } from '../support/request-error.js';
import * as results from '../../session/results.js';

const meta: CheckMeta = {
  id: 'jsonrpc.unknown-method',
  title: 'Unknown methods get error -32601',
  severity: 'error',
  since: '2024-11-05',
  description:
    "Sends a request for a method no server implements and expects a JSON-RPC error -32601 (method not found) in time. Another error code is a warning, or a notice naming the SDK when it is an SDK's own default answer.",
  why: 'Clients probe optional methods; a server that crashes or stays silent instead of answering -32601 hangs them or drops the connection.',
  fix: 'Answer requests for unknown methods with error -32601; the MCP SDKs do this unless a catch-all handler swallows them.',
  specUrl: specUrl('2025-11-25', 'basic#responses'),
};

export const UNKNOWN_METHOD = 'mcp-preflight/no-such-method';

export const unknownMethod: Check = {
  meta,
  stage: 'session',
  async run({ session }) {
    if (!session) return [];
    try {
      const result = await session.client.request({ method: UNKNOWN_METHOD, params: {} }, results.AnyResult, { timeout: session.requestTimeoutMs });
      return [
        finding(
          meta,
          `The server answered the unknown method "${UNKNOWN_METHOD}" with the result ${JSON.stringify(result).slice(0, 200)} instead of error -32601, so clients cannot tell which optional methods it really supports.`,
          { severity: 'warning' },
        ),
      ];
    } catch (error) {
      const code = error instanceof ProtocolError ? error.code : undefined;
      if (code === ProtocolErrorCode.MethodNotFound) return [];
      const missing = noAnswer(error, session.requestTimeoutMs);
      if (missing) {
        return [
          finding(
            meta,
            `A request for the unknown method "${UNKNOWN_METHOD}" got ${missing} (${quoteError(error)}). A client probing an optional method hangs until its own time-out.`,
          ),
        ];
      }
      const message = `The unknown method "${UNKNOWN_METHOD}" was answered with ${code ?? 'an error'} instead of -32601: ${quoteError(error)}.`;
      const sdk = unknownMethodDefault(code, (error as Error).message);
      return [sdk ? sdkDefaultFinding(meta, message, sdk) : finding(meta, message, { severity: 'warning' })];
    }
  },
};
