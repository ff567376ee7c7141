/** The MCP clients whose configuration files the gate reads (see formats.ts for each one's rules). */
export type ClientFormat = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode' | 'windsurf';

/** How the client reaches the server: `auto` is a URL without a `type`, tried as Streamable HTTP, then SSE. */
export type EntryTransport = 'stdio' | 'streamable-http' | 'sse' | 'auto';

/** A placeholder the gate could not resolve, named by the key that holds it (`env.API_KEY`, `args[2]`). */
export interface UnresolvedPlaceholder {
  key: string;
  placeholder: string;
  /** Why, and what to do, in one sentence. */
  reason: string;
}

/** A syntax error of the file, at its 1-based line and column. */
export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
  /** A comment or a trailing comma: accepted by clients that read JSONC, fatal to those that read JSON. */
  jsoncOnly: boolean;
}

/** The configuration file an entry came from, with what applies to all its entries. */
export interface ConfigFile {
  /** As reports show it: relative to the workspace, with forward slashes. */
  file: string;
  absolutePath: string;
  format: ClientFormat;
  syntax: SyntaxProblem[];
  /** Why the file looks meant for Windows clients (a drive-letter path, `cmd /c`), when it does. */
  windowsEvidence?: string;
}

/**
 * One server of a client configuration, with placeholders resolved as its client resolves them (what
 * could not be resolved stays as written, and is listed in `unresolved`).
 */
export interface ConfiguredServer {
  name: string;
  source: ConfigFile;
  /** The line of the entry's name. */
  line: number;
  /** The line of each of the entry's own keys (`command`, `env`, …), for findings about one of them. */
  keyLines: Record<string, number>;
  transport: EntryTransport;
  command?: string;
  args: string[];
  /** The entry's `env` (with `envFile`'s variables under it), set on top of the environment. */
  env: Record<string, string>;
  /** The directory the server starts in; absent: the client's own, which the gate stands in for. */
  cwd?: string;
  url?: string;
  headers: Record<string, string>;
  unresolved: UnresolvedPlaceholder[];
  /** Lines of earlier entries of the same name, which the client silently drops for this one. */
  shadowedLines: number[];
  /** Disabled in the file (`"disabled": true`): run only when named. */
  disabled: boolean;
  /** Why the entry cannot become a target (neither `command` nor `url`, both, a wrong type). */
  problem?: string;
}
