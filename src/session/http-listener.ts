import { isLoopback } from '../util/loopback.js';

/**
 * Recognises the line a web server prints once it listens ("Listening on http://localhost:3000",
 * "Uvicorn running on http://127.0.0.1:8000"): given as a stdio `command`, such a server prints it and
 * never answers on stdout.
 */

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
