import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { InitializeResult } from '@modelcontextprotocol/client';
import { resourceTemplatesList } from '../../src/checks/resources/templates.js';
import { invalidParams, UNKNOWN_TOOL } from '../../src/checks/jsonrpc/invalid-params.js';
import { unknownMethod } from '../../src/checks/jsonrpc/unknown-method.js';
import type { Check, CheckContext, Finding } from '../../src/checks/types.js';
import type { Exchange } from '../../src/session/exchange.js';
import { Session } from '../../src/session/session.js';
import { settingsFor } from '../helpers/servers.js';
import { LIMIT_DEFAULTS } from '../../src/config-defaults.js';

/**
 * Severity calibration: an SDK's own default answer is at most a notice naming the SDK; the same deviation
 * written by hand is a warning or an error. Each server runs in-process on the real SDK.
 */

/** Generous: the tests are about the answers, and a busy machine must not turn one into a time-out. */
const TIMEOUT_MS = 10_000;

interface Connected {
  context: CheckContext;
  close: () => Promise<void>;
}

async function connect(server: Server | McpServer): Promise<Connected> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'sdk-defaults-test', version: '1.0.0' });
  await client.connect(clientSide);
  const initialize = {
    protocolVersion: '2025-11-25',
    capabilities: client.getServerCapabilities() ?? {},
    serverInfo: client.getServerVersion() ?? { name: '', version: '' },
  } as InitializeResult;
  const session = new Session(client, clientSide, 'stdio', { era: 'legacy', initialize }, {} as Exchange, TIMEOUT_MS, { ...LIMIT_DEFAULTS, maxPages: 10 });
  return { context: { settings: settingsFor({ command: 'true' }), session, observations: {} }, close: () => client.close() };
}

async function runOn(server: Server | McpServer, check: Check): Promise<Finding[]> {
  const { context, close } = await connect(server);
  try {
    return await check.run(context);
  } finally {
    await close();
  }
}

/** A TypeScript server as the SDK's McpServer builds it: its answers are the SDK's own. */
function mcpServer(): McpServer {
  const server = new McpServer({ name: 'sdk-default', version: '1.0.0' });
  server.registerTool('forecast', { description: 'Forecast.' }, async () => ({ content: [{ type: 'text', text: 'sunny' }] }));
  server.registerResource('stations', 'weather://stations', {}, async (uri) => ({ contents: [{ uri: uri.href, text: 'Oslo' }] }));
  return server;
}

/** An error the server sends as it is: code and message, without McpError's "MCP error …" prefix. */
function wireError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** A low-level server whose tools/call and unknown-method answers are the ones given. */
function lowLevel(options: { unknownTool?: string; unknownMethod?: Error; templates?: 'none' | 'throws' }): Server {
  const server = new Server({ name: 'hand-rolled', version: '1.0.0' }, { capabilities: { tools: {}, resources: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
  server.setRequestHandler(CallToolRequestSchema, () => ({ content: [{ type: 'text', text: options.unknownTool ?? '' }], isError: true }));
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [] }));
  if (options.templates === 'throws') {
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => {
      throw new Error('database connection refused');
    });
  }
  const error = options.unknownMethod;
  if (error) server.fallbackRequestHandler = () => Promise.reject(error);
  return server;
}

describe('jsonrpc.invalid-params', () => {
  it('is a notice naming the TypeScript SDK and the upgrade when McpServer answers an unknown tool with its own isError result', async () => {
    const findings = await runOn(mcpServer(), invalidParams);
    expect(findings).toEqual([expect.objectContaining({ id: 'jsonrpc.invalid-params', severity: 'notice' })]);
    expect(findings[0].message).toContain(`"MCP error -32602: Tool ${UNKNOWN_TOOL} not found"`);
    expect(findings[0].message).toContain("the default answer of the TypeScript SDK's McpServer (@modelcontextprotocol/sdk 1.x)");
    expect(findings[0].hint).toContain('@modelcontextprotocol/server 2.x');
  });

  it.each([
    [`Unknown tool: ${UNKNOWN_TOOL}`, 'the Python SDK (mcp: FastMCP in 1.x, MCPServer in 2.x)'],
    [`Unknown tool: '${UNKNOWN_TOOL}'`, 'fastmcp'],
  ])("is a notice naming the SDK for the Python SDKs' answer %j", async (text, sdk) => {
    const findings = await runOn(lowLevel({ unknownTool: text }), invalidParams);
    expect(findings).toEqual([expect.objectContaining({ severity: 'notice' })]);
    expect(findings[0].message).toContain(`the default answer of ${sdk}.`);
  });

  it.each([
    ['a message of its own', 'That tool does not exist.'],
    ['the SDK text for another tool', 'MCP error -32602: Tool get_weather not found'],
  ])('still warns about a hand-rolled isError answer (%s)', async (_, text) => {
    const findings = await runOn(lowLevel({ unknownTool: text }), invalidParams);
    expect(findings).toEqual([expect.objectContaining({ id: 'jsonrpc.invalid-params', severity: 'warning', hint: invalidParams.meta.fix })]);
  });
});

describe('jsonrpc.unknown-method', () => {
  it('passes on the TypeScript SDK, which answers -32601', async () => {
    expect(await runOn(mcpServer(), unknownMethod)).toEqual([]);
  });

  it('is a notice naming the Python SDK 1.x and mcp 2.x for its -32602 "Invalid request parameters"', async () => {
    const findings = await runOn(lowLevel({ unknownMethod: wireError(ErrorCode.InvalidParams, 'Invalid request parameters') }), unknownMethod);
    expect(findings).toEqual([expect.objectContaining({ id: 'jsonrpc.unknown-method', severity: 'notice' })]);
    expect(findings[0].message).toContain('the default answer of the Python SDK (mcp 1.x, which fastmcp is built on).');
    expect(findings[0].hint).toContain('mcp 2.x answers -32601');
  });

  it('still warns about another error code', async () => {
    const findings = await runOn(lowLevel({ unknownMethod: wireError(ErrorCode.InternalError, 'no route') }), unknownMethod);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(findings[0].message).toContain('was answered with -32603 instead of -32601: MCP error -32603: no route');
  });
});

describe('resources.templates', () => {
  it('passes on McpServer, which answers an empty list', async () => {
    expect(await runOn(mcpServer(), resourceTemplatesList)).toEqual([]);
  });

  it('warns, not errs, when a server that declares resources answers -32601 (clients read it as "no templates")', async () => {
    const findings = await runOn(lowLevel({ templates: 'none' }), resourceTemplatesList);
    expect(findings).toEqual([expect.objectContaining({ id: 'resources.templates', severity: 'warning' })]);
    expect(findings[0].message).toContain(
      'resources/templates/list failed: MCP error -32601: Method not found. Clients that call it read this as "no templates"',
    );
  });

  it('is still an error when the handler fails', async () => {
    const findings = await runOn(lowLevel({ templates: 'throws' }), resourceTemplatesList);
    expect(findings).toEqual([expect.objectContaining({ severity: 'error' })]);
    expect(findings[0].message).toContain('database connection refused');
  });
});
