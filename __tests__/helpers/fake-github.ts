import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeComment {
  id: number;
  /** "owner/repo#number" */
  issue: string;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  author_association: string;
  html_url: string;
}

/**
 * How the fake answers: `ok` serves the routes; `forbidden` answers every request as GitHub does
 * for a read-only token; `stall` never answers, for time-outs.
 */
export type FakeMode = 'ok' | 'forbidden' | 'stall';

export const BOT = { login: 'github-actions[bot]', type: 'Bot' } as const;

const LIST_OR_CREATE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const UPDATE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;

/** A stand-in for the GitHub REST API's issue-comment routes, on 127.0.0.1, recording every request. */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments: FakeComment[] = [];
  mode: FakeMode = 'ok';
  private nextId = 1000;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGitHub> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeGitHub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  /** A comment already on the pull request, as another run or another person left it. */
  seed(issue: string, body: string, user: FakeComment['user'] = BOT, association = 'NONE'): FakeComment {
    const [repo, number] = issue.split('#');
    const id = this.nextId++;
    const comment = { id, issue, body, user, author_association: association, html_url: `https://github.com/${repo}/pull/${number}#issuecomment-${id}` };
    this.comments.push(comment);
    return comment;
  }

  commentsOn(issue: string): FakeComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  reset(): void {
    this.requests.length = 0;
    this.comments.length = 0;
    this.mode = 'ok';
  }

  async close(): Promise<void> {
    // Stalled requests keep their sockets open; close() alone would wait for them forever.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined });
    if (this.mode === 'stall') return;
    if (this.mode === 'forbidden')
      return send(res, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
    const url = new URL(req.url ?? '/', this.url);
    const listOrCreate = LIST_OR_CREATE.exec(url.pathname);
    const update = UPDATE.exec(url.pathname);
    if (listOrCreate && req.method === 'GET') return this.list(url, `${listOrCreate[1]}/${listOrCreate[2]}#${listOrCreate[3]}`, res);
    if (listOrCreate && req.method === 'POST') return send(res, 201, this.seed(`${listOrCreate[1]}/${listOrCreate[2]}#${listOrCreate[3]}`, bodyOf(text), BOT));
    if (update && req.method === 'PATCH') return this.update(Number(update[3]), bodyOf(text), res);
    send(res, 404, { message: 'Not Found' });
  }

  /** Pages as GitHub does: `per_page` and `page`, with a Link header to the next page. */
  private list(url: URL, issue: string, res: ServerResponse): void {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = this.commentsOn(issue);
    if (page * perPage < all.length) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      res.setHeader('link', `<${next.href}>; rel="next"`);
    }
    send(res, 200, all.slice((page - 1) * perPage, page * perPage));
  }

  private update(id: number, body: string, res: ServerResponse): void {
    const comment = this.comments.find((c) => c.id === id);
    if (!comment) return send(res, 404, { message: 'Not Found' });
    comment.body = body;
    send(res, 200, comment);
  }
}

function bodyOf(text: string): string {
  return (JSON.parse(text) as { body: string }).body;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.once('end', () => resolve(text));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
