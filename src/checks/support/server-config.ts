import { FORMATS, type FormatRules } from '../../servers-config/formats.js';
import type { ConfiguredServer } from '../../servers-config/types.js';
import type { CheckContext, Location } from '../types.js';

/** Helpers of the config.* checks, which lint the client configuration entry a target was read from. */

export function entryOf(context: CheckContext): ConfiguredServer | undefined {
  return context.settings.serverConfig;
}

export function hasEntry(context: CheckContext): boolean {
  return context.settings.serverConfig !== undefined;
}

export function clientOf(entry: ConfiguredServer): FormatRules {
  return FORMATS[entry.source.format];
}

/** The line of the entry's `key` (`command`, `env`), else of its name. */
export function entryLocation(entry: ConfiguredServer, key?: string): Location {
  return { file: entry.source.file, startLine: (key && entry.keyLines[key]) || entry.line };
}

/** `"github" (.vscode/mcp.json:12)`: which entry, for a person with several files open. */
export function describeEntry(entry: ConfiguredServer, key?: string): string {
  return `"${entry.name}" (${entry.source.file}:${entryLocation(entry, key).startLine})`;
}

/** The program's name without its directory and, on Windows, its extension: `C:\\x\\npx.cmd` is `npx`. */
export function programName(command: string): string {
  return (command.split(/[\\/]/).at(-1) ?? command).replace(/\.(?:cmd|exe|bat|ps1)$/i, '').toLowerCase();
}
