import { missingConfig } from '../../src/checks/launch/missing-config.js';
import { findMissingConfig } from '../../src/checks/support/missing-config.js';
import type { CheckContext, Phase } from '../../src/checks/types.js';
import type { ManagedProcess } from '../../src/target/process.js';
import { settingsFor } from '../helpers/servers.js';

/** A server that exited with code 1 having printed `stderr`, as the engine records it. */
function exitedWith(stderr: string[], phase: Phase = 'before ready'): CheckContext {
  const server = { stderrTail: (count: number) => stderr.slice(-count), options: { cwd: '/work/app' } } as unknown as ManagedProcess;
  return {
    settings: settingsFor({ command: 'node server.js' }),
    server,
    serverExit: { info: { code: 1, signal: null, atMs: 0 }, phase },
    observations: {},
  };
}

describe('launch.missing-config reads the variables a server says it lacks', () => {
  it.each([
    // Published servers, as they print it.
    ['BRAVE_API_KEY environment variable is required', ['BRAVE_API_KEY']],
    ['GOOGLE_MAPS_API_KEY environment variable is not set', ['GOOGLE_MAPS_API_KEY']],
    ['Please set SLACK_BOT_TOKEN and SLACK_TEAM_ID environment variables', ['SLACK_BOT_TOKEN', 'SLACK_TEAM_ID']],
    ['GITHUB_PERSONAL_ACCESS_TOKEN environment variable is not set', ['GITHUB_PERSONAL_ACCESS_TOKEN']],
    ['TAVILY_API_KEY environment variable is required', ['TAVILY_API_KEY']],
    ['Error: FIRECRAWL_API_KEY environment variable is required when using the cloud service', ['FIRECRAWL_API_KEY']],
    ['Error: Missing required environment variable WEATHER_API_KEY', ['WEATHER_API_KEY']],
    ['Firecrawl is not configured. Set FIRECRAWL_API_KEY before scraping a domain.', ['FIRECRAWL_API_KEY']],
    // Go's log.Fatal, with its timestamp.
    ['2026/11/30 15:04:05 APRS_REDIS_HOST environment variable is not set, but is required, exiting', ['APRS_REDIS_HOST']],
    // Several names, however they are joined.
    ['JIRA_URL, JIRA_USERNAME and JIRA_API_TOKEN must be set', ['JIRA_URL', 'JIRA_USERNAME', 'JIRA_API_TOKEN']],
    ['Missing environment variables: API_KEY, SECRET', ['API_KEY', 'SECRET']],
    ["❌ Invalid environment variables: { OPENAI_API_KEY: [ 'Required' ] }", ['OPENAI_API_KEY']],
    // A bare upper-case word counts beside "environment variable".
    ['PORT environment variable is required', ['PORT']],
    ['environment variable TOKEN is undefined', ['TOKEN']],
    ['Error: The environment variable "NOTION_TOKEN" must be set', ['NOTION_TOKEN']],
    // More phrasings seen in servers' sources: Python, Go, and Node.
    ['ValueError: GEMINI_API_KEY environment variable is not set.', ['GEMINI_API_KEY']],
    ['Error: PERPLEXITY_API_KEY environment variable is required', ['PERPLEXITY_API_KEY']],
    ['EXA_API_KEY environment variable is required', ['EXA_API_KEY']],
    ['ValueError: Missing required environment variables: SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER', ['SNOWFLAKE_ACCOUNT', 'SNOWFLAKE_USER']],
    // Go's panic, before its goroutine dump.
    ['panic: OPENAI_API_KEY is required', ['OPENAI_API_KEY']],
    ["Error: OPENAPI_MCP_HEADERS must be set to the API's headers as JSON", ['OPENAPI_MCP_HEADERS']],
  ])('%s', (line, variables) => {
    expect(findMissingConfig(['Starting server…', line])).toMatchObject({ variables, lines: [line] });
  });

  it('lists the names a validator prints under a heading', () => {
    const stderr = [
      '================================',
      ' Missing environment variables:',
      '    STRIPE_SECRET_KEY: undefined',
      '    WEBHOOK: undefined',
      ' Exiting with error code 1',
    ];
    expect(findMissingConfig(stderr)?.variables).toEqual(['STRIPE_SECRET_KEY', 'WEBHOOK']);
  });

  it("reads os.environ's KeyError from the exception, not the frames", () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "/app/server.py", line 8, in <module>',
      '    API_KEY = os.environ["brave_key"]',
      '              ~~~~~~~~~~^^^^^^^^^^^^^',
      '  File "<frozen os>", line 714, in __getitem__',
      "KeyError: 'brave_key'",
    ];
    expect(findMissingConfig(traceback)).toMatchObject({ variables: ['brave_key'], lines: ["KeyError: 'brave_key'"] });
    const fromSettings = [
      'Traceback (most recent call last):',
      '  File "/app/server.py", line 3, in <module>',
      '    KEY = settings["BRAVE_API_KEY"]',
      "KeyError: 'BRAVE_API_KEY'",
    ];
    expect(findMissingConfig(fromSettings)?.variables).toEqual(['BRAVE_API_KEY']);
  });

  it('reads the fields pydantic-settings found unset, with an exception group around them', () => {
    const stderr = [
      '  + Exception Group Traceback (most recent call last):',
      '  |   File "/app/.venv/lib/python3.12/site-packages/anyio/_backends/_asyncio.py", line 767, in __aexit__',
      '  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)',
      '  +-+---------------- 1 ----------------',
      '    | Traceback (most recent call last):',
      '    |   File "/app/src/weather/config.py", line 12, in load',
      '    |     return Settings()',
      '    | pydantic_core._pydantic_core.ValidationError: 2 validation errors for Settings',
      '    | openweather_api_key',
      '    |   Field required [type=missing, input_value={}, input_type=dict]',
      '    |     For further information visit https://errors.pydantic.dev/2.9/v/missing',
      '    | UNITS',
      '    |   Field required [type=missing, input_value={}, input_type=dict]',
      '    +------------------------------------',
    ];
    expect(findMissingConfig(stderr)?.variables).toEqual(['OPENWEATHER_API_KEY', 'UNITS']);
  });

  it.each([
    // Words are not names: the line has no name in it at all.
    'Error: The API key is required',
    'the environment variable is required',
    // Mentions a variable, but nothing says it is absent.
    'Connecting with DATABASE_URL to the primary',
    // Node's error codes are upper-case too.
    'Error [ERR_PACKAGE_PATH_NOT_EXPORTED]: Package subpath \'./server/mcp.js\' is not defined by "exports"',
    // A warning is not why it stopped.
    'Warning: OPENAI_API_KEY is not set; the summarise tool is disabled',
    '2026-11-30 15:04:05,123 - weather - WARNING - OPENAI_API_KEY not set, summaries disabled',
  ])('finds nothing in %s', (line) => {
    expect(findMissingConfig([line])).toBeUndefined();
  });

  it('blames the exception a server died of, not a warning it printed before', () => {
    const stderr = [
      'OPENAI_API_KEY is not set, summaries disabled',
      'Traceback (most recent call last):',
      '  File "/app/server.py", line 1, in <module>',
      '    from mcp.server import FastMCP',
      "ImportError: cannot import name 'FastMCP' from 'mcp.server' (/app/.venv/lib/python3.12/site-packages/mcp/server/__init__.py)",
    ];
    expect(findMissingConfig(stderr)).toBeUndefined();
  });
});

