import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FORMATS } from './formats.js';
import type { ClientFormat, UnresolvedPlaceholder } from './types.js';

/** What placeholders resolve against: the gate's environment and the places the client knows. */
export interface ExpansionContext {
  format: ClientFormat;
  env: NodeJS.ProcessEnv;
  workspaceFolder: string;
  home: string;
  /** VS Code's declared `inputs`, by id, with their descriptions. */
  inputs: Map<string, string | undefined>;
}

export interface Expanded {
  value: string;
  unresolved: UnresolvedPlaceholder[];
}

/**
 * The variable a run sets to answer VS Code's `${input:id}`, which VS Code asks the user for and a CI
 * job cannot: `${input:api-key}` reads MCP_PREFLIGHT_INPUT_API_KEY.
 */
export function inputVariable(id: string): string {
  return `MCP_PREFLIGHT_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** Claude Code's forms: `${VAR}` and `${VAR:-default}`. */
const SHELL_STYLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
/** VS Code, Cursor and Windsurf: `${name}` and `${kind:argument}`. */
const EDITOR_STYLE = /\$\{([^}]+)\}/g;

/** `text` with its placeholders resolved as the entry's client resolves them; `key` names where it sits. */
export function expand(text: string, key: string, context: ExpansionContext): Expanded {
  const unresolved: UnresolvedPlaceholder[] = [];
  const miss = (placeholder: string, reason: string, keep = placeholder) => {
    unresolved.push({ key, placeholder, reason });
    return keep;
  };
  if (context.format === 'claude-desktop') {
    for (const match of text.matchAll(EDITOR_STYLE)) {
      miss(
        match[0],
        `${FORMATS[context.format].label} does not expand placeholders: the server receives "${match[0]}" as written. Put the value itself in the file, or use a client that expands variables.`,
      );
    }
    return { value: text, unresolved };
  }
  if (context.format === 'claude-code') {
    const value = text.replace(SHELL_STYLE, (whole, name: string, fallback: string | undefined) => {
      const set = context.env[name];
      if (set) return set;
      if (fallback !== undefined) return fallback;
      return miss(
        whole,
        `${name} is not set and has no default; Claude Code refuses the file then. Set ${name} in the step's env: (from secrets.* for a credential), or write \${${name}:-default}.`,
      );
    });
    return { value, unresolved };
  }
  const value = text.replace(EDITOR_STYLE, (whole, body: string) => resolveEditorVariable(whole, body.trim(), context, miss));
  return { value, unresolved };
}

function resolveEditorVariable(
  whole: string,
  body: string,
  context: ExpansionContext,
  miss: (placeholder: string, reason: string, keep?: string) => string,
): string {
  const label = FORMATS[context.format].label;
  const colon = body.indexOf(':');
  const [kind, argument] = colon < 0 ? [body, ''] : [body.slice(0, colon), body.slice(colon + 1)];
  if (kind === 'env' && argument) {
    const set = context.env[argument];
    if (set !== undefined) return set;
    // VS Code passes an unset variable as an empty string; the others leave it to the server to notice.
    return miss(
      whole,
      `${argument} is not set in the gate's environment. Set it in the step's env: (from secrets.* for a credential).`,
      context.format === 'vscode' ? '' : whole,
    );
  }
  if (kind === 'input' && context.format === 'vscode') return resolveInput(whole, argument, context, miss);
  if (kind === 'file' && context.format === 'windsurf' && argument) return readPlaceholderFile(whole, argument, context, miss);
  const predefined = predefinedVariable(kind, context);
  if (colon < 0 && predefined !== undefined) return predefined;
  return miss(
    whole,
    `${whole} is not a variable the gate can resolve for ${label}; replace it with the value, or with \${env:NAME} and set NAME in the step's env:.`,
  );
}

function resolveInput(whole: string, id: string, context: ExpansionContext, miss: (placeholder: string, reason: string) => string): string {
  const variable = inputVariable(id);
  if (!context.inputs.has(id)) {
    return miss(whole, `no input with id "${id}" is declared in "inputs", so VS Code cannot ask for it either. Declare it, or fix the id.`);
  }
  const given = context.env[variable];
  if (given !== undefined) return given;
  const description = context.inputs.get(id);
  return miss(
    whole,
    `VS Code asks the user for input "${id}"${description ? ` (${description})` : ''}; a CI run cannot. Set ${variable} in the step's env: (from secrets.* for a credential).`,
  );
}

function readPlaceholderFile(whole: string, file: string, context: ExpansionContext, miss: (placeholder: string, reason: string) => string): string {
  const absolute = path.resolve(context.workspaceFolder, file.replace(/^~(?=$|[\\/])/, context.home));
  try {
    return readFileSync(absolute, 'utf8').trim();
  } catch (error) {
    return miss(whole, `${absolute} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); create it in an earlier step.`);
  }
}

/** VS Code's and Cursor's predefined variables that a file can name without a running editor. */
function predefinedVariable(name: string, context: ExpansionContext): string | undefined {
  switch (name) {
    case 'workspaceFolder':
      return context.workspaceFolder;
    case 'workspaceFolderBasename':
      return path.basename(context.workspaceFolder);
    case 'userHome':
      return context.home;
    case 'pathSeparator':
    case '/':
      return path.sep;
    default:
      return undefined;
  }
}

/**
 * The variables of an `envFile`, read as dotenv files are: `KEY=value` lines, an optional `export `, quotes,
 * `#` comments; a double-quoted value may hold `\n`.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    variables[match[1]] = unquote(match[2].trim());
  }
  return variables;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'" || quote === '`') && value.lastIndexOf(quote) > 0) {
    const inner = value.slice(1, value.lastIndexOf(quote));
    return quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
  }
  return value.replace(/\s+#.*$/, '');
}
