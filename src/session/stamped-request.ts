import { isJSONRPCErrorResponse, isJSONRPCResultResponse, type JSONRPCMessage, type JSONRPCResponse } from '@modelcontextprotocol/client';
import type { Settings } from '../settings.js';
import { httpLimitsOf } from '../settings.js';
import { request, describeFailure } from '../util/http/request.js';
import { FIRST_MODERN_REVISION } from './session.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

/**
 * Requests of the modern era sent by hand, past the SDK client (which refuses a version it did not
 * negotiate and the methods its era removed): the request carries its protocol version, client info and
 * capabilities in `_meta` and, over HTTP, the standard headers. What came back is recorded as it came.
 */

/** A modern-looking revision no server supports: dates sort, so it reads as a future revision. */
export const UNKNOWN_MODERN_REVISION = '2099-01-01';

const VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
/** The methods whose name the standard `Mcp-Name` header repeats, and the parameter it comes from. */
const NAMED: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

export interface StampedAnswer {
  method: string;
  /** The version the request was stamped with. */
  version: string;
  /** Over HTTP: the status of the answer. */
  status?: number;
  /** The JSON-RPC answer to the request, if one came. */
  answer?: JSONRPCResponse;
  /** Why no answer came, or why it could not be read: "no answer within 10 s", "exited (code 1)". */
  failure?: string;
  /** Over HTTP, the start of a body that was not a JSON-RPC answer. */
  body?: string;
  durationMs: number;
}

/** The request's `_meta`: the modern era's envelope, as a client of `version` sends it. */
function stampedParams(params: Record<string, unknown>, version: string): Record<string, unknown> {
  return {
    ...params,
    _meta: {
      [VERSION_KEY]: version,
      'io.modelcontextprotocol/clientInfo': { name: TOOL_NAME, version: TOOL_VERSION },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  };
}

/** The error of an answer, when it is one: code, message and data as the server sent them. */
export function errorOf(answer: JSONRPCResponse | undefined): { code: number; message: string; data?: unknown } | undefined {
  return answer && isJSONRPCErrorResponse(answer) ? answer.error : undefined;
}

export function resultOf(answer: JSONRPCResponse | undefined): Record<string, unknown> | undefined {
  return answer && isJSONRPCResultResponse(answer) ? answer.result : undefined;
}

/** One modern request POSTed to the endpoint with the standard headers; never throws. */
export async function postStamped(
  url: URL,
  settings: Settings,
  method: string,
  params: Record<string, unknown> = {},
  version = FIRST_MODERN_REVISION,
): Promise<StampedAnswer> {
  const id = `mcp-preflight-stamped-${method}`;
  const name = NAMED[method] ? params[NAMED[method]] : undefined;
  const headers: Record<string, string> = {
    ...settings.headers,
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'mcp-protocol-version': version,
    'mcp-method': method,
    ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
  };
  const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: stampedParams(params, version) });
  const reply = await request({ url, method: 'POST', headers, body, maxChars: 64 * 1024 }, httpLimitsOf(settings));
  const base = { method, version, status: reply.status, durationMs: reply.durationMs };
  if (reply.status === undefined || reply.timedOut) return { ...base, failure: describeFailure(reply) };
  const texts = reply.events?.length ? reply.events.map((event) => event.data) : [reply.body ?? ''];
  for (const text of texts) {
    const answer = parseAnswer(text, id);
    if (answer) return { ...base, answer };
  }
  return { ...base, body: reply.body?.slice(0, 300) };
}

/** A JSON-RPC answer to `id` (or to no id: an error the server could not tie to the request). */
function parseAnswer(text: string, id: string): JSONRPCResponse | undefined {
  try {
    const message = JSON.parse(text) as JSONRPCMessage;
    if (!('id' in message) || 'method' in message) return undefined;
    return message.id === id || message.id === null || message.id === undefined ? message : undefined;
  } catch {
    return undefined;
  }
}