describe('launch.missing-config reads a missing argument or file', () => {
  it.each([
    ['Please provide a database URL as a command-line argument', undefined],
    [
      'Usage: mcp-server-filesystem <allowed-directory> [additional-directories...]',
      'Usage: mcp-server-filesystem <allowed-directory> [additional-directories...]',
    ],
    ["error: missing required argument 'path'", undefined],
    ['server.py: error: the following arguments are required: --api-key', 'usage: server.py [-h] --api-key API_KEY'],
    ["Error: Missing argument 'DIRECTORY'.", 'Usage: obsidian-mcp [OPTIONS] DIRECTORY'],
  ])('%s', (line, usage) => {
    const stderr = usage && usage !== line ? [usage, line] : [line];
    expect(findMissingConfig(stderr)).toMatchObject({ variables: [], files: [], argument: usage ? { usage } : {}, lines: [line] });
  });

  it('does not take a refused argument for a missing one', () => {
    expect(findMissingConfig(["error: unknown option '--stdio'", 'Usage: weather-server [options]'])).toBeUndefined();
  });

  it.each([
    ["Error: ENOENT: no such file or directory, open 'config.json'", 'config.json'],
    ["FileNotFoundError: [Errno 2] No such file or directory: '/etc/weather/settings.yaml'", '/etc/weather/settings.yaml'],
    ['Config file not found: ./mcp-config.json', './mcp-config.json'],
    ['Error: Could not find configuration file "servers.toml"', 'servers.toml'],
    ['Config file not found', ''],
  ])('%s', (line, file) => {
    expect(findMissingConfig([line])).toMatchObject({ variables: [], files: [file], lines: [line] });
  });
});

