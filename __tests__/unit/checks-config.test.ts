import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { duplicateName } from '../../src/checks/config/duplicate-name.js';
import { invalidJson } from '../../src/checks/config/invalid-json.js';
import { minimalPath } from '../../src/checks/config/minimal-path.js';
import { missingEnv } from '../../src/checks/config/missing-env.js';
import { relativeCommand } from '../../src/checks/config/relative-command.js';
import { unresolvedPlaceholder } from '../../src/checks/config/unresolved-placeholder.js';
import { windowsNpx } from '../../src/checks/config/windows-npx.js';
import type { CheckContext, Phase } from '../../src/checks/types.js';
import { readServerTargets } from '../../src/servers-config/targets.js';
import type { ManagedProcess } from '../../src/target/process.js';
import { ROOT } from '../helpers/servers.js';
import { CATALOGUE } from '../../src/checks/index.js';

const CONFIGS = path.join(ROOT, '__tests__/fixtures/configs');
const CLEAN = 'claude-desktop/claude_desktop_config.json';

/** The context of one server of a configuration fixture, as the engine gives it to the checks. */
function contextOf(relative: string, server: string, base = CONFIGS): CheckContext {
  const file = path.isAbsolute(relative) ? relative : path.join(base, relative);
  const [target] = readServerTargets({ 'servers-config': file, server }, CATALOGUE, ROOT).targets;
  if (!target.settings) throw target.error;
  return { settings: target.settings, observations: {} };
}

describe('config.invalid-json', () => {
  it('reports a comment and a trailing comma in a file Claude Desktop reads as strict JSON, with line and column', async () => {
    const [found] = await invalidJson.run(contextOf('lint/comments/claude_desktop_config.json', 'memory'));
    expect(found).toMatchObject({
      id: 'config.invalid-json',
      severity: 'error',
      location: { file: '__tests__/fixtures/configs/lint/comments/claude_desktop_config.json', startLine: 2 },
    });
    expect(found.message).toContain('claude_desktop_config.json:2:3: a comment');
    expect(found.message).toContain('claude_desktop_config.json:6:39: a trailing comma');
    expect(found.message).toContain('Claude Desktop reads this file as strict JSON');
  });

  it('reports a syntax error any client refuses', async () => {
    const [found] = await invalidJson.run(contextOf('lint/broken/claude_desktop_config.json', 'memory'));
    expect(found.message).toContain('claude_desktop_config.json:5:7: a comma is expected');
    expect(found.location?.startLine).toBe(5);
  });

  it('accepts comments and trailing commas where the client reads JSONC (VS Code), and a clean file', async () => {
    expect(await invalidJson.run(contextOf('vscode/project/.vscode/mcp.json', 'memory'))).toEqual([]);
    expect(await invalidJson.run(contextOf(CLEAN, 'weather'))).toEqual([]);
  });
});

describe('config.windows-npx', () => {
  it('warns about a bare npx in a file meant for Windows, with the cmd /c form', async () => {
    const [found] = await windowsNpx.run(contextOf('lint/windows/claude_desktop_config.json', 'memory'));
    expect(found).toMatchObject({ id: 'config.windows-npx', severity: 'warning', location: { startLine: 4 } });
    expect(found.message).toContain('this file is meant for Windows (it holds the Windows path "C:\\Users\\me\\Desktop")');
    expect(found.hint).toBe('Write "command": "cmd", "args": ["/c","npx","-y","@modelcontextprotocol/server-memory"].');
  });

  it('is quiet for the cmd /c form, and for npx in a file with no sign of Windows', async () => {
    expect(await windowsNpx.run(contextOf('lint/windows/claude_desktop_config.json', 'files'))).toEqual([]);
    expect(await windowsNpx.run(contextOf(CLEAN, 'filesystem'))).toEqual([]);
  });
});

describe('config.relative-command', () => {
  const file = 'lint/relative/claude_desktop_config.json';

  it('warns about a relative script given to node, and a relative command', async () => {
    const [script] = await relativeCommand.run(contextOf(file, 'script'));
    expect(script).toMatchObject({ id: 'config.relative-command', severity: 'warning', location: { startLine: 5 } });
    expect(script.message).toContain(
      'names the relative path "build/index.js". Claude Desktop resolves it against the directory it starts servers in (/ on macOS)',
    );
    expect(script.hint).toBe(`Write the absolute path, e.g. "${path.join(ROOT, 'build/index.js')}".`);
    const [binary] = await relativeCommand.run(contextOf(file, 'binary'));
    expect(binary.message).toContain('"./bin/server"');
  });

  it('is quiet for absolute paths, and where the client starts servers in the project (VS Code)', async () => {
    expect(await relativeCommand.run(contextOf(file, 'absolute'))).toEqual([]);
    expect(await relativeCommand.run(contextOf('vscode/project/.vscode/mcp.json', 'undeclared'))).toEqual([]);
  });
});

