// The corpus: published MCP servers, each over every transport it offers, working and misconfigured the
// way people misconfigure them, with the verdict the gate owes each. The versions are pinned in
// corpus/package.json; corpus/README.md says how to add a target.
import type { RawInputs } from '../../src/inputs.js';

/**
 * A working server: no errors, and no warnings but those listed, each with what its author can change.
 * Notices are not asserted: they are for review, never for a verdict.
 */
export interface PassExpectation {
  verdict: 'pass';
  warnings?: Record<string, string>;
}

/**
 * A broken setup: one error, the root cause. Its message contains each of `mentions`, quoted output
 * included, and its first line (the gate's own words, before any quote) each of `names`.
 */
export interface FailExpectation {
  verdict: 'fail';
  rootCause: string;
  mentions: string[];
  names?: string[];
  why: string;
}

/**
 * Command lines and URLs may use placeholders the runner fills in:
 * - `{bin:NAME}`: `node` running the corpus package executable NAME, with a preload that keeps any
 *   listening socket on 127.0.0.1;
 * - `{port}`: a free port for the server; `{upstream}`: a free port for `upstream`;
 * - `{scratch}`: a directory of the run's own, removed afterwards (also the gate's working directory).
 * An upstream runs from the repository root.
 */
export interface CorpusTarget {
  /** `<package>/<transport>[/<misconfiguration>]`, unique. */
  name: string;
  /** The npm package under test, as named in corpus/package.json. */
  package: string;
  transport: 'stdio' | 'streamable-http' | 'sse';
  /** The gate's inputs: command, or start and url, and any other input. */
  inputs: RawInputs;
  /** A server started before the gate and ended after it, e.g. the one a proxy forwards to. */
  upstream?: string;
  expect: PassExpectation | FailExpectation;
}

const SDK_UNKNOWN_TOOL_AS_METHOD =
  'Its own tools/call handler answers an unknown tool with a JSON-RPC error other than -32602; throwing McpError(ErrorCode.InvalidParams, …) for names it does not list fixes it.';
const PLAYWRIGHT_UNKNOWN_TOOL =
  "Answers an unknown tool with an isError result from its own dispatcher, which starts the browser before it looks the tool up: the server's code, not an SDK default, so its authors can act on it.";
const FOREIGN_ORIGIN =
  'Its HTTP server answers initialize from any Origin; validating Origin (the SDK transports take allowedOrigins, or a check in its own middleware) protects local users from DNS rebinding.';
const ENDED_SESSION_400 =
  'Its own session routing answers an unknown or ended Mcp-Session-Id with 400 instead of 404, so clients never learn to start a new session; answering 404 there fixes it.';

