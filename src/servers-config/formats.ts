import path from 'node:path';
import type { ClientFormat } from './types.js';

/**
 * What each client does with its file, from its documentation:
 * - Claude Desktop, `claude_desktop_config.json`: `mcpServers` of `command`/`args`/`env`; read with a
 *   strict JSON parser, no placeholders (https://modelcontextprotocol.io/quickstart/user).
 * - Claude Code, project `.mcp.json`: `mcpServers`, `type` stdio|http|sse, `${VAR}` and `${VAR:-default}`
 *   in command, args, env, url and headers; an unset variable without a default fails the file
 *   (https://code.claude.com/docs/en/mcp, "Environment variable expansion in .mcp.json").
 * - Cursor, `.cursor/mcp.json`: `mcpServers` of `command`/`args`/`env`/`envFile` or `url`/`headers`, with
 *   `${env:NAME}`, `${userHome}`, `${workspaceFolder}`, `${workspaceFolderBasename}`, `${pathSeparator}`
 *   (https://cursor.com/docs/mcp, "Config interpolation").
 * - VS Code, `.vscode/mcp.json`: `servers` and `inputs`, `type` stdio|http|sse, `envFile`, `${input:id}`,
 *   `${env:NAME}`, `${workspaceFolder}` and the other predefined variables; the file is JSONC
 *   (https://code.visualstudio.com/docs/copilot/reference/mcp-configuration).
 * - Windsurf, `~/.codeium/windsurf/mcp_config.json`: `mcpServers`, `serverUrl` (or `url`) with `headers`
 *   for remote servers, `${env:NAME}` and `${file:/path}` (https://docs.windsurf.com/windsurf/cascade/mcp).
 */
export interface FormatRules {
  label: string;
  /** The top-level key holding the servers. */
  serversKey: 'mcpServers' | 'servers';
  /** Comments and trailing commas are accepted (VS Code's JSONC). */
  acceptsJsonc: boolean;
  /**
   * Started from the Dock on macOS, the app gives servers the PATH launchd gives it, not the shell
   * profile's. VS Code and its forks read the login shell's environment at start-up, so only Claude
   * Desktop is left with the minimal one.
   */
  minimalPath: boolean;
  /** Servers start in a directory the file does not control (`/` for Claude Desktop on macOS): relative paths are a gamble. */
  unknownDirectory: boolean;
  /** The client runs a `command` such as `npx` without a shell, which on Windows cannot start the `npx.cmd` shim. */
  spawnsWithoutShellOnWindows: boolean;
  docsUrl: string;
}

export const FORMATS: Record<ClientFormat, FormatRules> = {
  'claude-desktop': {
    label: 'Claude Desktop',
    serversKey: 'mcpServers',
    acceptsJsonc: false,
    minimalPath: true,
    unknownDirectory: true,
    spawnsWithoutShellOnWindows: true,
    docsUrl: 'https://modelcontextprotocol.io/quickstart/user',
  },
  // Its documentation asks for `cmd /c npx` on native Windows.
  'claude-code': {
    label: 'Claude Code',
    serversKey: 'mcpServers',
    acceptsJsonc: false,
    minimalPath: false,
    unknownDirectory: false,
    spawnsWithoutShellOnWindows: true,
    docsUrl: 'https://code.claude.com/docs/en/mcp',
  },
  // Cursor is built on VS Code, whose JSON reader tolerates comments; refusing them would be a false error.
  cursor: {
    label: 'Cursor',
    serversKey: 'mcpServers',
    acceptsJsonc: true,
    minimalPath: false,
    unknownDirectory: false,
    spawnsWithoutShellOnWindows: false,
    docsUrl: 'https://cursor.com/docs/mcp',
  },
  vscode: {
    label: 'VS Code',
    serversKey: 'servers',
    acceptsJsonc: true,
    minimalPath: false,
    unknownDirectory: false,
    spawnsWithoutShellOnWindows: false,
    docsUrl: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration',
  },
  // A user-level file: its servers start wherever Windsurf was started from.
  windsurf: {
    label: 'Windsurf',
    serversKey: 'mcpServers',
    acceptsJsonc: false,
    minimalPath: false,
    unknownDirectory: true,
    spawnsWithoutShellOnWindows: false,
    docsUrl: 'https://docs.windsurf.com/windsurf/cascade/mcp',
  },
};

/**
 * The client a file belongs to, from its name as each client documents it; a file of another name is
 * told by its content (`servers`: VS Code; a `serverUrl`: Windsurf), else read as Claude Desktop reads it,
 * the strictest reading of `mcpServers`.
 */
export function detectFormat(file: string, content: unknown): ClientFormat {
  const normalized = file.split(path.sep).join('/');
  const base = path.basename(normalized);
  if (base === 'claude_desktop_config.json') return 'claude-desktop';
  if (normalized.endsWith('.vscode/mcp.json')) return 'vscode';
  if (normalized.endsWith('.cursor/mcp.json')) return 'cursor';
  if (base === '.mcp.json') return 'claude-code';
  if (base === 'mcp_config.json') return 'windsurf';
  const top = (content ?? {}) as Record<string, unknown>;
  if (isObject(top.servers) && !isObject(top.mcpServers)) return 'vscode';
  const entries = isObject(top.mcpServers) ? Object.values(top.mcpServers) : [];
  if (entries.some((entry) => isObject(entry) && 'serverUrl' in entry)) return 'windsurf';
  return 'claude-desktop';
}

/**
 * The folder `${workspaceFolder}` names: the project holding `.vscode/` or `.cursor/`, else the
 * directory the gate runs in.
 */
export function workspaceFolderOf(absoluteFile: string, fallback: string): string {
  const directory = path.dirname(absoluteFile);
  return ['.vscode', '.cursor'].includes(path.basename(directory)) ? path.dirname(directory) : fallback;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
