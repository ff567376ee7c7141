import type { LiveIdentity, Reached } from '../../registry/rules.js';
import type { ServerJsonFile } from '../../registry/server-json.js';
import type { CheckContext, Location } from '../types.js';

/** The official MCP Registry's requirements for server.json, which the registry.* checks cite. */
export const REGISTRY_REQUIREMENTS_URL =
  'https://github.com/modelcontextprotocol/registry/blob/main/docs/reference/server-json/official-registry-requirements.md';
/** SEP-2127, MCP Server Cards, which the card.* checks cite. */
export const SERVER_CARD_SEP_URL = 'https://github.com/modelcontextprotocol/modelcontextprotocol/pull/2127';

export function hasServerJson(context: CheckContext): boolean {
  return context.settings.serverJson !== undefined;
}

export function serverJsonOf(context: CheckContext): ServerJsonFile | undefined {
  return context.settings.serverJson;
}

/** Findings about server.json point at it, relative to the workspace as annotations need. */
export function serverJsonLocation(context: CheckContext, file = context.settings.serverJson?.file): Location | undefined {
  if (!file) return undefined;
  const relative = file.startsWith(context.settings.workspace) ? file.slice(context.settings.workspace.length).replace(/^[\\/]+/, '') : file;
  return { file: relative.split('\\').join('/'), startLine: 1 };
}

/**
 * The name and version the live server gives. Legacy servers: serverInfo in the initialize result. (A
 * modern server's server/discover result carries the same object under _meta io.modelcontextprotocol/serverInfo;
 * the comparison takes either.)
 */
export function liveIdentityOf(context: CheckContext): LiveIdentity | undefined {
  const session = context.session;
  const info = session?.serverInfo as { name?: unknown; version?: unknown } | undefined;
  if (!session || !info) return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);
  const source = session.era === 'modern' ? 'serverInfo in the server/discover result' : 'serverInfo in the initialize result';
  return { name: text(info.name), version: text(info.version), source };
}

/** How the gate reached the server: the connected transport, or stdio for a command that never connected. */
export function reachedOf(context: CheckContext): Reached | undefined {
  const transport = context.session?.transportName ?? (context.settings.command ? 'stdio' : undefined);
  if (!transport) return undefined;
  return { transport, url: transport === 'stdio' ? undefined : context.targetUrl };
}
