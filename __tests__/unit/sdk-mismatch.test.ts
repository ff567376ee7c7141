import { findSdkMismatch } from '../../src/checks/launch/sdk-mismatch.js';

const SITE = '/app/.venv/lib/python3.12/site-packages';

function traceback(lastFrame: string, exception: string): string[] {
  return ['Traceback (most recent call last):', '  File "/app/server.py", line 3, in <module>', '    main()', lastFrame, '    ...', exception];
}

describe('launch.sdk-mismatch recognises a server dying on its MCP SDK', () => {
  it.each([
    ["ImportError: cannot import name 'FastMCP' from 'mcp.server' (/app/.venv/lib/python3.12/site-packages/mcp/server/__init__.py)", 'python', 'mcp'],
    ["ModuleNotFoundError: No module named 'mcp.server.fastmcp'", 'python', 'mcp'],
    ["AttributeError: module 'mcp.types' has no attribute 'ToolAnnotations'", 'python', 'mcp'],
    ["TypeError: FastMCP.__init__() got an unexpected keyword argument 'stateless_http'", 'python', 'mcp'],
    [
      'Error [ERR_PACKAGE_PATH_NOT_EXPORTED]: Package subpath \'./server/mcp.js\' is not defined by "exports" in /app/node_modules/@modelcontextprotocol/sdk/package.json imported from /app/dist/index.js',
      'typescript',
      '@modelcontextprotocol/sdk',
    ],
    [
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/app/node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js' imported from /app/dist/index.js",
      'typescript',
      '@modelcontextprotocol/sdk',
    ],
    ["Error: Cannot find module '@modelcontextprotocol/sdk/server/mcp.js'", 'typescript', '@modelcontextprotocol/sdk'],
    [
      "SyntaxError: The requested module '@modelcontextprotocol/sdk/server/index.js' does not provide an export named 'McpServer'",
      'typescript',
      '@modelcontextprotocol/sdk',
    ],
    [
      "SyntaxError: The requested module '@modelcontextprotocol/server' does not provide an export named 'StdioServerTransport'",
      'typescript',
      '@modelcontextprotocol/server',
    ],
  ])('%s', (line, language, sdkPackage) => {
    expect(findSdkMismatch(['Starting…', line])).toMatchObject({ language, sdkPackage, line });
  });

  it('recognises an API-shape error raised from inside the installed mcp package', () => {
    const lines = traceback(
      `  File "${SITE}/mcp/server/lowlevel/server.py", line 140, in __init__`,
      "TypeError: Server.__init__() missing 1 required positional argument: 'lifespan'",
    );
    expect(findSdkMismatch(lines)).toMatchObject({ language: 'python', sdkPackage: 'mcp', crash: { runtime: 'python' } });
  });

  const OWN_FRAME = '  File "/app/src/weather/server.py", line 2, in <module>';
  it.each([
    // Not installed at all: a missing install step, not a version.
    ["ModuleNotFoundError: No module named 'mcp'", OWN_FRAME],
    ["Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@modelcontextprotocol/sdk' imported from /app/dist/index.js", OWN_FRAME],
    // A package of the server's own whose name starts with the same letters.
    ["ImportError: cannot import name 'tools' from 'mcp_weather' (/app/src/mcp_weather/__init__.py)", OWN_FRAME],
    // An exception of the server's own, even raised through the SDK's frames.
    ['ValueError: catalogue.db is corrupt', `  File "${SITE}/mcp/server/fastmcp/server.py", line 9, in run`],
  ])('is quiet on %s', (line, lastFrame) => {
    expect(findSdkMismatch(traceback(lastFrame, line))).toBeUndefined();
  });
});
