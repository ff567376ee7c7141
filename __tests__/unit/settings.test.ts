import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSettings, SettingsError } from '../../src/settings.js';
import { parseCommandLine } from '../../src/command-line.js';
import { CATALOGUE } from '../../src/checks/index.js';

function errorOf(run: () => unknown): SettingsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('parseSettings', () => {
  it('applies the documented defaults', () => {
    const settings = parseSettings({ command: 'node server.js' }, CATALOGUE, os.tmpdir());
    expect(settings).toMatchObject({
      command: 'node server.js',
      transport: 'auto',
      startupTimeoutMs: 60_000,
      requestTimeoutMs: 10_000,
      failOn: 'error',
      maxPages: 100,
      headers: {},
      workingDirectory: os.tmpdir(),
    });
  });

  it('keeps localhost as written (a Host allow-list accepts only that name) and reads headers one per line', () => {
    const settings = parseSettings(
      {
        url: 'http://localhost:3000/mcp',
        'health-url': 'http://localhost:3000/health',
        header: ['Authorization: Bearer abc:def', 'X-Api-Key:  k1  '],
      },
      CATALOGUE,
    );
    expect(settings.url?.href).toBe('http://localhost:3000/mcp');
    expect(settings.healthUrl?.href).toBe('http://localhost:3000/health');
    expect(settings.headers).toEqual({ Authorization: 'Bearer abc:def', 'X-Api-Key': 'k1' });
  });

  it.each([
    [{ command: 'x', 'fail-on': 'sometimes' }, 'fail-on', 'accepted values are error, warning, never'],
    [{ command: 'x', transport: 'websocket' }, 'transport', 'accepted values are auto, stdio, streamable-http, sse'],
    [{ command: 'x', 'startup-timeout': 'soon' }, 'startup-timeout', 'expected a number'],
    [{ command: 'x', 'request-timeout': '0' }, 'request-timeout', 'from 0.1 to 3600'],
    [{ command: 'x', 'max-pages': '2.5' }, 'max-pages', 'whole number from 1 to 10000'],
    [{ url: 'ftp://example.test/mcp' }, 'url', 'http:// or https://'],
    [{ url: 'not a url' }, 'url', 'absolute http:// or https:// URL'],
    [{}, 'command', 'nothing to verify'],
    [{ command: 'x', url: 'http://127.0.0.1/mcp' }, 'command', 'cannot be combined with "url"'],
    [{ start: 'node server.js', deploy: './deploy.sh', url: 'http://127.0.0.1/mcp' }, 'start', 'set only one'],
    [{ command: 'x', 'health-url': 'http://127.0.0.1/health' }, 'health-url', 'no health endpoint'],
    [{ url: 'http://127.0.0.1/mcp', transport: 'stdio' }, 'transport', 'stdio needs command'],
    [{ command: 'x', transport: 'sse' }, 'transport', 'sse needs url'],
    [{ command: 'x', header: 'no colon here' }, 'header', 'line 1 has no valid "Name:"'],
  ])('rejects %j naming the input', (raw, input, accepted) => {
    const error = errorOf(() => parseSettings(raw as never, CATALOGUE));
    expect(error.input).toBe(input);
    expect(error.message).toContain(`Invalid input "${input}"`);
    expect(error.message).toContain(accepted);
  });

  it('requires url with start, saying what url is', () => {
    const error = errorOf(() => parseSettings({ start: 'node server.js' }, CATALOGUE));
    expect(error.input).toBe('url');
    expect(error.message).toContain('start needs url: the MCP endpoint the started server listens on');
  });

  it('never quotes a header value, which may be a secret', () => {
    const error = errorOf(() => parseSettings({ command: 'x', header: ['Authorization: Bearer ok', 'sk-secret-token'] }, CATALOGUE));
    expect(error.message).toContain('line 2');
    expect(error.message).not.toContain('sk-secret-token');
  });
});

describe('parseCommandLine', () => {
  it('takes the words after -- as the stdio command, quoted for the shell', () => {
    const { raw } = parseCommandLine(['--fail-on', 'warning', '--', 'node', 'my server.js', "it's"]);
    expect(raw).toEqual({ 'fail-on': 'warning', command: `node 'my server.js' 'it'\\''s'` });
  });

  it('accepts the same names as the action inputs, with --header repeatable', () => {
    const { raw } = parseCommandLine(['--url', 'http://127.0.0.1:3000/mcp', '--start', 'node s.js', '--header', 'A: 1', '--header', 'B: 2']);
    const settings = parseSettings(raw, CATALOGUE);
    expect(settings.headers).toEqual({ A: '1', B: '2' });
    expect(settings.start).toBe('node s.js');
  });

  it('rejects unknown flags and a command given twice', () => {
    expect(() => parseCommandLine(['--nope'])).toThrow(/Unknown option '--nope'/);
    expect(() => parseCommandLine(['--command', 'a', '--', 'b'])).toThrow(/either after -- or with --command/);
  });
});