describe('launch.missing-config findings', () => {
  it('names every variable, with the env snippet for each', async () => {
    const [found] = await missingConfig.run(exitedWith(['Please set SLACK_BOT_TOKEN and SLACK_TEAM_ID environment variables']));
    expect(found.message).toMatch(
      /^The server exited with code 1, .* before ready, and its stderr says it is missing the environment variables SLACK_BOT_TOKEN and SLACK_TEAM_ID:\n {2}Please set/,
    );
    expect(found.hint).toBe(
      "Set SLACK_BOT_TOKEN and SLACK_TEAM_ID in the step's env: (`SLACK_BOT_TOKEN: ${{ secrets.SLACK_BOT_TOKEN }}`, `SLACK_TEAM_ID: ${{ secrets.SLACK_TEAM_ID }}`), from secrets.* for a credential or vars.* otherwise.",
    );
  });

  it('names the variable of the most common phrasing, never a word of it', async () => {
    const [found] = await missingConfig.run(exitedWith(['BRAVE_API_KEY environment variable is required']));
    expect(found.message).toContain('missing the environment variable BRAVE_API_KEY:\n  BRAVE_API_KEY environment variable is required');
    expect(found.hint).toContain('`BRAVE_API_KEY: ${{ secrets.BRAVE_API_KEY }}`');
    expect(found.hint).not.toMatch(/secrets\.(is|required)\b/);
  });

  it('says an argument is missing and quotes the usage line', async () => {
    const [found] = await missingConfig.run(exitedWith(['Usage: mcp-server-filesystem <allowed-directory> [additional-directories...]']));
    expect(found.message).toContain('missing a command-line argument:\n  Usage: mcp-server-filesystem <allowed-directory>');
    expect(found.hint).toBe(
      'Add the argument the server needs to its command, as its usage line shows: `Usage: mcp-server-filesystem <allowed-directory> [additional-directories...]`.',
    );
  });

  it('names the file and where the server looked for it', async () => {
    const [found] = await missingConfig.run(exitedWith(["Error: ENOENT: no such file or directory, open 'config.json'"]));
    expect(found.message).toContain('missing the file config.json:');
    expect(found.hint).toContain('the server ran in /work/app, so it looked for /work/app/config.json');
  });

  it('leaves an exit after initialize, and a server still running, to other checks', async () => {
    expect(await missingConfig.run(exitedWith(['BRAVE_API_KEY environment variable is required'], 'after initialize'))).toEqual([]);
    expect(await missingConfig.run({ ...exitedWith(['BRAVE_API_KEY environment variable is required']), serverExit: undefined })).toEqual([]);
  });
});
