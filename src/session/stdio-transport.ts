import { type Transport, deserializeMessage, serializeMessage, type JSONRPCMessage } from '@modelcontextprotocol/client';
import type { Settings } from '../settings.js';
import { ManagedProcess, type LaunchOptions } from '../target/process.js';
import type { Masker } from '../util/masker.js';
import { withinDeadline } from '../util/time.js';
import { findHttpListener } from './http-listener.js';

/**
 * How the stdio server of these settings is started: the `command` line through the shell, or a client
 * configuration's entry as its program and arguments, with its environment and directory.
 */
export function stdioLaunch(settings: Settings, role: string, masker: Masker): Omit<LaunchOptions, 'stdoutIsProtocol'> {
  const launch = { role, commandLine: settings.command ?? '', cwd: settings.workingDirectory, masker };
  const entry = settings.serverConfig;
  if (entry?.transport !== 'stdio' || entry.command === undefined) return launch;
  return { ...launch, argv: [entry.command, ...entry.args], env: entry.env, cwd: entry.cwd ?? launch.cwd };
}

/** A line on a stdio server's stdout that is not a JSON-RPC message. */
export interface StdoutNoise {
  lineNumber: number;
  text: string;
  /** Printed before the server's first JSON-RPC message, i.e. while the client waited for the handshake. */
  beforeFirstMessage: boolean;
}

const MAX_LINE_BYTES = 16 * 1024 * 1024;
const NOISE_KEPT = 20;
const NOISE_TEXT_LENGTH = 300;
const STDIN_CLOSE_GRACE_MS = 1000;
const EXIT_AFTER_EOF_GRACE_MS = 300;
/**
 * How long a server that printed an HTTP listener line has to send its first message on stdout. A stdio
 * server with a side port (metrics, an OAuth callback) answers within it; a web server given as a stdio
 * command never does, and waiting out the whole request-timeout for it would tell nothing more.
 */
export const ANSWER_AFTER_LISTENER_MS = 2000;

/** A server that announced an HTTP listener and then sent nothing on stdout: a web server, not a stdio one. */
export class HttpServerInstead extends Error {
  constructor(readonly where: 'stdout' | 'stderr') {
    super(`no answer to initialize: the server printed on ${where} that it listens for HTTP, then sent nothing on stdout for ${ANSWER_AFTER_LISTENER_MS} ms`);
  }
}

/**
 * The stdio transport, run through the gate's own process launcher.
 *
 * The SDK's transport silently drops stdout lines it cannot parse and spawns the server outside a process
 * group; the gate needs both the dropped lines (they break other clients) and the group (to end
 * everything the server started). Parsing and framing still come from the SDK.
 */
