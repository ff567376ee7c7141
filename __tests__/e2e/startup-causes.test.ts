import { fixtureWith, rootCause, runGate, uniqueTag } from '../fixtures/gate.js';
import { processesMatching } from '../helpers/servers.js';

/** The root cause of a start-up failure names what to change: the variable, the argument, the SDK pin. */
describe('start-up failures that name their cause', () => {
  it.each([
    [
      'brave-search',
      'missing the environment variable BRAVE_API_KEY:\n  BRAVE_API_KEY environment variable is required',
      '`BRAVE_API_KEY: ${{ secrets.BRAVE_API_KEY }}`',
    ],
    ['google-maps', 'missing the environment variable GOOGLE_MAPS_API_KEY:', '`GOOGLE_MAPS_API_KEY: ${{ secrets.GOOGLE_MAPS_API_KEY }}`'],
    [
      'slack',
      'missing the environment variables SLACK_BOT_TOKEN and SLACK_TEAM_ID:',
      '`SLACK_BOT_TOKEN: ${{ secrets.SLACK_BOT_TOKEN }}`, `SLACK_TEAM_ID: ${{ secrets.SLACK_TEAM_ID }}`',
    ],
    [
      'postgres',
      'missing a command-line argument:\n  Please provide a database URL as a command-line argument',
      'Add the argument the server needs to its command, as the line above asks.',
    ],
    [
      'filesystem',
      'missing a command-line argument:\n  Usage: mcp-server-filesystem <allowed-directory>',
      'as its usage line shows: `Usage: mcp-server-filesystem <allowed-directory> [additional-directories...]`',
    ],
  ])('%s: launch.missing-config says what to set', async (server, quoted, fix) => {
    const tag = uniqueTag(`missing-${server}`);
    const { report } = await runGate({ command: fixtureWith('exits-on-stderr.mjs', tag, { SERVER: server }) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.missing-config', severity: 'error' });
    expect(cause.message).toContain(quoted);
    expect(cause.hint).toContain(fix);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('a Python server on the wrong mcp major version: launch.sdk-mismatch, the exception first', async () => {
    const tag = uniqueTag('python-sdk-mismatch');
    const { report } = await runGate({ command: fixtureWith('python-sdk-mismatch.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.sdk-mismatch', severity: 'error' });
    const [first, next] = cause.message.split('\n');
    expect(first).toMatch(
      /^The server exited with code 1, .* (?:before ready|during initialize) on an MCP SDK \(mcp\) of another version than its code was written for\. /,
    );
    expect(first).toMatch(
      /It raised ImportError: cannot import name 'Context' from 'mcp\.server\.fastmcp' \(\/home\/runner\/work\/weather\/\.venv\/lib\/python3\.12\/site-packages\/mcp\/server\/fastmcp\/__init__\.py\)$/,
    );
    expect(next).toBe('Last 20 lines of stderr:');
    expect(cause.hint).toContain('`mcp>=1,<2`');
    expect(processesMatching(tag)).toEqual([]);
  });

  it('a TypeScript server importing an export its SDK lacks: launch.sdk-mismatch with the 1.x pin', async () => {
    const tag = uniqueTag('ts-sdk-mismatch');
    const { report } = await runGate({ command: fixtureWith('ts-sdk-mismatch.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.sdk-mismatch', severity: 'error' });
    expect(cause.message.split('\n')[0]).toMatch(
      /on an MCP SDK \(@modelcontextprotocol\/sdk\) of another version than its code was written for\. It raised SyntaxError: The requested module '@modelcontextprotocol\/sdk\/server\/mcp\.js' does not provide an export named 'ServerFromAnotherMajor'$/,
    );
    expect(cause.hint).toContain('`"@modelcontextprotocol/sdk": "^1"`');
    expect(cause.hint).toContain('`@modelcontextprotocol/server`');
    expect(processesMatching(tag)).toEqual([]);
  });
});