const reference: CorpusTarget[] = [
  {
    name: 'server-everything/stdio',
    package: '@modelcontextprotocol/server-everything',
    transport: 'stdio',
    inputs: { command: '{bin:mcp-server-everything} stdio' },
    expect: { verdict: 'pass' },
  },
  {
    name: 'server-everything/streamable-http',
    package: '@modelcontextprotocol/server-everything',
    transport: 'streamable-http',
    inputs: { start: 'PORT={port} {bin:mcp-server-everything} streamableHttp', url: 'http://127.0.0.1:{port}/mcp' },
    expect: { verdict: 'pass', warnings: { 'http.origin': FOREIGN_ORIGIN, 'http.session': ENDED_SESSION_400 } },
  },
  {
    name: 'server-everything/sse',
    package: '@modelcontextprotocol/server-everything',
    transport: 'sse',
    inputs: { start: 'PORT={port} {bin:mcp-server-everything} sse', url: 'http://127.0.0.1:{port}/sse' },
    expect: { verdict: 'pass' },
  },
  {
    name: 'server-everything/streamable-http/wrong-endpoint',
    package: '@modelcontextprotocol/server-everything',
    transport: 'streamable-http',
    inputs: { start: 'PORT={port} {bin:mcp-server-everything} streamableHttp', url: 'http://127.0.0.1:{port}/api' },
    expect: {
      verdict: 'fail',
      rootCause: 'transport.wrong-endpoint',
      mentions: ['/mcp'],
      why: 'The URL is a route the server does not serve; the MCP endpoint is /mcp on the same origin, and the finding must point there.',
    },
  },
  {
    name: 'server-everything/stdio/started-as-http',
    package: '@modelcontextprotocol/server-everything',
    transport: 'stdio',
    // Nothing ever answers on stdin, so the gate waits out the request time-out: keep it short.
    inputs: { command: 'PORT={port} {bin:mcp-server-everything} streamableHttp', 'request-timeout': '8' },
    expect: {
      verdict: 'fail',
      rootCause: 'transport.mismatch',
      mentions: ['HTTP server'],
      why: 'A stdio command that starts the HTTP transport: it listens on a port and never answers on stdin.',
    },
  },
  {
    name: 'server-everything/sse/forced-streamable-http',
    package: '@modelcontextprotocol/server-everything',
    transport: 'sse',
    inputs: { start: 'PORT={port} {bin:mcp-server-everything} sse', url: 'http://127.0.0.1:{port}/sse', transport: 'streamable-http' },
    expect: {
      verdict: 'fail',
      rootCause: 'transport.mismatch',
      mentions: ['HTTP+SSE'],
      why: 'transport is forced to streamable-http while the server speaks only the legacy HTTP+SSE transport.',
    },
  },
  {
    name: 'server-filesystem/stdio',
    package: '@modelcontextprotocol/server-filesystem',
    transport: 'stdio',
    inputs: { command: '{bin:mcp-server-filesystem} {scratch}' },
    expect: { verdict: 'pass' },
  },
  {
    name: 'server-filesystem/stdio/no-directory',
    package: '@modelcontextprotocol/server-filesystem',
    transport: 'stdio',
    inputs: { command: '{bin:mcp-server-filesystem}' },
    // Since 2025 the server takes its directories from the client's roots when given none: not a misconfiguration.
    expect: { verdict: 'pass' },
  },
  {
    name: 'server-filesystem/stdio/missing-directory',
    package: '@modelcontextprotocol/server-filesystem',
    transport: 'stdio',
    inputs: { command: '{bin:mcp-server-filesystem} {scratch}/no-such-directory' },
    expect: {
      verdict: 'fail',
      rootCause: 'launch.exited',
      mentions: ['no-such-directory'],
      why: 'The only allowed directory does not exist: the server exits at start-up and its stderr names the directory.',
    },
  },
  {
    name: 'server-memory/stdio',
    package: '@modelcontextprotocol/server-memory',
    transport: 'stdio',
    inputs: { command: 'MEMORY_FILE_PATH={scratch}/memory.jsonl {bin:mcp-server-memory}' },
    expect: { verdict: 'pass' },
  },
  {
    name: 'server-sequential-thinking/stdio',
    package: '@modelcontextprotocol/server-sequential-thinking',
    transport: 'stdio',
    inputs: { command: '{bin:mcp-server-sequential-thinking}' },
    expect: { verdict: 'pass' },
  },
];

