import { ManagedProcess, type ExitInfo } from './process.js';
import type { Masker } from '../util/masker.js';
import { withinDeadline } from '../util/time.js';
import { credentialsInUrls } from '../util/url-credentials.js';

export interface CommandOutcome {
  commandLine: string;
  exit?: ExitInfo;
  timedOut: boolean;
  durationMs: number;
  /** Masked last lines of stdout and stderr together, for findings. */
  outputTail: string[];
  /** The server URL a deploy command printed, and why that one: see `chooseDeployUrl`. */
  url?: string;
  urlChosenBecause?: string;
}

const URL_PATTERN = /https?:\/\/[^\s"'<>`)\]]+/g;
/** The line a deploy script prints to name its server, as it would append it to $GITHUB_OUTPUT. */
const MARKED_LINE = /^\s*(?:export\s+)?MCP_URL=["']?(https?:\/\/[^\s"'<>`]+)/;
/** Paths MCP endpoints conventionally have: `/mcp`, `/sse`, with or without a trailing slash. */
const MCP_PATH = /\/(?:mcp|sse)\/?$/i;

export interface DeployUrl {
  url: string;
  because: string;
}

/**
 * The server a deploy command deployed, chosen the same way every time: the last `MCP_URL=…` line it
 * printed; else the last URL whose path looks like an MCP endpoint; else the last URL. Deploy tools end
 * with help and dashboard links, and whatever is chosen gets the run's credentials. Stdout is read
 * before stderr, where tools write their progress.
 */
export function chooseDeployUrl(stdout: string[], stderr: string[] = []): DeployUrl | undefined {
  for (const lines of [stdout, stderr]) {
    const marked = lines.map((line) => MARKED_LINE.exec(line)?.[1]).findLast(Boolean);
    if (marked) return { url: trimPunctuation(marked), because: 'the MCP_URL= line it printed' };
  }
  for (const lines of [stdout, stderr]) {
    const urls = lines.flatMap((line) => [...line.matchAll(URL_PATTERN)].map((match) => trimPunctuation(match[0])));
    const endpoint = urls.findLast(looksLikeMcpEndpoint);
    if (endpoint)
      return { url: endpoint, because: 'the last URL it printed whose path looks like an MCP endpoint (/mcp or /sse); print MCP_URL=<url> to choose another' };
    const last = urls.at(-1);
    if (last)
      return { url: last, because: 'the last URL it printed, as no MCP_URL= line and no /mcp or /sse path was printed; print MCP_URL=<url> to choose another' };
  }
  return undefined;
}

function trimPunctuation(url: string): string {
  return url.replace(/[.,;:]+$/, '');
}

function looksLikeMcpEndpoint(text: string): boolean {
  try {
    return MCP_PATH.test(new URL(text).pathname);
  } catch {
    return false;
  }
}

/** Runs a command that is expected to finish (deploy, teardown), bounded by `timeoutMs`. */
export async function runToCompletion(role: string, commandLine: string, cwd: string, timeoutMs: number, masker: Masker): Promise<CommandOutcome> {
  const child = new ManagedProcess({ role, commandLine, cwd, masker });
  child.stdin?.end();
  const exit = await withinDeadline(child.exited, timeoutMs);
  // Even a command that finished may have left background children in its group.
  await child.stop();
  // Chosen from the raw lines: masking replaces a URL's credentials (`?token=…`), and the gate must reach
  // the URL as printed. Those credentials are registered, so every later quote of it is masked.
  const chosen = chooseDeployUrl(child.stdout.tail(200), child.stderr.tail(200));
  for (const credential of credentialsInUrls(chosen?.url ?? '')) masker.add(credential);
  const stdout = child.stdoutTail(200);
  const stderr = child.stderrTail(200);
  return {
    commandLine,
    exit,
    timedOut: exit === undefined,
    durationMs: Math.round(performance.now() - child.startedAt),
    outputTail: [...stdout, ...stderr].slice(-40),
    url: chosen?.url,
    urlChosenBecause: chosen?.because,
  };
}