export class ProcessStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  process?: ManagedProcess;
  readonly noise: StdoutNoise[] = [];
  noiseLineCount = 0;
  messageCount = 0;
  /** The server closed its stdout while the process kept running. */
  stdoutClosedWhileRunning = false;
  /** The unterminated end of the output, in chunks, so one long line costs linear time to assemble. */
  private pending: string[] = [];
  private pendingLength = 0;
  private lineNumber = 0;
  private discardingOversizedLine = false;
  private channelClosed = false;
  private listenerTimer?: NodeJS.Timeout;
  private announceServesHttp?: (error: HttpServerInstead) => void;
  /** Settles only for a server that printed an HTTP listener line and sent no message within ANSWER_AFTER_LISTENER_MS. */
  readonly servesHttpInstead = new Promise<HttpServerInstead>((resolve) => (this.announceServesHttp = resolve));

  constructor(private readonly launch: Omit<LaunchOptions, 'stdoutIsProtocol'>) {}

  // eslint-disable-next-line @typescript-eslint/require-await -- async so a spawn that throws becomes the rejection the Transport contract expects
  async start(): Promise<void> {
    const child = new ManagedProcess({ ...this.launch, stdoutIsProtocol: true });
    this.process = child;
    const stdout = child.protocolOutput?.setEncoding('utf8');
    stdout?.on('data', (chunk: string) => this.receive(chunk));
    stdout?.once('end', () => void this.closeWhenStdoutEnds(child));
    child.stderr.onLine((line) => this.watchForListener(line, 'stderr'));
    void child.exited.then(() => this.closeChannel());
  }

  private watchForListener(line: string, where: 'stdout' | 'stderr'): void {
    if (this.messageCount > 0 || this.channelClosed || this.listenerTimer || !findHttpListener(line)) return;
    this.listenerTimer = setTimeout(() => this.announceServesHttp?.(new HttpServerInstead(where)), ANSWER_AFTER_LISTENER_MS);
    // Only a handshake in progress waits for it; it must not keep the gate alive.
    this.listenerTimer.unref();
  }

  /**
   * A server may close stdout and keep running; clients then see "Connection closed". Its exit usually
   * follows at once, and waiting a moment for it lets the evidence tell an exit from a closed channel.
   */
  private async closeWhenStdoutEnds(child: ManagedProcess): Promise<void> {
    await withinDeadline(child.exited, EXIT_AFTER_EOF_GRACE_MS);
    if (!child.exit) this.stdoutClosedWhileRunning = true;
    this.closeChannel();
  }

  /** A failed write or a closed channel usually means the process is exiting; its exit is the better evidence. */
  async awaitExitUnderWay(): Promise<void> {
    const child = this.process;
    if (child && !child.exit && !this.stdoutClosedWhileRunning) await withinDeadline(child.exited, EXIT_AFTER_EOF_GRACE_MS);
  }

  private closeChannel(): void {
    if (this.channelClosed) return;
    this.channelClosed = true;
    clearTimeout(this.listenerTimer);
    this.flushPartialLine();
    this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.process?.stdin;
    if (!stdin || this.process?.exit) throw new Error('the server process is not running');
    await new Promise<void>((resolve, reject) => {
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Closes stdin first, as the spec's shutdown sequence asks, then ends the group. */
  async close(): Promise<void> {
    const child = this.process;
    if (!child) return;
    child.stdin?.end();
    await withinDeadline(child.exited, STDIN_CLOSE_GRACE_MS);
    await child.stop();
  }

  private receive(chunk: string): void {
    let from = 0;
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', from)) {
      this.takePending(chunk.slice(from, newline));
      from = newline + 1;
    }
    if (from < chunk.length) this.keepPending(chunk.slice(from));
  }

  /** Completes the line the pending chunks began. */
  private takePending(end: string): void {
    const line = (this.pending.join('') + end).replace(/\r$/, '');
    const skipped = this.discardingOversizedLine;
    this.pending = [];
    this.pendingLength = 0;
    this.discardingOversizedLine = false;
    if (!skipped) this.handleLine(line);
  }

  private keepPending(text: string): void {
    if (this.discardingOversizedLine) return;
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength <= MAX_LINE_BYTES) return;
    // One enormous line must not exhaust memory: note it and skip to its end.
    this.lineNumber += 1;
    const start = this.pending.join('').slice(0, NOISE_TEXT_LENGTH + 1);
    this.recordNoise(start, ` [one line of more than ${MAX_LINE_BYTES} characters, skipped]`);
    this.discardingOversizedLine = true;
    this.pending = [];
    this.pendingLength = 0;
  }

  private flushPartialLine(): void {
    if (this.pending.length && !this.discardingOversizedLine) this.handleLine(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }

  private handleLine(line: string): void {
    this.lineNumber += 1;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch {
      this.recordNoise(line);
      this.watchForListener(line, 'stdout');
      return;
    }
    this.messageCount += 1;
    clearTimeout(this.listenerTimer);
    this.onmessage?.(message);
  }

  private recordNoise(line: string, note = ''): void {
    this.noiseLineCount += 1;
    if (this.noise.length >= NOISE_KEPT) return;
    const text = line.length > NOISE_TEXT_LENGTH ? `${line.slice(0, NOISE_TEXT_LENGTH)}…` : line;
    this.noise.push({ lineNumber: this.lineNumber, text: text + note, beforeFirstMessage: this.messageCount === 0 });
  }
}