describe('credentials', () => {
  it('sends bearer-token as an Authorization header', () => {
    const settings = parseSettings({ url: 'http://127.0.0.1/mcp', 'bearer-token': 'tok-123456' }, CATALOGUE);
    expect(settings.headers).toEqual({ Authorization: 'Bearer tok-123456' });
    expect(settings.bearerToken).toBe('tok-123456');
  });

  it.each([
    [{ url: 'http://127.0.0.1/mcp', 'oauth-client-id': 'ci' }, 'oauth-client-secret', 'is required with oauth-client-id'],
    [{ url: 'http://127.0.0.1/mcp', 'oauth-scope': 'read' }, 'oauth-scope', 'needs oauth-client-id and oauth-client-secret'],
    [{ url: 'http://127.0.0.1/mcp', 'bearer-token': 'abcd', 'oauth-client-id': 'a', 'oauth-client-secret': 'b' }, 'bearer-token', 'not both'],
    [{ url: 'http://127.0.0.1/mcp', 'bearer-token': 'abcd', header: 'Authorization: Bearer x' }, 'bearer-token', 'already set through header'],
    [{ command: 'x', 'bearer-token': 'abcd' }, 'bearer-token', 'stdio server'],
    [{ url: 'http://127.0.0.1/mcp', 'expect-auth': 'maybe' }, 'expect-auth', 'auto, true, false'],
  ])('rejects %j naming the input', (raw, input, accepted) => {
    const error = errorOf(() => parseSettings(raw as never, CATALOGUE));
    expect(error.input).toBe(input);
    expect(error.message).toContain(accepted);
  });

  it('reads the client credentials', () => {
    const settings = parseSettings(
      {
        url: 'http://127.0.0.1/mcp',
        'oauth-client-id': 'ci',
        'oauth-client-secret': 'cs-secret',
        'oauth-scope': 'mcp:read',
        'oauth-token-url': 'http://localhost:9000/token',
      },
      CATALOGUE,
    );
    expect(settings.oauth).toEqual({ clientId: 'ci', clientSecret: 'cs-secret', scope: 'mcp:read', tokenUrl: new URL('http://localhost:9000/token') });
  });
});

describe('careless inputs, refused before anything starts', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-settings-'));
    mkdirSync(path.join(directory, 'reports'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each(['report', 'sarif', 'junit'])('refuses a %s path that is a directory, naming the input', (input) => {
    const error = errorOf(() => parseSettings({ command: 'x', 'working-directory': directory, [input]: 'reports' }, CATALOGUE));
    expect(error.input).toBe(input);
    expect(error.message).toContain('reports is a directory; give the path of a file');
  });

  it('refuses a working-directory that does not exist, instead of reporting the command as not found', () => {
    const error = errorOf(() => parseSettings({ command: 'node server.js', 'working-directory': path.join(directory, 'missing') }, CATALOGUE));
    expect(error.input).toBe('working-directory');
    expect(error.message).toContain('does not exist');
  });

  it("refuses a time-out so short it would blame the server for the gate's own deadline", () => {
    const error = errorOf(() => parseSettings({ command: 'x', 'request-timeout': '0.0001' }, CATALOGUE));
    expect(error.input).toBe('request-timeout');
    expect(error.message).toContain('got 0.0001; expected seconds from 0.1 to 3600');
  });

  it('refuses a bare carriage return in a header value without quoting the value', () => {
    const error = errorOf(() => parseSettings({ url: 'http://127.0.0.1/mcp', header: 'X-Api-Key: abc\rdef' }, CATALOGUE));
    expect(error.input).toBe('header');
    expect(error.message).toContain('line 1 has a control character');
    expect(error.message).not.toContain('abc');
  });

  it('refuses an empty command after --', () => {
    const error = errorOf(() => parseCommandLine(['--', '']));
    expect(error.input).toBe('command');
    expect(error.message).toContain('the command after -- is empty');
  });
});
