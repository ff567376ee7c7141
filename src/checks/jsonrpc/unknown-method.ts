import { ErrorCode, McpError, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'jsonrpc.unknown-method',
  title: 'Unknown methods get error -32601',
  severity: 'error',
  since: '2024-11-05',
  description: 'Sends a request for a method no server implements and expects a JSON-RPC error -32601 (method not found) in time.',
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
      await session.client.request({ method: UNKNOWN_METHOD, params: {} }, ResultSchema, { timeout: session.requestTimeoutMs });
      return [finding(meta, `The server answered "${UNKNOWN_METHOD}" with a result instead of error -32601.`, { severity: 'warning' })];
    } catch (error) {
      const code = error instanceof McpError ? error.code : undefined;
      if (code === ErrorCode.MethodNotFound) return [];
      if (code === ErrorCode.RequestTimeout || code === ErrorCode.ConnectionClosed) {
        return [finding(meta, `A request for the unknown method "${UNKNOWN_METHOD}" got no answer: ${(error as Error).message}`)];
      }
      return [finding(meta, `The unknown method "${UNKNOWN_METHOD}" was answered with ${code ?? 'an error'} instead of -32601: ${(error as Error).message}`, { severity: 'warning' })];
    }
  },
};
