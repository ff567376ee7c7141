import { describeAnswer } from '../../session/http-answer.js';
import { findHttpListener } from '../../session/http-listener.js';
import { ANSWER_AFTER_LISTENER_MS } from '../../session/stdio-transport.js';
import { connectError, connectFailed } from '../support/evidence.js';
import { quoteError } from '../support/request-error.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';
import { answersAtTarget, describeAnswers, TRANSPORT_REQUEST } from '../support/transport-answers.js';

const meta: CheckMeta = {
  id: 'transport.mismatch',
  title: 'The server speaks the transport the gate uses',
  severity: 'error',
  since: '2025-03-26',
  description: `Recognises a forced \`transport\` that the server does not speak while it answers the other HTTP transport, and a stdio \`command\` that starts an HTTP server instead: one that prints its address ("Listening on http://localhost:3000") and sends nothing on stdout within ${ANSWER_AFTER_LISTENER_MS / 1000} s is not waited for until \`request-timeout\`.`,
  why: 'A client set up for the wrong transport never completes the handshake; it reports a time-out or "Connection closed" although the server itself is fine.',
  cause:
    'A forced `transport` the server does not speak (e.g. `sse` for a server that speaks only Streamable HTTP), or a `command` that starts an HTTP server, which waits on a port instead of speaking MCP on stdin/stdout.',
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
        `Seen: ${seen.length ? describeAnswers(seen) : 'no answer'} ("${quoteError(connectError(context))}"), ` +
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
        `The command started an HTTP server, not a stdio one: it printed "${text.trim()}" ${where}, and sent nothing on stdout in answer to initialize. Expected: JSON-RPC messages on stdout; seen: none.`,
        {
          hint: `Verify it as an HTTP server: move the command line to \`start\` and set \`url\` to its MCP endpoint, e.g. \`url: ${listener}\`. If it can also serve stdio, pass the flag or variable that selects it (often \`--stdio\` or \`TRANSPORT=stdio\`).`,
        },
      ),
    ];
  }
  return [];
}
