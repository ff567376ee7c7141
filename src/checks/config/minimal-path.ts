import { accessSync, constants, openSync, readSync, closeSync, statSync } from 'node:fs';
import path from 'node:path';
import { clientOf, describeEntry, entryLocation, entryOf } from '../support/server-config.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'config.minimal-path',
  title: 'The command is found on the PATH a desktop app gets',
  severity: 'notice',
  description:
    "Resolves the entry's command (and the interpreter its #! line asks for, such as node for npx) against the PATH macOS gives an app started from the Dock or Finder, /usr/bin:/bin:/usr/sbin:/sbin, unless the entry sets PATH itself.",
  why: 'Claude Desktop does not read your shell profile: npx, node or uvx installed by Homebrew, nvm, Volta or pipx are found in a terminal and not by the app, which reports only "Connection closed" or "spawn npx ENOENT".',
  fix: 'Give the command\'s absolute path (`which npx` prints it), or set PATH in the entry\'s env to include its directory, e.g. "PATH": "/opt/homebrew/bin:/usr/bin:/bin".',
};

/** The PATH launchd gives applications on macOS. */
export const MINIMAL_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';
/** A #! line is short; reading more would only read the script. */
const SHEBANG_BYTES = 256;

/** Where a bare program name is found on a PATH, as execvp finds it. */
export function findOnPath(program: string, searchPath: string): string | undefined {
  for (const directory of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(directory, program);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here; the next directory.
    }
  }
  return undefined;
}

/** `#!/usr/bin/env node` asks for node on the PATH too; other #! lines name their interpreter's path. */
function envInterpreterOf(file: string): string | undefined {
  const buffer = Buffer.alloc(SHEBANG_BYTES);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const text = buffer.subarray(0, readSync(descriptor, buffer, 0, SHEBANG_BYTES, 0)).toString('latin1');
    const match = /^#!\s*\S*\/env\s+(?:-S\s+)?([^\s-][^\s]*)/.exec(text);
    return match?.[1];
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

interface Missing {
  program: string;
  foundAt: string;
  neededBy?: string;
}

/** What the minimal PATH lacks that the gate's PATH has: the command, or the interpreter its #! line names. */
function missingOnMinimalPath(command: string, minimal: string, full: string): Missing | undefined {
  const found = findOnPath(command, full);
  if (!found) return undefined;
  const onMinimal = findOnPath(command, minimal);
  if (!onMinimal) return { program: command, foundAt: found };
  const interpreter = envInterpreterOf(onMinimal);
  if (!interpreter || findOnPath(interpreter, minimal)) return undefined;
  const interpreterAt = findOnPath(interpreter, full);
  return interpreterAt ? { program: interpreter, foundAt: interpreterAt, neededBy: onMinimal } : undefined;
}

export const minimalPath: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => entryOf(context)?.transport === 'stdio' && process.platform !== 'win32',
  run(context) {
    const entry = entryOf(context);
    if (!entry?.command || /[\\/]/.test(entry.command) || !clientOf(entry).minimalPath) return [];
    const minimal = entry.env.PATH ?? MINIMAL_PATH;
    const missing = missingOnMinimalPath(entry.command, minimal, process.env.PATH ?? '');
    if (!missing) return [];
    const what = missing.neededBy ? `"${entry.command}" is at ${missing.neededBy}, but its #! line asks for ${missing.program}, which` : `"${missing.program}"`;
    return [
      finding(
        meta,
        `The server ${describeEntry(entry, 'command')} runs "${entry.command}". Started from the Dock or Finder on macOS, ${clientOf(entry).label} gives servers PATH=${minimal}, where ${what} is not found; here it was found at ${missing.foundAt}, through the gate's PATH.`,
        {
          location: entryLocation(entry, 'command'),
          hint: missing.neededBy
            ? `Set "PATH": "${path.dirname(missing.foundAt)}:${MINIMAL_PATH}" in the entry's env, or run "${missing.foundAt}" with the script's path as its first argument.`
            : `Write "command": "${missing.foundAt}" (the absolute path on the user's machine, which \`which ${missing.program}\` prints), or set "PATH": "${path.dirname(missing.foundAt)}:${MINIMAL_PATH}" in the entry's env.`,
        },
      ),
    ];
  },
};
