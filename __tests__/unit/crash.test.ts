import { findCrash } from '../../src/checks/support/crash.js';
import { exited } from '../../src/checks/launch/exited.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { ManagedProcess } from '../../src/target/process.js';
import { settingsFor } from '../helpers/servers.js';

/** A long traceback: its cause is on the last line, far below the frames a stderr tail starts with. */
const PYTHON_TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/app/.venv/bin/weather-mcp", line 10, in <module>',
  '    sys.exit(main())',
  ...Array.from({ length: 8 }, (_, i) => [`  File "/app/src/weather/layer${i}.py", line ${i + 3}, in load`, `    return load_next()`]).flat(),
  '  File "/app/src/weather/server.py", line 4, in <module>',
  '    from mcp.server.fastmcp import FastMCP, Context',
  "ImportError: cannot import name 'Context' from 'mcp.server.fastmcp' (/app/.venv/lib/python3.12/site-packages/mcp/server/fastmcp/__init__.py)",
];

function exitedWith(stderr: string[]): CheckContext {
  const server = { stderrTail: (count: number) => stderr.slice(-count), options: { cwd: '/app' } } as unknown as ManagedProcess;
  return {
    settings: settingsFor({ command: 'weather-mcp' }),
    server,
    serverExit: { info: { code: 1, signal: null, atMs: 0 }, phase: 'before ready' },
    observations: {},
  };
}

describe('findCrash', () => {
  it("takes a Python traceback's last line as the exception, and its frames in order", () => {
    const crash = findCrash(['Starting weather server', ...PYTHON_TRACEBACK]);
    expect(crash?.runtime).toBe('python');
    expect(crash?.exception).toEqual([PYTHON_TRACEBACK.at(-1)]);
    expect(crash?.frames.at(-1)).toBe('File "/app/src/weather/server.py", line 4, in <module>');
  });

  it('takes the last of chained exceptions, and the message lines that continue it', () => {
    const crash = findCrash([
      'Traceback (most recent call last):',
      '  File "/app/a.py", line 1, in <module>',
      "KeyError: 'region'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/app/a.py", line 3, in <module>',
      'pydantic_core._pydantic_core.ValidationError: 1 validation error for Forecast',
      'days',
      '  Input should be a valid integer [type=int_type, input_value="x", input_type=str]',
    ]);
    expect(crash?.exception).toEqual([
      'pydantic_core._pydantic_core.ValidationError: 1 validation error for Forecast',
      'days',
      '  Input should be a valid integer [type=int_type, input_value="x", input_type=str]',
    ]);
  });

  it("takes Node's uncaught error line, above its stack", () => {
    const crash = findCrash([
      'file:///app/dist/index.js:2',
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      '         ^^^^^^^^^',
      "SyntaxError: The requested module '@modelcontextprotocol/sdk/server/mcp.js' does not provide an export named 'McpServer'",
      '    at ModuleJob._instantiate (node:internal/modules/esm/module_job:180:21)',
      '    at async ModuleJob.run (node:internal/modules/esm/module_job:263:5)',
      '',
      'Node.js v22.11.0',
    ]);
    expect(crash).toMatchObject({
      runtime: 'node',
      exception: ["SyntaxError: The requested module '@modelcontextprotocol/sdk/server/mcp.js' does not provide an export named 'McpServer'"],
    });
    expect(crash?.frames).toHaveLength(2);
  });

  it('finds no crash in a log without an exception', () => {
    expect(findCrash(['Weather MCP server running on stdio', 'Error: shutting down'])).toBeUndefined();
  });
});

describe('launch.exited quotes the exception before the stderr tail', () => {
  it('puts the last line of a traceback longer than the tail on its first line', async () => {
    const [found] = await exited.run(exitedWith(PYTHON_TRACEBACK));
    const [first, next] = found.message.split('\n');
    expect(first).toMatch(
      /^The server exited with code 1, .* before ready\. It raised ImportError: cannot import name 'Context' from 'mcp\.server\.fastmcp' \(.*\)$/,
    );
    expect(next).toBe('Last 20 lines of stderr:');
  });

  it('quotes the lines an exception message continues on after it', async () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "/app/a.py", line 3, in <module>',
      'ValueError: the forecast is invalid:',
      '  days: not an integer',
    ];
    const [found] = await exited.run(exitedWith(stderr));
    expect(found.message).toMatch(/before ready\. It raised ValueError: the forecast is invalid:\n {4}days: not an integer\nLast 4 lines of stderr:/);
  });

  it('quotes the stderr tail alone when there is no exception', async () => {
    const [found] = await exited.run(exitedWith(['port 8080 in use, giving up']));
    expect(found.message).not.toContain('It raised');
    expect(found.message).toContain('Last 1 lines of stderr:\n  port 8080 in use, giving up');
  });
});
