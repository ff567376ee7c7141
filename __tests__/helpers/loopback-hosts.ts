// Small HTTP servers on different loopback addresses: each address is an origin of its own, so "another
// host" is modelled without a single packet leaving the machine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LoopbackHost {
  origin: string;
  /** Every request the host received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

type Handler = (request: RecordedRequest, response: http.ServerResponse, origin: string) => void;

/** A server on `address` (127.0.0.1, 127.0.0.2, …) that records every request and answers with `handler`, 404 by default. */
export function startHost(address: string, handler: Handler = (_, response) => response.writeHead(404).end()): Promise<LoopbackHost> {
  const requests: RecordedRequest[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      handler(request, res, origin);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, address, () => {
      origin = `http://${address}:${(server.address() as AddressInfo).port}`;
      resolve({
        origin,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