describe('config.duplicate-name', () => {
  it('warns that the earlier definition is ignored, pointing at it', async () => {
    const [found] = await duplicateName.run(contextOf('lint/duplicate/claude_desktop_config.json', 'memory'));
    expect(found).toMatchObject({ id: 'config.duplicate-name', severity: 'warning', location: { startLine: 3 } });
    expect(found.message).toContain('is defined 2 times');
    expect(found.message).toContain('keeps only the last one (line 7)');
  });

  it('is quiet when each name appears once', async () => {
    expect(await duplicateName.run(contextOf(CLEAN, 'weather'))).toEqual([]);
  });
});

describe('config.unresolved-placeholder', () => {
  it("names the key and the placeholder, at the key's line", async () => {
    const [found] = await unresolvedPlaceholder.run(contextOf('vscode/project/.vscode/mcp.json', 'github'));
    expect(found).toMatchObject({ id: 'config.unresolved-placeholder', severity: 'warning', location: { startLine: 11 } });
    expect(found.message).toContain('has ${input:github-token} in env.GITHUB_PERSONAL_ACCESS_TOKEN');
    expect(found.message).toContain('Set MCP_PREFLIGHT_INPUT_GITHUB_TOKEN');
  });

  it('is quiet when everything resolves', async () => {
    expect(await unresolvedPlaceholder.run(contextOf(CLEAN, 'weather'))).toEqual([]);
    expect(unresolvedPlaceholder.appliesTo?.({ settings: { ...contextOf(CLEAN, 'weather').settings, serverConfig: undefined }, observations: {} })).toBe(false);
  });
});

describe('config.minimal-path', () => {
  let directory: string;
  const originalPath = process.env.PATH;

  beforeAll(() => {
    // A program only the gate's PATH has, as npx installed by Homebrew or nvm is for Claude Desktop.
    directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-path-'));
    mkdirSync(path.join(directory, 'bin'));
    writeFileSync(path.join(directory, 'bin', 'only-in-profile'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(directory, 'bin', 'only-in-profile'), 0o755);
    const config = {
      mcpServers: {
        hidden: { command: 'only-in-profile' },
        system: { command: 'sh', args: ['-c', 'true'] },
        pinned: { command: 'only-in-profile', env: { PATH: path.join(directory, 'bin') } },
      },
    };
    writeFileSync(path.join(directory, 'claude_desktop_config.json'), JSON.stringify(config, null, 2));
    process.env.PATH = `${path.join(directory, 'bin')}${path.delimiter}${originalPath}`;
  });

  afterAll(() => {
    process.env.PATH = originalPath;
    rmSync(directory, { recursive: true, force: true });
  });

  it("notes a command found only through the gate's PATH, not on the PATH a macOS app gets", async () => {
    const [found] = await minimalPath.run(contextOf('claude_desktop_config.json', 'hidden', directory));
    expect(found).toMatchObject({ id: 'config.minimal-path', severity: 'notice' });
    expect(found.message).toContain('gives servers PATH=/usr/bin:/bin:/usr/sbin:/sbin, where "only-in-profile" is not found; here it was found at');
    expect(found.hint).toContain(`Write "command": "${path.join(directory, 'bin', 'only-in-profile')}"`);
  });

  it('is quiet for a command on the minimal PATH, and for an entry that sets its own PATH', async () => {
    expect(await minimalPath.run(contextOf('claude_desktop_config.json', 'system', directory))).toEqual([]);
    expect(await minimalPath.run(contextOf('claude_desktop_config.json', 'pinned', directory))).toEqual([]);
  });
});

describe('config.missing-env', () => {
  function exitedWith(relative: string, server: string, stderr: string[], phase: Phase = 'before ready'): CheckContext {
    const process = { stderrTail: (count: number) => stderr.slice(-count), options: { cwd: ROOT } } as unknown as ManagedProcess;
    return { ...contextOf(relative, server), server: process, serverExit: { info: { code: 1, signal: null, atMs: 0 }, phase } };
  }

  it("names the variable the server says is missing and the entry does not set, at the entry's env", async () => {
    const [found] = await missingEnv.run(exitedWith(CLEAN, 'filesystem', ['Error: Missing required environment variable BRAVE_API_KEY']));
    expect(found).toMatchObject({ id: 'config.missing-env', severity: 'error', location: { startLine: 3 } });
    expect(found.message).toContain('missing the environment variable BRAVE_API_KEY, which the entry\'s "env" does not set');
    expect(found.hint).toContain('"env": {"BRAVE_API_KEY":"…"}');
  });

  it('leaves a variable the entry sets to launch.missing-config, and an exit after initialize to other checks', async () => {
    expect(await missingEnv.run(exitedWith(CLEAN, 'weather', ['Error: Missing required environment variable WEATHER_API_KEY']))).toEqual([]);
    expect(await missingEnv.run(exitedWith(CLEAN, 'filesystem', ['BRAVE_API_KEY environment variable is required'], 'after initialize'))).toEqual([]);
  });
});
