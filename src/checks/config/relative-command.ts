import path from 'node:path';
import { clientOf, describeEntry, entryLocation, entryOf, programName } from '../support/server-config.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'config.relative-command',
  title: 'Paths in a desktop client configuration are absolute',
  severity: 'warning',
  description:
    'For clients that start servers in a directory the file does not control (Claude Desktop, Windsurf), looks for a relative `command` path, or a relative script given to an interpreter (`node build/index.js`), in an entry without `cwd`.',
  why: 'Claude Desktop starts servers in / on macOS, not in the project: a relative path that works in a terminal is not found there, and the server exits before its first message.',
  fix: 'Give the absolute path (e.g. /Users/me/project/build/index.js, or C:\\\\Users\\\\me\\\\project\\\\build\\\\index.js on Windows).',
};

/** Programs whose first argument is the script they run. */
const INTERPRETERS = new Set(['node', 'nodejs', 'python', 'python3', 'deno', 'bun', 'tsx', 'ts-node', 'ruby', 'php', 'java']);
const SCRIPT = /\.(?:[cm]?[jt]sx?|py|rb|php|jar)$/i;

function isRelativePath(text: string): boolean {
  return !path.isAbsolute(text) && !path.win32.isAbsolute(text) && !/^~(?:$|[\\/])/.test(text);
}

/** The entry's relative path that the client resolves against its own directory: the command, or the interpreter's script. */
function relativePathOf(command: string, args: string[]): { key: string; value: string } | undefined {
  if (/[\\/]/.test(command) && isRelativePath(command)) return { key: 'command', value: command };
  if (!INTERPRETERS.has(programName(command))) return undefined;
  // `java -jar app.jar`, `python -u server.py`: the script is the first argument that is not an option.
  const script = args.find((arg) => !arg.startsWith('-'));
  if (script && SCRIPT.test(script) && isRelativePath(script)) return { key: 'args', value: script };
  return undefined;
}

export const relativeCommand: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => entryOf(context)?.transport === 'stdio',
  run(context) {
    const entry = entryOf(context);
    if (!entry?.command || entry.cwd || !clientOf(entry).unknownDirectory) return [];
    const relative = relativePathOf(entry.command, entry.args);
    if (!relative) return [];
    const where = path.resolve(context.settings.workingDirectory, relative.value);
    return [
      finding(
        meta,
        `The server ${describeEntry(entry, relative.key)} names the relative path "${relative.value}". ${clientOf(entry).label} resolves it against the directory it starts servers in (/ on macOS), not the project; the gate ran it from ${context.settings.workingDirectory}, where it means ${where}.`,
        { location: entryLocation(entry, relative.key), hint: `Write the absolute path, e.g. "${where}".` },
      ),
    ];
  },
};
