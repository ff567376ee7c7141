// A Streamable HTTP "server" on 127.0.0.1 written with node:http alone, for abuse no SDK server would
// send: endless bodies, huge pages, absurd nesting. It answers initialize, notifications and ping
// itself and hands every other request to the test's `answer`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RpcRequest {
  id?: string | number;
  method: string;
  params?: Record<string, unknown>;
}

/** Writes the answer to `request`; return false to get the default (method not found). */
export type Answer = (request: RpcRequest, res: http.ServerResponse) => boolean;

export interface HostileServer {
  url: string;
  close(): Promise<void>;
}

export const TOOLS_CAPABILITY = { tools: { listChanged: true } };

export function sendJson(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
}

export function result(id: RpcRequest['id'], value: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result: value });
}

/** Writes `head`, then `unit` for as long as the client reads, honouring back-pressure. */
export function writeEndless(res: http.ServerResponse, contentType: string, head: string, unit: string): void {
  res.writeHead(200, { 'content-type': contentType });
  res.write(head);
  const pump = () => {
    while (!res.destroyed && res.write(unit));
  };
  res.on('drain', pump);
  res.on('close', () => res.off('drain', pump));
  pump();
}

/** `capabilities` is JSON text: a test may send nesting no JSON.stringify can write. */
export async function startHostileServer(answer: Answer, capabilities = JSON.stringify(TOOLS_CAPABILITY)): Promise<HostileServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RpcRequest;
      if (request.id === undefined) {
        res.writeHead(202).end();
      } else if (request.method === 'initialize') {
        const requested = (request.params?.protocolVersion as string) ?? '2025-06-18';
        const serverInfo = JSON.stringify({ name: 'hostile', version: '1.0.0' });
        sendJson(res, `{"jsonrpc":"2.0","id":${JSON.stringify(request.id)},"result":{"protocolVersion":${JSON.stringify(requested)},"capabilities":${capabilities},"serverInfo":${serverInfo}}}`);
      } else if (request.method === 'ping') {
        sendJson(res, result(request.id, {}));
      } else if (!answer(request, res)) {
        sendJson(res, { jsonrpc: '2.0', id: request.id, error: { code: -32601, message: `no ${request.method} here` } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The highest resident set size seen while `run` runs, above the one before it, in MiB. */
export async function peakGrowthMiB<T>(run: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const value = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMiB: Math.round((peak - before) / 1024 / 1024) };
  } finally {
    clearInterval(sampler);
  }
}
