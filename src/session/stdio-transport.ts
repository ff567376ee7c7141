import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ManagedProcess, type LaunchOptions } from '../target/process.js';
import { withinDeadline } from '../util/time.js';

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
  private pending = '';
  private lineNumber = 0;
  private discardingOversizedLine = false;

  constructor(private readonly launch: Omit<LaunchOptions, 'stdoutIsProtocol'>) {}

  async start(): Promise<void> {
    const child = new ManagedProcess({ ...this.launch, stdoutIsProtocol: true });
    this.process = child;
    child.protocolOutput?.setEncoding('utf8').on('data', (chunk: string) => this.receive(chunk));
    void child.exited.then(() => {
      this.flushPartialLine();
      this.onclose?.();
    });
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
    let text = this.pending + chunk;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const line = text.slice(0, newline).replace(/\r$/, '');
      text = text.slice(newline + 1);
      if (this.discardingOversizedLine) {
        this.discardingOversizedLine = false;
      } else {
        this.handleLine(line);
      }
      newline = text.indexOf('\n');
    }
    if (text.length > MAX_LINE_BYTES) {
      // One enormous line must not exhaust memory: note it and skip to its end.
      this.lineNumber += 1;
      this.recordNoise(`${text.slice(0, NOISE_TEXT_LENGTH)}… [a line of more than ${MAX_LINE_BYTES} bytes]`);
      this.discardingOversizedLine = true;
      text = '';
    }
    this.pending = text;
  }

  private flushPartialLine(): void {
    if (this.pending && !this.discardingOversizedLine) this.handleLine(this.pending);
    this.pending = '';
  }

  private handleLine(line: string): void {
    this.lineNumber += 1;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch {
      this.recordNoise(line);
      return;
    }
    this.messageCount += 1;
    this.onmessage?.(message);
  }

  private recordNoise(line: string): void {
    this.noiseLineCount += 1;
    if (this.noise.length >= NOISE_KEPT) return;
    const text = line.length > NOISE_TEXT_LENGTH ? `${line.slice(0, NOISE_TEXT_LENGTH)}…` : line;
    this.noise.push({ lineNumber: this.lineNumber, text, beforeFirstMessage: this.messageCount === 0 });
  }
}
