import { explainExit, stderrBlock } from '../evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'launch.missing-config',
  title: 'The server has the configuration it needs',
  severity: 'error',
  description: 'Reads the stderr of a server that exited for a missing environment variable, API key or configuration file.',
  why: 'A server that needs a secret or a file works on the author\'s machine and dies in CI and in users\' clients, where they are not set.',
  fix: 'Set the variable in the step\'s `env:` (from `secrets.*` when it is a credential), or create the file in an earlier step. Document it in the server\'s README so users set it in their client configuration too.',
};

/**
 * Phrasings of common runtimes and libraries: "Missing environment variable FOO", "FOO is not set",
 * "KeyError: 'FOO'" (Python's os.environ), "ENOENT: no such file or directory, open 'config.json'".
 */
const VARIABLE_PATTERNS = [
  /(?:missing|required|undefined|unset)\s+(?:required\s+)?(?:environment\s+variable|env(?:ironment)?\s+var(?:iable)?|api[\s_-]?key)s?[\s:"'`]+([A-Za-z_][A-Za-z0-9_]*)/i,
  /(?:environment\s+variable|env\s+var)\s+["'`]?([A-Z_][A-Z0-9_]*)["'`]?\s+(?:is\s+)?(?:not\s+set|missing|required|undefined|must\s+be\s+set)/i,
  /\b([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{3,})\b["'`]?\s+(?:is\s+)?(?:not\s+set|missing|required|undefined|must\s+be\s+(?:set|provided))/,
  /KeyError:\s*['"]([A-Z_][A-Z0-9_]*)['"]/,
];
const FILE_PATTERNS = [
  /ENOENT: no such file or directory, (?:open|stat|access) '([^']+)'/,
  /FileNotFoundError: \[Errno 2\] No such file or directory: '([^']+)'/,
  /(?:config(?:uration)?\s+file)\s+["'`]?([^\s"'`]+)["'`]?\s+(?:not\s+found|does\s+not\s+exist|is\s+missing)/i,
];

export function findMissingConfig(lines: string[]): { kind: 'variable' | 'file'; name: string; line: string } | undefined {
  for (const line of lines) {
    for (const pattern of VARIABLE_PATTERNS) {
      const name = pattern.exec(line)?.[1];
      if (name) return { kind: 'variable', name, line };
    }
    for (const pattern of FILE_PATTERNS) {
      const name = pattern.exec(line)?.[1];
      if (name) return { kind: 'file', name, line };
    }
  }
  return undefined;
}

export const missingConfig: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.server !== undefined,
  run(context) {
    const exit = context.serverExit;
    if (!exit) return [];
    const missing = findMissingConfig(context.server?.stderrTail(200) ?? []);
    if (!missing) return [];
    const what = missing.kind === 'variable' ? `the environment variable ${missing.name}` : `the file ${missing.name}`;
    return [
      finding(meta, `The server ${explainExit(exit.info)} ${exit.phase}, and its stderr says it is missing ${what}:\n  ${missing.line.trim()}${stderrBlock(context)}`, {
        hint:
          missing.kind === 'variable'
            ? `Set ${missing.name} in the step's env: (e.g. \`${missing.name}: \${{ secrets.${missing.name} }}\`).`
            : `Create ${missing.name} in an earlier step, or check working-directory.`,
      }),
    ];
  },
};
