import { connectFailed } from '../support/evidence.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'stdio.stdout-pollution',
  title: 'stdout carries only JSON-RPC messages',
  severity: 'error',
  since: '2024-11-05',
  description: "Reads every line of a stdio server's stdout and reports those that are not JSON-RPC messages.",
  why: 'On stdio, stdout is the protocol channel: stray log lines break the handshake or make strict clients drop the connection.',
  cause:
    '`console.log` or `print` in the server or a library it loads, a start-up banner, or a wrapper (npm, npx, a shell script) writing to stdout before or between the JSON-RPC messages.',
  fix: 'Log to stderr instead: `console.error` in Node.js, `logging` to `sys.stderr` in Python, `os.Stderr` in Go. Silence banners from tools the command runs (e.g. `npm --silent`, `npx -y`).',
  specUrl: specUrl('2025-11-25', 'basic/transports#stdio'),
};

export const stdoutPollution: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.connect?.stdio !== undefined,
  run(context) {
    const stdio = context.connect?.stdio;
    if (!stdio || stdio.noise.length === 0) return [];
    const failed = connectFailed(context);
    const precededHandshake = stdio.noise.some((n) => n.beforeFirstMessage);
    const shown = stdio.noise.slice(0, 5).map((n) => `  line ${n.lineNumber}: ${n.text}`);
    const more = stdio.noiseLineCount > shown.length ? `\n  … ${stdio.noiseLineCount - shown.length} more` : '';
    const when = failed
      ? 'and the handshake failed'
      : precededHandshake
        ? 'before its first JSON-RPC message; this client coped, stricter ones fail'
        : 'after the handshake; clients may drop these lines or the connection';
    return [
      finding(meta, `${stdio.noiseLineCount} line(s) on stdout were not JSON-RPC messages, ${when}:\n${shown.join('\n')}${more}`, {
        severity: failed || precededHandshake ? 'error' : 'warning',
      }),
    ];
  },
};
