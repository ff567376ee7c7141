import path from 'node:path';
import { readServersConfig } from '../../src/servers-config/read.js';
import { displayCommand, matrixOf, readServerTargets } from '../../src/servers-config/targets.js';
import { stdioLaunch } from '../../src/session/stdio-transport.js';
import { Masker } from '../../src/util/masker.js';
import { ROOT } from '../helpers/servers.js';
import { CATALOGUE } from '../../src/checks/index.js';

const CONFIGS = path.join(ROOT, '__tests__/fixtures/configs');
const HOME = '/home/me';

function read(relative: string, env: NodeJS.ProcessEnv = {}) {
  return readServersConfig(path.join(CONFIGS, relative), { workspace: ROOT, workingDirectory: ROOT, env, home: HOME });
}

function entry(relative: string, name: string, env: NodeJS.ProcessEnv = {}) {
  const found = read(relative, env).entries.find((e) => e.name === name);
  if (!found) throw new Error(`no entry ${name} in ${relative}`);
  return found;
}

describe('Claude Desktop (claude_desktop_config.json)', () => {
  it('reads each mcpServers entry with its command, args, env and line, placeholders untouched', () => {
    const config = read('claude-desktop/claude_desktop_config.json');
    expect(config.source).toMatchObject({ format: 'claude-desktop', file: '__tests__/fixtures/configs/claude-desktop/claude_desktop_config.json', syntax: [] });
    expect(config.entries.map((e) => [e.name, e.transport, e.line])).toEqual([
      ['filesystem', 'stdio', 3],
      ['weather', 'stdio', 7],
    ]);
    expect(config.entries[1]).toMatchObject({
      command: '/usr/local/bin/node',
      args: ['/Users/me/weather/build/index.js'],
      env: { WEATHER_API_KEY: 'wk-123456' },
      keyLines: { env: 10 },
    });
  });

  it('does not expand ${VAR}, as Claude Desktop does not, and says so', () => {
    const weather = entry('lint/unresolved/claude_desktop_config.json', 'weather', { WEATHER_API_KEY: 'set-here' });
    expect(weather.env.WEATHER_API_KEY).toBe('${WEATHER_API_KEY}');
    expect(weather.unresolved).toEqual([
      { key: 'env.WEATHER_API_KEY', placeholder: '${WEATHER_API_KEY}', reason: expect.stringContaining('Claude Desktop does not expand placeholders') },
    ]);
  });
});

describe('Claude Code (.mcp.json)', () => {
  const file = 'claude-code/project/.mcp.json';

  it('expands ${VAR} and ${VAR:-default} in command, args, env, url and headers', () => {
    const env = { TOOLS_DIR: '/srv/tools', LOCAL_TOKEN: 'tok-1', API_KEY: 'key-1' };
    expect(entry(file, 'local', env)).toMatchObject({
      transport: 'stdio',
      command: '/srv/tools/server',
      args: ['--token', 'tok-1'],
      env: { LOG_LEVEL: 'info' },
      unresolved: [],
    });
    expect(entry(file, 'api', env)).toMatchObject({
      transport: 'streamable-http',
      url: 'https://api.example.com/mcp',
      headers: { Authorization: 'Bearer key-1' },
    });
    expect(entry(file, 'events', env)).toMatchObject({ transport: 'sse', url: 'https://events.example.com/sse' });
  });

  it('names the key of an unset variable without a default, and keeps the text as Claude Code would', () => {
    const local = entry(file, 'local');
    expect(local.command).toBe('/opt/tools/server');
    expect(local.args).toEqual(['--token', '${LOCAL_TOKEN}']);
    expect(local.unresolved).toEqual([
      { key: 'args[1]', placeholder: '${LOCAL_TOKEN}', reason: expect.stringContaining('LOCAL_TOKEN is not set and has no default') },
    ]);
    expect(entry(file, 'api').unresolved.map((u) => u.key)).toEqual(['headers.Authorization']);
  });
});

