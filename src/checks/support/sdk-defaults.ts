import { finding, type CheckMeta, type Finding } from '../types.js';
import { escapeRegExp } from '../../util/regexp.js';

/**
 * An answer an MCP SDK gives on its own, whatever the server's author writes. A finding about it is at
 * most a notice: nothing in the server's code can change it, and it must not make `fail-on: warning`
 * unusable for every server built on that SDK. Each pattern was measured on the SDK's own code.
 */
export interface SdkDefault {
  /** The SDK and the part of it that answers, as a user would recognise it in their dependencies. */
  sdk: string;
  /** What to upgrade to, or that no release answers otherwise yet. */
  upgrade: string;
}

interface KnownAnswer extends SdkDefault {
  matches(text: string): boolean;
}

/** Answers to tools/call for a tool the server does not list, returned as an `isError` result. */
function unknownToolResults(tool: string): KnownAnswer[] {
  const name = escapeRegExp(tool);
  return [
    {
      // McpServer's tools/call handler wraps its own -32602 in a tool error (1.32: "MCP error -32602: Tool x not found").
      matches: (text) => new RegExp(`^MCP error -32602: Tool ${name} not found$`).test(text),
      sdk: "the TypeScript SDK's McpServer (@modelcontextprotocol/sdk 1.x)",
      upgrade: 'The v2 TypeScript SDK (@modelcontextprotocol/server 2.x) answers -32602; moving to it changes this answer, nothing in your code does.',
    },
    {
      // fastmcp raises NotFoundError(f"Unknown tool: {key!r}"); the mcp 1.x low-level server turns it into a tool error.
      matches: (text) => new RegExp(`^Unknown tool: '${name}'$`).test(text),
      sdk: 'fastmcp',
      upgrade: 'No fastmcp release answers -32602 yet; nothing in your code changes this answer.',
    },
    {
      // The Python SDK's ToolManager raises ToolError(f"Unknown tool: {name}"), returned as a tool error by
      // FastMCP (mcp 1.x) and MCPServer (mcp 2.x) alike.
      matches: (text) => new RegExp(`^Unknown tool: ${name}$`).test(text),
      sdk: 'the Python SDK (mcp: FastMCP in 1.x, MCPServer in 2.x)',
      upgrade: 'No release of the Python SDK answers -32602 yet (2.0 included); nothing in your code changes this answer.',
    },
  ];
}

/** Errors an SDK answers a request for a method nobody implements with, instead of -32601. */
const UNKNOWN_METHOD_ERRORS: (KnownAnswer & { code: number })[] = [
  {
    // mcp 1.x validates every request against the known methods first, and answers a failure with -32602.
    code: -32602,
    matches: (message) => /^(MCP error -32602: )?Invalid request parameters$/.test(message),
    sdk: 'the Python SDK (mcp 1.x, which fastmcp is built on)',
    upgrade: 'mcp 2.x answers -32601: upgrading the Python SDK (or fastmcp, once it moves to mcp 2.x) changes this answer; nothing in your code does.',
  },
];

/** The SDK whose default answer to an unknown tool this `isError` text is, if any. */
export function unknownToolDefault(tool: string, text: string): SdkDefault | undefined {
  return unknownToolResults(tool).find((answer) => answer.matches(text.trim()));
}

/** The SDK whose default answer to an unknown method this JSON-RPC error is, if any. */
export function unknownMethodDefault(code: number | undefined, message: string): SdkDefault | undefined {
  return UNKNOWN_METHOD_ERRORS.find((answer) => answer.code === code && answer.matches(message));
}

/** A notice that says who answers this way and what would change it, instead of the check's usual fix. */
export function sdkDefaultFinding(meta: CheckMeta, message: string, answer: SdkDefault): Finding {
  return finding(meta, `${message} This is the default answer of ${answer.sdk}.`, { severity: 'notice', hint: answer.upgrade });
}
