import { clientOf, describeEntry, entryLocation, entryOf, programName } from '../support/server-config.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'config.windows-npx',
  title: 'On Windows, npx-style commands run through cmd /c',
  severity: 'warning',
  description:
    'In a client configuration meant for Windows (a drive-letter path, %APPDATA%, another entry using cmd, or the gate running on Windows), looks for a `command` of npx, npm, pnpm or yarn for a client that starts it without a shell.',
  why: 'On Windows npx is a batch shim (npx.cmd), which a program started without a shell cannot run: the client gets nothing on stdin/stdout and reports an instant "Connection closed". It is the most reported cause of that error on Windows.',
  fix: 'Write `"command": "cmd"` and put `"/c", "npx"` before the arguments: `"args": ["/c", "npx", "-y", "<package>"]`. Or give the full path of node.exe with the package\'s script.',
};

/**
 * Package runners installed as .cmd shims on Windows. uvx is left out: uv installs uvx.exe, which a
 * program started without a shell finds like any executable.
 */
const SHIMS = new Set(['npx', 'npm', 'pnpm', 'pnpx', 'yarn']);

export const windowsNpx: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => entryOf(context)?.transport === 'stdio',
  run(context) {
    const entry = entryOf(context);
    const evidence = entry?.source.windowsEvidence;
    if (!entry?.command || !evidence || !clientOf(entry).spawnsWithoutShellOnWindows) return [];
    const program = programName(entry.command);
    if (!SHIMS.has(program)) return [];
    const fixed = JSON.stringify(['/c', entry.command, ...entry.args]);
    return [
      finding(
        meta,
        `The server ${describeEntry(entry, 'command')} runs "${entry.command}" directly, and this file is meant for Windows (${evidence}). ${clientOf(entry).label} starts the command without a shell, which cannot run ${program}.cmd: the server never starts and the client shows "Connection closed".`,
        { location: entryLocation(entry, 'command'), hint: `Write "command": "cmd", "args": ${fixed}.` },
      ),
    ];
  },
};