describe('Cursor (.cursor/mcp.json)', () => {
  it('resolves ${env:NAME} and ${workspaceFolder} (the folder holding .cursor), and takes url entries as HTTP', () => {
    const workspace = path.join(CONFIGS, 'cursor/project');
    expect(entry('cursor/project/.cursor/mcp.json', 'docs', { DOCS_TOKEN: 'd-1' })).toMatchObject({
      args: [path.join(workspace, 'server.js')],
      env: { DOCS_TOKEN: 'd-1' },
      unresolved: [],
    });
    const remote = entry('cursor/project/.cursor/mcp.json', 'remote');
    expect(remote).toMatchObject({ transport: 'auto', url: 'https://mcp.example.com/mcp' });
    expect(remote.unresolved).toEqual([
      { key: 'headers.X-Api-Key', placeholder: '${env:REMOTE_KEY}', reason: expect.stringContaining('REMOTE_KEY is not set') },
    ]);
  });
});

describe('VS Code (.vscode/mcp.json)', () => {
  const file = 'vscode/project/.vscode/mcp.json';
  const workspace = path.join(CONFIGS, 'vscode/project');

  it('reads the servers of a JSONC file, keeping its comments and trailing commas as accepted problems', () => {
    const config = read(file);
    expect(config.source.format).toBe('vscode');
    expect(config.entries.map((e) => e.name)).toEqual(['github', 'memory', 'undeclared', 'remote']);
    expect(config.source.syntax.length).toBeGreaterThan(0);
    expect(config.source.syntax.every((problem) => problem.jsoncOnly)).toBe(true);
    expect(config.source.syntax[0]).toMatchObject({ line: 2, column: 3, message: 'a comment' });
  });

  it('asks for ${input:id} through MCP_PREFLIGHT_INPUT_<ID>, naming the input when it is not set', () => {
    const unset = entry(file, 'github');
    expect(unset.unresolved).toEqual([
      { key: 'env.GITHUB_PERSONAL_ACCESS_TOKEN', placeholder: '${input:github-token}', reason: expect.stringContaining('MCP_PREFLIGHT_INPUT_GITHUB_TOKEN') },
    ]);
    expect(unset.unresolved[0].reason).toContain('GitHub personal access token');
    const given = entry(file, 'github', { MCP_PREFLIGHT_INPUT_GITHUB_TOKEN: 'ghp_x' });
    expect(given).toMatchObject({ env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x' }, unresolved: [] });
  });

  it('reports an input the file does not declare', () => {
    expect(entry(file, 'undeclared').unresolved[0].reason).toContain('no input with id "not-declared" is declared');
  });

  it('loads envFile under env, and resolves ${workspaceFolder}, ${userHome} and cwd', () => {
    expect(entry(file, 'memory')).toMatchObject({
      args: [path.join(workspace, 'memory.js')],
      env: { FROM_ENV_FILE: 'one', QUOTED: 'two words', MEMORY_FILE: path.join(workspace, 'memory.json'), HOME_DIR: HOME },
      cwd: workspace,
      unresolved: [],
    });
  });

  it('passes an unset ${env:NAME} as empty, as VS Code does, and names it', () => {
    const remote = entry(file, 'remote');
    expect(remote).toMatchObject({ transport: 'streamable-http', headers: { Authorization: 'Bearer ' } });
    expect(remote.unresolved.map((u) => u.key)).toEqual(['headers.Authorization']);
  });
});

describe('Windsurf (mcp_config.json)', () => {
  it('reads serverUrl as the URL, and keeps a disabled entry out of the default selection', () => {
    const config = read('windsurf/mcp_config.json', { WINDSURF_TOKEN: 'w-1' });
    expect(config.source.format).toBe('windsurf');
    expect(config.entries.find((e) => e.name === 'remote')).toMatchObject({
      transport: 'auto',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer w-1' },
    });
    expect(config.entries.find((e) => e.name === 'local')).toMatchObject({ disabled: true });
    const { targets } = readServerTargets({ 'servers-config': path.join(CONFIGS, 'windsurf/mcp_config.json') }, CATALOGUE, ROOT);
    expect(targets.map((t) => t.name)).toEqual(['remote']);
  });
});

describe('syntax', () => {
  it('keeps reading around a syntax error, at its line and column', () => {
    const config = read('lint/broken/claude_desktop_config.json');
    expect(config.source.syntax).toEqual([{ message: 'a comma is expected', line: 5, column: 7, jsoncOnly: false }]);
    expect(config.entries.map((e) => e.name)).toEqual(['memory']);
  });

  it('refuses a file without servers with the line and column of the first error', () => {
    const unreadable = path.join(CONFIGS, 'lint/unreadable/claude_desktop_config.json');
    expect(() => readServerTargets({ 'servers-config': unreadable }, CATALOGUE, ROOT)).toThrow(
      /unreadable\/claude_desktop_config\.json:3:\d+: .*; the file is not valid JSON/,
    );
    const empty = path.join(CONFIGS, 'lint/no-servers/claude_desktop_config.json');
    expect(() => readServerTargets({ 'servers-config': empty }, CATALOGUE, ROOT)).toThrow(/has no "mcpServers" object; Claude Desktop lists its servers there/);
    expect(() => readServerTargets({ 'servers-config': path.join(CONFIGS, 'claude-desktop') }, CATALOGUE, ROOT)).toThrow(/is not a file/);
    expect(() => readServerTargets({ 'servers-config': 'missing.json' }, CATALOGUE, ROOT)).toThrow(/missing\.json does not exist/);
  });

  it('keeps only the last of two entries of one name, remembering the earlier line', () => {
    expect(read('lint/duplicate/claude_desktop_config.json').entries).toEqual([
      expect.objectContaining({ name: 'memory', line: 7, shadowedLines: [3], args: ['/opt/memory/index.js'] }),
    ]);
  });
});

describe('targets', () => {
  const desktop = path.join(CONFIGS, 'claude-desktop/claude_desktop_config.json');

  it('turns each entry into validated Settings that launch argv without a shell, with the entry env on top', () => {
    const { targets } = readServerTargets({ 'servers-config': desktop, server: ['weather'], 'fail-on': 'warning' }, CATALOGUE, ROOT);
    expect(targets).toHaveLength(1);
    const settings = targets[0].settings!;
    expect(settings).toMatchObject({ command: '/usr/local/bin/node /Users/me/weather/build/index.js', transport: 'stdio', failOn: 'warning' });
    expect(stdioLaunch(settings, 'server', new Masker())).toMatchObject({
      argv: ['/usr/local/bin/node', '/Users/me/weather/build/index.js'],
      env: { WEATHER_API_KEY: 'wk-123456' },
      cwd: ROOT,
    });
    expect(targets[0].secrets).toEqual(['wk-123456']);
  });

  it('turns an HTTP entry into a URL with its headers', () => {
    const file = path.join(CONFIGS, 'claude-code/project/.mcp.json');
    const { targets } = readServerTargets({ 'servers-config': file, server: 'api' }, CATALOGUE, ROOT);
    expect(targets[0].settings).toMatchObject({ transport: 'streamable-http', headers: { Authorization: 'Bearer ${API_KEY}' } });
    expect(targets[0].settings?.url?.href).toBe('https://api.example.com/mcp');
  });

  it('names the servers there are when --server names one that is not', () => {
    expect(() => readServerTargets({ 'servers-config': desktop, server: 'nope' }, CATALOGUE, ROOT)).toThrow(
      '"nope" is not in __tests__/fixtures/configs/claude-desktop/claude_desktop_config.json; its servers are filesystem, weather',
    );
  });

  it('refuses inputs that describe a server by hand beside servers-config', () => {
    expect(() => readServerTargets({ 'servers-config': desktop, command: 'node x.js' }, CATALOGUE, ROOT)).toThrow(
      /Invalid input "command": cannot be combined with servers-config/,
    );
  });

  it('quotes argv for display only', () => {
    expect(displayCommand(['node', '/a b/x.js', "it's"])).toBe(`node '/a b/x.js' 'it'\\''s'`);
  });

  it('lists the targets for a strategy.matrix', () => {
    const servers = readServerTargets({ 'servers-config': path.join(CONFIGS, 'claude-code/project/.mcp.json') }, CATALOGUE, ROOT);
    expect(matrixOf(servers)).toEqual([
      { name: 'local', server: 'local', transport: 'stdio', config: expect.stringContaining('.mcp.json'), client: 'Claude Code' },
      { name: 'api', server: 'api', transport: 'http', config: expect.stringContaining('.mcp.json'), client: 'Claude Code' },
      { name: 'events', server: 'events', transport: 'sse', config: expect.stringContaining('.mcp.json'), client: 'Claude Code' },
    ]);
  });
});