/** Servers that call a third-party API: their tools are never called, so a placeholder key starts them. */
const apiServers: CorpusTarget[] = [
  {
    name: 'server-brave-search/stdio',
    package: '@modelcontextprotocol/server-brave-search',
    transport: 'stdio',
    inputs: { command: 'BRAVE_API_KEY=corpus-placeholder {bin:mcp-server-brave-search}' },
    expect: { verdict: 'pass' },
  },
  {
    name: 'server-brave-search/stdio/missing-key',
    package: '@modelcontextprotocol/server-brave-search',
    transport: 'stdio',
    inputs: { command: 'env -u BRAVE_API_KEY {bin:mcp-server-brave-search}' },
    expect: {
      verdict: 'fail',
      rootCause: 'launch.missing-config',
      mentions: ['BRAVE_API_KEY'],
      names: ['BRAVE_API_KEY'],
      why: 'The server exits at start-up with "Error: BRAVE_API_KEY environment variable is required": the finding must name the variable.',
    },
  },
  {
    name: 'server-google-maps/stdio',
    package: '@modelcontextprotocol/server-google-maps',
    transport: 'stdio',
    inputs: { command: 'GOOGLE_MAPS_API_KEY=corpus-placeholder {bin:mcp-server-google-maps}' },
    expect: { verdict: 'pass' },
  },
  {
    name: 'server-google-maps/stdio/missing-key',
    package: '@modelcontextprotocol/server-google-maps',
    transport: 'stdio',
    inputs: { command: 'env -u GOOGLE_MAPS_API_KEY {bin:mcp-server-google-maps}' },
    expect: {
      verdict: 'fail',
      rootCause: 'launch.missing-config',
      mentions: ['GOOGLE_MAPS_API_KEY'],
      names: ['GOOGLE_MAPS_API_KEY'],
      why: 'The server exits at start-up with "GOOGLE_MAPS_API_KEY environment variable is not set".',
    },
  },
  {
    name: 'server-github/stdio',
    package: '@modelcontextprotocol/server-github',
    transport: 'stdio',
    // The token is read per call, so the server starts and lists its tools without one.
    inputs: { command: 'env -u GITHUB_PERSONAL_ACCESS_TOKEN {bin:mcp-server-github}' },
    expect: { verdict: 'pass', warnings: { 'jsonrpc.invalid-params': `Answers with -32603. ${SDK_UNKNOWN_TOOL_AS_METHOD}` } },
  },
  {
    name: 'server-slack/stdio',
    package: '@modelcontextprotocol/server-slack',
    transport: 'stdio',
    inputs: { command: 'SLACK_BOT_TOKEN=xoxb-corpus-placeholder SLACK_TEAM_ID=T00000000 {bin:mcp-server-slack}' },
    expect: {
      verdict: 'fail',
      rootCause: 'jsonrpc.invalid-params',
      mentions: ['succeeded'],
      why: 'A real defect of the published server: its tools/call handler catches "Unknown tool" and returns it as an ordinary result without isError, so a model that invents a tool name is told the call worked.',
    },
  },
  {
    name: 'server-slack/stdio/missing-key',
    package: '@modelcontextprotocol/server-slack',
    transport: 'stdio',
    inputs: { command: 'env -u SLACK_BOT_TOKEN -u SLACK_TEAM_ID {bin:mcp-server-slack}' },
    expect: {
      verdict: 'fail',
      rootCause: 'launch.missing-config',
      mentions: ['SLACK_BOT_TOKEN', 'SLACK_TEAM_ID'],
      names: ['SLACK_BOT_TOKEN', 'SLACK_TEAM_ID'],
      why: 'The server exits at start-up with "Please set SLACK_BOT_TOKEN and SLACK_TEAM_ID environment variables": both must be named.',
    },
  },
  {
    name: 'server-postgres/stdio',
    package: '@modelcontextprotocol/server-postgres',
    transport: 'stdio',
    upstream: 'bash corpus/postgres.sh {scratch} {upstream}',
    inputs: { command: '{bin:mcp-server-postgres} postgresql://corpus@127.0.0.1:{upstream}/postgres' },
    expect: {
      verdict: 'pass',
      warnings: {
        'jsonrpc.invalid-params': `Answers with -32603. ${SDK_UNKNOWN_TOOL_AS_METHOD}`,
        'resources.templates':
          'Declares resources but registers no resources/templates/list handler, so the SDK answers -32601; clients read that as "no templates" (a warning, not an error), and one handler returning an empty list fixes it.',
      },
    },
  },
  {
    name: 'server-postgres/stdio/missing-url',
    package: '@modelcontextprotocol/server-postgres',
    transport: 'stdio',
    inputs: { command: '{bin:mcp-server-postgres}' },
    expect: {
      verdict: 'fail',
      rootCause: 'launch.missing-config',
      mentions: ['Please provide a database URL as a command-line argument'],
      why: 'The database URL is a required argument: the server exits, and the finding says an argument is missing and quotes its line.',
    },
  },
  {
    name: 'server-postgres/stdio/database-down',
    package: '@modelcontextprotocol/server-postgres',
    transport: 'stdio',
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    inputs: { command: '{bin:mcp-server-postgres} postgresql://corpus@127.0.0.1:1/corpus' },
    expect: {
      verdict: 'fail',
      rootCause: 'resources.list',
      mentions: ['ECONNREFUSED'],
      why: 'The server connects lazily, so the handshake succeeds; resources/list (the tables) is the first request that needs the database and fails with the refused connection. resources/templates/list is a method this server never implemented (-32601), which is no error of its own.',
    },
  },
  {
    name: 'tavily-mcp/stdio',
    package: 'tavily-mcp',
    transport: 'stdio',
    // Without TAVILY_API_KEY the server runs in its keyless mode: a missing key is not a failure here.
    inputs: { command: 'env -u TAVILY_API_KEY {bin:tavily-mcp}' },
    expect: { verdict: 'pass', warnings: { 'jsonrpc.invalid-params': `Answers with -32601. ${SDK_UNKNOWN_TOOL_AS_METHOD}` } },
  },
  {
    name: 'firecrawl-mcp/stdio',
    package: 'firecrawl-mcp',
    transport: 'stdio',
    inputs: { command: 'FIRECRAWL_API_KEY=fc-corpus-placeholder {bin:firecrawl-mcp}' },
    expect: { verdict: 'pass', warnings: { 'jsonrpc.invalid-params': `Answers with -32601 (its FastMCP framework). ${SDK_UNKNOWN_TOOL_AS_METHOD}` } },
  },
  {
    name: 'firecrawl-mcp/streamable-http',
    package: 'firecrawl-mcp',
    transport: 'streamable-http',
    inputs: {
      start: 'HTTP_STREAMABLE_SERVER=true FIRECRAWL_API_KEY=fc-corpus-placeholder PORT={port} {bin:firecrawl-mcp}',
      url: 'http://127.0.0.1:{port}/mcp',
    },
    expect: {
      verdict: 'pass',
      warnings: { 'jsonrpc.invalid-params': `Answers with -32601 (its FastMCP framework). ${SDK_UNKNOWN_TOOL_AS_METHOD}`, 'http.origin': FOREIGN_ORIGIN },
    },
  },
  {
    name: 'notion-mcp-server/stdio',
    package: '@notionhq/notion-mcp-server',
    transport: 'stdio',
    inputs: { command: 'NOTION_TOKEN=ntn_corpus_placeholder {bin:notion-mcp-server}' },
    expect: { verdict: 'pass', warnings: { 'jsonrpc.invalid-params': `Answers with -32603. ${SDK_UNKNOWN_TOOL_AS_METHOD}` } },
  },
  {
    name: 'notion-mcp-server/streamable-http',
    package: '@notionhq/notion-mcp-server',
    transport: 'streamable-http',
    inputs: {
      start: 'NOTION_TOKEN=ntn_corpus_placeholder {bin:notion-mcp-server} --transport http --port {port} --auth-token corpus-token',
      url: 'http://127.0.0.1:{port}/mcp',
      'bearer-token': 'corpus-token',
    },
    expect: {
      verdict: 'pass',
      warnings: {
        'jsonrpc.invalid-params': `Answers with -32603. ${SDK_UNKNOWN_TOOL_AS_METHOD}`,
        'auth.invalid-token-rejected':
          'Its bearer-token middleware answers a wrong token with 403 instead of 401 + WWW-Authenticate, so clients never ask for a new one.',
        'http.session': ENDED_SESSION_400,
        'http.origin': FOREIGN_ORIGIN,
      },
    },
  },
  {
    name: 'notion-mcp-server/streamable-http/missing-token',
    package: '@notionhq/notion-mcp-server',
    transport: 'streamable-http',
    inputs: {
      start: 'NOTION_TOKEN=ntn_corpus_placeholder {bin:notion-mcp-server} --transport http --port {port} --auth-token corpus-token',
      url: 'http://127.0.0.1:{port}/mcp',
    },
    expect: {
      verdict: 'fail',
      rootCause: 'auth.unauthorized',
      mentions: ['401'],
      why: 'The server demands its bearer token and the gate was given none: the one finding says credentials are missing, not that the server is down.',
    },
  },
];

