import { describeAnswer } from '../../session/http-answer.js';
import { isLoopback } from '../../util/loopback.js';
import { connectError, connectFailed } from '../evidence.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';
import { answersAtTarget, describeAnswers, TRANSPORT_REQUEST } from './answers.js';

const meta: CheckMeta = {
  id: 'transport.mismatch',
  title: 'The server speaks the transport the gate uses',
  severity: 'error',
  since: '2025-03-26',
  description:
    'Recognises a forced `transport` that the server does not speak while it answers the other HTTP transport, and a stdio `command` that starts an HTTP server instead.',
  why: 'A client set up for the wrong transport never completes the handshake; it reports a time-out or "Connection closed" although the server itself is fine.',
  fix: 'Set `transport` to the one the server speaks, or to `auto`. For a server that listens on a port, use `start` and `url` instead of `command`.',
  specUrl: specUrl('2025-11-25', 'basic/transports'),
};

export const mismatch: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.connect !== undefined,
  run(context) {
    if (!connectFailed(context)) return [];
    return context.connect?.stdio ? checkStdio(context) : checkForcedTransport(context);
  },
};

function checkForcedTransport(context: CheckContext): Finding[] {
  const forced = context.settings.transport;
  if (forced !== 'streamable-http' && forced !== 'sse') return [];
  const answers = answersAtTarget(context);
  const other = answers.find((a) => a.probed && a.transport !== forced && a.speaksMcp);
  if (!other) return [];
  const seen = answers.filter((a) => a.transport === forced);
  const expected = TRANSPORT_REQUEST[forced];
  const works = TRANSPORT_REQUEST[other.transport];
  const endpointEvent = other.transport === 'sse' ? ' with an `endpoint` event' : '';
  return [
    finding(
      meta,
      `transport is set to ${forced}, but ${other.url} speaks ${works.label}. Expected: ${expected.label}, where ${expected.how}. ` +
        `Seen: ${seen.length ? describeAnswers(seen) : 'no answer'} ("${connectError(context)?.message}"), ` +
        `while ${works.method} (${works.label}) -> ${describeAnswer(other)}${endpointEvent}.`,
      { hint: `Set \`transport: ${other.transport}\`, or \`transport: auto\`, which tries Streamable HTTP and falls back to HTTP+SSE.` },
    ),
  ];
}

function checkStdio(context: CheckContext): Finding[] {
  const stdio = context.connect?.stdio;
  if (!stdio || stdio.messageCount > 0) return [];
  const stdout = stdio.noise.map((n) => ({ text: n.text, where: `on stdout (line ${n.lineNumber})` }));
  const stderr = (stdio.process?.stderrTail(200) ?? []).map((text) => ({ text, where: 'on stderr' }));
  for (const { text, where } of [...stdout, ...stderr]) {
    const listener = findHttpListener(text);
    if (!listener) continue;
    return [
      finding(
        meta,
        `The command started an HTTP server, not a stdio one: it printed "${text.trim()}" ${where}, and never answered initialize on stdin. Expected: JSON-RPC messages on stdout; seen: none.`,
        {
          hint: `Verify it as an HTTP server: move the command line to \`start\` and set \`url\` to its MCP endpoint, e.g. \`url: ${listener}\`. If it can also serve stdio, pass the flag or variable that selects it (often \`--stdio\` or \`TRANSPORT=stdio\`).`,
        },
      ),
    ];
  }
  return [];
}

const LISTENING = /\b(?:listen(?:s|ing)?|running|serving|started|available|ready)\b/i;
const PRINTED_URL = /\bhttps?:\/\/[^\s"'<>`]+/i;
/** "listening on 3000", "on port: 3000", "on 0.0.0.0:3000", "at [::]:3000", "on :3000". */
const PRINTED_PORT = /\b(?:on|at)\s+(?:port\s*:?\s*|[\w.-]*:|\[[0-9a-f:]*\]:)?(\d{2,5})\b/i;

/**
 * The MCP URL a line like "Server listening on http://localhost:3000" or "running on port 3000" points
 * to, at /mcp unless it names a path; undefined for any other line. A loopback host the line names is
 * kept (a server with a Host allow-list accepts only that name); any other, or none, becomes 127.0.0.1.
 */
export function findHttpListener(line: string): string | undefined {
  if (!LISTENING.test(line)) return undefined;
  const printed = PRINTED_URL.exec(line)?.[0].replace(/[.,;:)]+$/, '');
  const port = printed ? urlPort(printed) : PRINTED_PORT.exec(line)?.[1];
  // Ports below 80 are almost always the seconds of a timestamp ("started at 10:42:17").
  if (port === undefined || Number(port) < 80 || Number(port) > 65535) return undefined;
  const printedUrl = printed ? new URL(printed) : undefined;
  const host = printedUrl && isLoopback(printedUrl) ? printedUrl.hostname : '127.0.0.1';
  const path = printedUrl?.pathname ?? '/';
  return `http://${host}:${port}${path === '/' ? '/mcp' : path}`;
}

function urlPort(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.port || (url.protocol === 'https:' ? '443' : '80');
  } catch {
    return undefined;
  }
}