/** Servers on other SDKs and stacks: the v2 SDK, Playwright's own HTTP server, a proxy. */
const otherStacks: CorpusTarget[] = [
  {
    name: 'context7-mcp/stdio',
    package: '@upstash/context7-mcp',
    transport: 'stdio',
    inputs: { command: '{bin:context7-mcp}' },
    expect: { verdict: 'pass' },
  },
  {
    name: 'context7-mcp/streamable-http',
    package: '@upstash/context7-mcp',
    transport: 'streamable-http',
    inputs: { start: '{bin:context7-mcp} --transport http --port {port}', url: 'http://127.0.0.1:{port}/mcp' },
    expect: { verdict: 'pass', warnings: { 'http.origin': FOREIGN_ORIGIN } },
  },
  {
    name: 'context7-mcp/streamable-http/nothing-listening',
    package: '@upstash/context7-mcp',
    transport: 'streamable-http',
    // The URL of a server that was never started (a wrong port): nothing to wait for past a short deadline.
    inputs: { url: 'http://127.0.0.1:{port}/mcp', 'startup-timeout': '3' },
    expect: {
      verdict: 'fail',
      rootCause: 'transport.unreachable',
      mentions: ['ECONNREFUSED'],
      why: 'Nothing listens on the port: the connection is refused, and the finding must say so rather than blame MCP.',
    },
  },
  {
    name: 'playwright-mcp/stdio',
    package: '@playwright/mcp',
    transport: 'stdio',
    // tools/list needs no browser, and none is installed: the browser is only started by a tool call.
    inputs: { command: '{bin:playwright-mcp} --headless --isolated' },
    expect: { verdict: 'pass', warnings: { 'jsonrpc.invalid-params': PLAYWRIGHT_UNKNOWN_TOOL } },
  },
  {
    name: 'playwright-mcp/streamable-http',
    package: '@playwright/mcp',
    transport: 'streamable-http',
    inputs: { start: '{bin:playwright-mcp} --headless --isolated --port {port}', url: 'http://localhost:{port}/mcp' },
    expect: { verdict: 'pass', warnings: { 'jsonrpc.invalid-params': PLAYWRIGHT_UNKNOWN_TOOL, 'http.origin': FOREIGN_ORIGIN } },
  },
  {
    name: 'playwright-mcp/sse',
    package: '@playwright/mcp',
    transport: 'sse',
    inputs: { start: '{bin:playwright-mcp} --headless --isolated --port {port}', url: 'http://localhost:{port}/sse' },
    expect: { verdict: 'pass', warnings: { 'jsonrpc.invalid-params': PLAYWRIGHT_UNKNOWN_TOOL } },
  },
  {
    name: 'playwright-mcp/streamable-http/host-not-allowed',
    package: '@playwright/mcp',
    transport: 'streamable-http',
    inputs: { start: '{bin:playwright-mcp} --headless --isolated --port {port}', url: 'http://127.0.0.1:{port}/mcp' },
    expect: {
      verdict: 'fail',
      rootCause: 'transport.host-rejected',
      mentions: ['localhost'],
      why: 'The server binds localhost and refuses any other Host header (403 "Access is only allowed at localhost:<port>"): the same URL with localhost works, and the finding must say that rather than ask for credentials.',
    },
  },
  {
    name: 'mcp-remote/stdio',
    package: 'mcp-remote',
    transport: 'stdio',
    upstream: 'PORT={upstream} {bin:mcp-server-everything} streamableHttp',
    inputs: { command: 'MCP_REMOTE_CONFIG_DIR={scratch}/mcp-auth {bin:mcp-remote} http://127.0.0.1:{upstream}/mcp --transport http-only' },
    expect: { verdict: 'pass' },
  },
  {
    name: 'mcp-remote/stdio/upstream-down',
    package: 'mcp-remote',
    transport: 'stdio',
    inputs: { command: 'MCP_REMOTE_CONFIG_DIR={scratch}/mcp-auth {bin:mcp-remote} http://127.0.0.1:{upstream}/mcp --transport http-only' },
    expect: {
      verdict: 'fail',
      rootCause: 'launch.exited',
      mentions: ['ECONNREFUSED'],
      why: 'The proxy points at a loopback server that is not running: it exits, and its stderr quotes the refused connection.',
    },
  },
];

export const TARGETS: CorpusTarget[] = [...reference, ...apiServers, ...otherStacks];
