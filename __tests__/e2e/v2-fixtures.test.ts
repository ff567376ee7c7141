/**
 * The v2 fixture servers do what they claim: the good ones connect in the era(s) they speak with the
 * bare v2 SDK client, and each violating fixture shows its one defect where the corresponding good
 * server does not. Raw exchanges (stdio lines, fetch) show what the SDK client would hide.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { processesMatching, uniqueTag } from '../helpers/servers.js';
import {
  pythonWithModernMcp,
  startV2Http,
  v2FixturePath,
  v2HttpCommand,
  v2PythonStdio,
  v2StdioCommand,
  v2StdioParams,
  type RunningHttpFixture,
  type V2Fixture,
} from '../helpers/v2-servers.js';

const MODERN = '2026-07-28';
const WAIT_MS = 10_000;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Mode = 'legacy' | 'auto' | { pin: string };

function meta(version = MODERN, extra: Json = {}): Json {
  return {
    'io.modelcontextprotocol/protocolVersion': version,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'v2-fixtures-test', version: '1.0.0' },
    ...extra,
  };
}

const INITIALIZE = {
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'v2-fixtures-test', version: '1.0.0' } },
};

function newClient(mode: Mode): Client {
  return new Client({ name: 'v2-fixtures-test', version: '1.0.0' }, { versionNegotiation: { mode, probe: { timeoutMs: WAIT_MS } } } as ConstructorParameters<
    typeof Client
  >[1]);
}

/** Connects a bare SDK client in `mode`, runs `body`, and always closes it (ending a stdio child). */
async function withClient<T>(fixture: V2Fixture | { url: string }, mode: Mode, body: (client: Client) => Promise<T>, faults?: readonly string[]): Promise<T> {
  const client = newClient(mode);
  const transport =
    typeof fixture === 'string' ? new StdioClientTransport(v2StdioParams(fixture, faults)) : new StreamableHTTPClientTransport(new URL(fixture.url));
  try {
    await client.connect(transport, { timeout: WAIT_MS });
    return await body(client);
  } finally {
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
  }
}

/** Rejects with the reason `connect` failed, or throws if it succeeded. */
async function connectFailure(fixture: V2Fixture | { url: string }, mode: Mode): Promise<Error> {
  try {
    await withClient(fixture, mode, async () => undefined);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`a ${JSON.stringify(mode)} client connected to ${JSON.stringify(fixture)}`);
}

/** A stdio fixture driven by hand, line by line, with every wait bounded. */
class RawStdio {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: Json[] = [];
  private buffer = '';
  private nextId = 1;
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(fixture: V2Fixture, faults?: readonly string[]) {
    const params = v2StdioParams(fixture, faults);
    this.child = spawn(params.command, params.args, { env: params.env, stdio: 'pipe' });
    this.child.stderr.resume();
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        if (line) this.messages.push(JSON.parse(line));
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.once('exit', () => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves with the first message `match` accepts, or rejects after `timeoutMs`. */
  async waitFor(match: (message: Json) => boolean, timeoutMs = WAIT_MS): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.child.exitCode !== null) throw new Error(`the fixture exited (${this.child.exitCode}) before answering`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(message: Json): void {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  }

  /** Sends a request and resolves with its response (result or error). */
  async request(method: string, params: Json = {}, version = MODERN): Promise<Json> {
    const id = this.nextId++;
    const withMeta = method === 'initialize' ? params : { ...params, _meta: { ...meta(version), ...(params._meta ?? {}) } };
    this.send({ id, method, params: withMeta });
    return this.waitFor((message) => message.id === id && !('method' in message));
  }

  /** Closes stdin, then SIGTERM and SIGKILL if it lingers; resolves once the process is gone. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.end();
      const timer = setTimeout(() => this.child.kill('SIGTERM'), 2_000);
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
      clearTimeout(kill);
    }
  }
}

async function withRaw<T>(fixture: V2Fixture, body: (raw: RawStdio) => Promise<T>, faults?: readonly string[]): Promise<T> {
  const raw = new RawStdio(fixture, faults);
  try {
    return await body(raw);
  } finally {
    await raw.stop();
  }
}

const NAMED: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/** POSTs one JSON-RPC request; `headers` override the standard ones (undefined removes one). */
async function post(
  url: string,
  method: string,
  params: Json = {},
  options: { version?: string; headers?: Record<string, string | undefined>; legacy?: boolean } = {},
): Promise<{ status: number; headers: Headers; body: Json | undefined }> {
  const version = options.version ?? MODERN;
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  let body: Json;
  if (options.legacy) {
    body = { jsonrpc: '2.0', id: 1, method, params };
  } else {
    body = { jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: meta(version) } };
    headers['mcp-protocol-version'] = version;
    headers['mcp-method'] = method;
    if (NAMED[method]) headers['mcp-name'] = String(params[NAMED[method]]);
  }
  Object.assign(headers, options.headers ?? {});
  const sent = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(url, { method: 'POST', headers: sent, body: JSON.stringify(body), signal: AbortSignal.timeout(WAIT_MS) });
  const text = await response.text();
  let parsed: Json | undefined;
  if (text) {
    const data = response.headers.get('content-type')?.includes('text/event-stream')
      ? text
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .at(-1)
      : text;
    parsed = data ? JSON.parse(data) : undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

const toolNames = (result: Json): string[] => (result.tools as Json[]).map((tool) => tool.name as string);

describe('v2 fixture servers', () => {
  const http: Partial<Record<V2Fixture, RunningHttpFixture>> = {};
  const HTTP_FIXTURES: V2Fixture[] = [
    'dual-http',
    'modern-http',
    'violates:modern.unsupported-version',
    'violates:modern.stateless',
    'violates:http.standard-headers',
    'violates:tools.param-headers',
  ];
  const url = (fixture: V2Fixture): string => {
    const running = http[fixture];
    if (!running) throw new Error(`${fixture} is not running`);
    return running.url;
  };

  beforeAll(async () => {
    const started = await Promise.allSettled(HTTP_FIXTURES.map((fixture) => startV2Http(fixture)));
    started.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') http[HTTP_FIXTURES[index]] = outcome.value;
    });
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }, 60_000);

  afterAll(async () => {
    const running = Object.values(http).filter((fixture) => fixture !== undefined);
    await Promise.all(running.map((fixture) => fixture.stop()));
    expect(running.flatMap((fixture) => processesMatching(fixture.tag))).toEqual([]);
  }, 30_000);

  describe('the helpers', () => {
    it('build a stdio command and an HTTP start command on a loopback port', async () => {
      expect(v2StdioCommand('dual-stdio')).toContain(JSON.stringify(v2FixturePath('dual-stdio')));
      expect(v2StdioCommand('violates:subscriptions.listen', ['silent'])).toMatch(/^MISBEHAVE="silent" /);
      const started = await v2HttpCommand('dual-http');
      expect(started.url).toBe(`http://127.0.0.1:${started.port}/mcp`);
      expect(started.command).toMatch(new RegExp(`^PORT="${started.port}" "node" "--import" `));
      expect(() => v2StdioCommand('dual-http')).toThrow(/HTTP/);
    });
  });

  describe('good servers', () => {
    const surface = async (client: Client): Promise<void> => {
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toEqual(['add', 'lookup']);
      for (const tool of tools.tools) {
        expect(tool.inputSchema.type).toBe('object');
        expect(tool.outputSchema?.type).toBe('object');
      }
      expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(['greeting']);
      expect((await client.listResources()).resources.map((resource) => resource.uri)).toEqual(['note://readme']);
      expect((await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate)).toEqual(['note://{id}']);
      const call = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
      expect(call.structuredContent).toEqual({ sum: 5 });
      const lookup = await client.callTool({ name: 'lookup', arguments: { region: 'us-west1' } });
      expect(lookup.structuredContent).toEqual({ region: 'us-west1', datacentre: 'us-west1-dc1' });
    };

    it.each([['dual-stdio'], ['dual-http']] as const)('%s serves both eras with the same surface', async (fixture) => {
      const target = fixture === 'dual-http' ? { url: url(fixture) } : fixture;
      await withClient(target, 'auto', async (client) => {
        expect(client.getProtocolEra()).toBe('modern');
        expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
        await surface(client);
      });
      await withClient(target, { pin: MODERN }, async (client) => expect(client.getProtocolEra()).toBe('modern'));
      await withClient(target, 'legacy', async (client) => {
        expect(client.getProtocolEra()).toBe('legacy');
        expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
        await surface(client);
      });
    });

    it.each([['modern-stdio'], ['modern-http']] as const)('%s serves the modern era and refuses legacy clients', async (fixture) => {
      const target = fixture === 'modern-http' ? { url: url(fixture) } : fixture;
      await withClient(target, 'auto', async (client) => {
        expect(client.getProtocolEra()).toBe('modern');
        await surface(client);
      });
      const refused = await connectFailure(target, 'legacy');
      expect(String(refused)).toMatch(/2026-07-28|Unsupported protocol version/);
    });

    it('modern-stdio answers a legacy initialize with -32022 naming its versions and stays open', async () => {
      await withRaw('modern-stdio', async (raw) => {
        const answer = await raw.request('initialize', INITIALIZE.params);
        expect(answer.error).toMatchObject({ code: -32022, data: { supported: [MODERN] } });
        const discover = await raw.request('server/discover');
        expect(discover.result.supportedVersions).toEqual([MODERN]);
      });
    });

    it('modern-http answers a legacy initialize with 400 and -32022 naming its versions', async () => {
      const answer = await post(url('modern-http'), 'initialize', INITIALIZE.params, { legacy: true });
      expect(answer.status).toBe(400);
      expect(answer.body?.error).toMatchObject({ code: -32022, data: { supported: [MODERN] } });
    });

    it('exits-before-initialize is legacy: it exits on a server/discover probe, and auto mode falls back', async () => {
      const code = await withRaw('exits-before-initialize', async (raw) => {
        raw.send({ id: 1, method: 'server/discover', params: { _meta: meta() } });
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), WAIT_MS)));
        return Promise.race([raw.exited, late]).finally(() => clearTimeout(timer));
      });
      expect(code).toBe(1);
      await withClient('exits-before-initialize', 'auto', async (client) => {
        expect(client.getProtocolEra()).toBe('legacy');
        expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['add', 'lookup']);
      });
      await withClient('exits-before-initialize', 'legacy', async (client) => expect(client.getProtocolEra()).toBe('legacy'));
      await connectFailure('exits-before-initialize', { pin: MODERN });
    });
  });

  describe('violating fixtures, each beside its good server', () => {
    it('discover.response: server/discover without ttlMs, cacheScope and serverInfo, or with no versions', async () => {
      await withRaw('dual-stdio', async (raw) => {
        const { result } = await raw.request('server/discover');
        expect(result).toMatchObject({ resultType: 'complete', supportedVersions: [MODERN], ttlMs: 0, cacheScope: 'private' });
        expect(result._meta['io.modelcontextprotocol/serverInfo']).toEqual({ name: 'dual-stdio', version: '1.0.0' });
      });
      await withRaw('violates:discover.response', async (raw) => {
        const { result } = await raw.request('server/discover');
        expect(result.supportedVersions).toEqual([MODERN]);
        expect(result).not.toHaveProperty('ttlMs');
        expect(result).not.toHaveProperty('cacheScope');
        expect(result).not.toHaveProperty('_meta');
      });
      await withRaw('violates:discover.response', async (raw) => expect((await raw.request('server/discover')).result.supportedVersions).toEqual([]), [
        'empty-versions',
      ]);
      // The default defects leave the server reachable in the modern era, so a gate gets to the check.
      await withClient('violates:discover.response', 'auto', async (client) => expect(client.getProtocolEra()).toBe('modern'));
    });

    it('modern.unsupported-version: an unknown version gets 200 and -32600, or is served', async () => {
      const good = await post(url('dual-http'), 'tools/list', {}, { version: '2099-01-01' });
      expect(good.status).toBe(400);
      expect(good.body?.error).toMatchObject({ code: -32022, data: { supported: [MODERN], requested: '2099-01-01' } });
      const bad = await post(url('violates:modern.unsupported-version'), 'tools/list', {}, { version: '2099-01-01' });
      expect(bad.status).toBe(200);
      expect(bad.body?.error).toEqual({ code: -32600, message: 'Invalid request' });
      const served = await startV2Http('violates:modern.unsupported-version', ['serve']);
      try {
        const answer = await post(served.url, 'tools/list', {}, { version: '2099-01-01' });
        expect(answer.status).toBe(200);
        expect(toolNames(answer.body?.result)).toEqual(['add', 'lookup']);
      } finally {
        await served.stop();
      }
      await withClient({ url: url('violates:modern.unsupported-version') }, 'auto', async (client) => expect(client.getProtocolEra()).toBe('modern'));
    });

    it('modern.unsupported-version over stdio: the v2 SDK refuses an unknown version only until a request pins the connection', async () => {
      await withRaw('dual-stdio', async (raw) => {
        const opening = await raw.request('tools/list', {}, '2099-01-01');
        expect(opening.error).toMatchObject({ code: -32022, data: { supported: [MODERN] } });
        // server/discover does not pin the connection: the refusal still comes.
        await raw.request('server/discover');
        expect((await raw.request('tools/list', {}, '2099-01-01')).error).toMatchObject({ code: -32022 });
      });
      // Once another request has pinned the connection to 2026-07-28, serveStdio (2.4.0) serves a request
      // stamped with an unknown version instead of refusing it: a check must send its probe in a process
      // of its own, before any request other than server/discover.
      await withRaw('dual-stdio', async (raw) => {
        await raw.request('tools/list');
        expect((await raw.request('tools/list', {}, '2099-01-01')).result).toBeDefined();
      });
    });

    it('modern.result-type: modern results other than server/discover carry no resultType', async () => {
      const exchange = async (raw: RawStdio): Promise<Json[]> => [
        await raw.request('server/discover'),
        await raw.request('tools/list'),
        await raw.request('resources/read', { uri: 'note://readme' }),
        await raw.request('tools/call', { name: 'add', arguments: { a: 1, b: 2 } }),
      ];
      const good = await withRaw('dual-stdio', exchange);
      expect(good.map((answer) => answer.result.resultType)).toEqual(['complete', 'complete', 'complete', 'complete']);
      const bad = await withRaw('violates:modern.result-type', exchange);
      expect(bad.map((answer) => answer.result.resultType)).toEqual(['complete', undefined, undefined, undefined]);
      // The SDK client connects (discover is intact) and then refuses the results.
      await withClient('violates:modern.result-type', { pin: MODERN }, async (client) => {
        await expect(client.listTools()).rejects.toThrow();
      });
    });

    it('modern.stateless: an Mcp-Session-Id on modern answers (HTTP)', async () => {
      const good = await post(url('dual-http'), 'server/discover');
      expect(good.status).toBe(200);
      expect(good.headers.get('mcp-session-id')).toBeNull();
      const bad = await post(url('violates:modern.stateless'), 'server/discover');
      expect(bad.status).toBe(200);
      expect(bad.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('modern.stateless: two processes list different tools (stdio)', async () => {
      const list = (fixture: V2Fixture) => withRaw(fixture, async (raw) => toolNames((await raw.request('tools/list')).result));
      const [good1, good2] = [await list('dual-stdio'), await list('dual-stdio')];
      expect(good1).toEqual(good2);
      const [bad1, bad2] = [await list('violates:modern.stateless-stdio'), await list('violates:modern.stateless-stdio')];
      expect(bad1).not.toEqual(bad2);
      expect(bad1.filter((name) => name.startsWith('session-'))).toHaveLength(1);
    });

    it('modern.list-order: tools/list changes order between two calls', async () => {
      const twice = (fixture: V2Fixture) =>
        withRaw(fixture, async (raw) => [toolNames((await raw.request('tools/list')).result), toolNames((await raw.request('tools/list')).result)]);
      const [good1, good2] = await twice('dual-stdio');
      expect(good1).toEqual(good2);
      const [bad1, bad2] = await twice('violates:modern.list-order');
      expect(bad1).toEqual([...bad2].reverse());
      expect(bad1).not.toEqual(bad2);
    });

    it('modern.cache-hints: list and read results without ttlMs and cacheScope', async () => {
      const reads = async (raw: RawStdio): Promise<Json[]> => [
        (await raw.request('tools/list')).result,
        (await raw.request('prompts/list')).result,
        (await raw.request('resources/list')).result,
        (await raw.request('resources/templates/list')).result,
        (await raw.request('resources/read', { uri: 'note://readme' })).result,
      ];
      const good = await withRaw('dual-stdio', reads);
      for (const result of good) {
        expect(typeof result.ttlMs).toBe('number');
        expect(['public', 'private']).toContain(result.cacheScope);
      }
      expect(good[0]).toMatchObject({ ttlMs: 60_000, cacheScope: 'public' });
      const bad = await withRaw('violates:modern.cache-hints', reads);
      for (const result of bad) {
        expect(result).not.toHaveProperty('ttlMs');
        expect(result).not.toHaveProperty('cacheScope');
      }
      // server/discover keeps its hints: only this check's defect shows.
      await withRaw('violates:modern.cache-hints', async (raw) => expect((await raw.request('server/discover')).result).toHaveProperty('ttlMs'));
    });

    it('modern.removed-methods: ping and logging/setLevel answered, notifications/message unasked', async () => {
      const exchange = async (raw: RawStdio): Promise<{ ping: Json; setLevel: Json; logs: Json[] }> => {
        const ping = await raw.request('ping');
        const setLevel = await raw.request('logging/setLevel', { level: 'debug' });
        await raw.request('tools/call', { name: 'add', arguments: { a: 1, b: 2 } });
        return { ping, setLevel, logs: raw.messages.filter((message) => message.method === 'notifications/message') };
      };
      const good = await withRaw('dual-stdio', exchange);
      expect(good.ping.error).toMatchObject({ code: -32601 });
      expect(good.setLevel.error).toMatchObject({ code: -32601 });
      expect(good.logs).toEqual([]);
      const bad = await withRaw('violates:modern.removed-methods', exchange);
      expect(bad.ping.result).toMatchObject({ resultType: 'complete' });
      expect(bad.setLevel.result).toMatchObject({ resultType: 'complete' });
      expect(bad.logs).toHaveLength(1);
      // Over HTTP a good server answers a removed method 404 with -32601.
      const httpPing = await post(url('dual-http'), 'ping');
      expect(httpPing.status).toBe(404);
      expect(httpPing.body?.error).toMatchObject({ code: -32601 });
      // The legacy era keeps ping on the violator.
      await withRaw('violates:modern.removed-methods', async (raw) => {
        await raw.request('initialize', INITIALIZE.params);
        raw.send({ method: 'notifications/initialized' });
        raw.send({ id: 99, method: 'ping' });
        expect((await raw.waitFor((message) => message.id === 99)).result).toEqual({});
      });
    });

    it('http.standard-headers: requests without Mcp-Method, or with a mismatched Mcp-Name, are served', async () => {
      const missing = { headers: { 'mcp-method': undefined } };
      const mismatched = { headers: { 'mcp-name': 'lookup' } };
      const addCall = { name: 'add', arguments: { a: 1, b: 2 } };
      const good = [await post(url('dual-http'), 'server/discover', {}, missing), await post(url('dual-http'), 'tools/call', addCall, mismatched)];
      for (const answer of good) {
        expect(answer.status).toBe(400);
        expect(answer.body?.error).toMatchObject({ code: -32020 });
      }
      const target = url('violates:http.standard-headers');
      const bad = [
        await post(target, 'server/discover', {}, missing),
        await post(target, 'tools/call', addCall, mismatched),
        await post(target, 'tools/call', addCall, { headers: { 'mcp-method': 'tools/list' } }),
      ];
      for (const answer of bad) {
        expect(answer.status).toBe(200);
        expect(answer.body?.result).toBeDefined();
      }
    });

    it('tools.param-headers: tools whose x-mcp-header breaks the MUSTs, which a conforming client drops', async () => {
      const listed = await post(url('violates:tools.param-headers'), 'tools/list');
      const tools = listed.body?.result.tools as Json[];
      const header = (name: string) =>
        Object.values(tools.find((tool) => tool.name === name)?.inputSchema.properties ?? {}).map((p) => (p as Json)['x-mcp-header']);
      expect(header('bad-token')).toEqual(['Tenant Id']);
      expect(header('object-param')).toEqual(['Filter']);
      expect(header('number-param')).toEqual(['Ratio']);
      expect(header('duplicate')).toEqual(['Zone', 'zone']);
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        await withClient({ url: url('violates:tools.param-headers') }, 'auto', async (client) => {
          expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['add', 'lookup']);
        });
        const warned = warn.mock.calls.map((call) => String(call[0])).join('\n');
        for (const name of ['bad-token', 'object-param', 'number-param', 'duplicate']) expect(warned).toContain(`excluding tool '${name}'`);
      } finally {
        warn.mockRestore();
      }
      // The good server's one declaration is valid and mirrored: the call passes the SDK's header check.
      await withClient({ url: url('dual-http') }, 'auto', async (client) => {
        const { tools: goodTools } = await client.listTools();
        expect(goodTools.map((tool) => tool.name)).toEqual(['add', 'lookup']);
        expect((await client.callTool({ name: 'lookup', arguments: { region: 'eu-north1' } })).isError).toBeFalsy();
      });
      const unmirrored = await post(url('dual-http'), 'tools/call', { name: 'lookup', arguments: { region: 'eu-north1' } });
      expect(unmirrored.status).toBe(400);
      expect(unmirrored.body?.error).toMatchObject({ code: -32020 });
    });

    it('resources.not-found: an unknown URI gets -32002, or success', async () => {
      const read = (fixture: V2Fixture, faults?: string[]) =>
        withRaw(fixture, async (raw) => raw.request('resources/read', { uri: 'note://not-a-note' }), faults);
      expect((await read('dual-stdio')).error).toMatchObject({ code: -32602, data: { uri: 'note://not-a-note' } });
      expect((await read('violates:resources.not-found')).error).toMatchObject({ code: -32002 });
      expect((await read('violates:resources.not-found', ['success'])).result).toMatchObject({ contents: [] });
      // Note for the check: the v2 SDK answers -32602 in the legacy era too (2025-11-25 says -32002).
      await withRaw('dual-stdio', async (raw) => {
        await raw.request('initialize', INITIALIZE.params);
        raw.send({ method: 'notifications/initialized' });
        raw.send({ id: 99, method: 'resources/read', params: { uri: 'note://not-a-note' } });
        expect((await raw.waitFor((message) => message.id === 99)).error).toMatchObject({ code: -32602 });
      });
    });

    it('subscriptions.listen: listChanged advertised, but subscriptions/listen is not acknowledged', async () => {
      const listen = { notifications: { toolsListChanged: true } };
      await withRaw('dual-stdio', async (raw) => {
        const { result } = await raw.request('server/discover');
        expect(result.capabilities.tools).toEqual({ listChanged: true });
        raw.send({ id: 50, method: 'subscriptions/listen', params: { ...listen, _meta: meta() } });
        const ack = await raw.waitFor((message) => message.method === 'notifications/subscriptions/acknowledged');
        expect(ack.params._meta['io.modelcontextprotocol/subscriptionId']).toBe(50);
      });
      await withRaw('violates:subscriptions.listen', async (raw) => {
        expect((await raw.request('server/discover')).result.capabilities.tools).toEqual({ listChanged: true });
        expect((await raw.request('subscriptions/listen', listen)).error).toMatchObject({ code: -32601 });
        expect(raw.messages.some((message) => message.method === 'notifications/subscriptions/acknowledged')).toBe(false);
      });
      await withRaw(
        'violates:subscriptions.listen',
        async (raw) => {
          raw.send({ id: 7, method: 'subscriptions/listen', params: { ...listen, _meta: meta() } });
          const answered = (message: Json) => message.id === 7 || message.method === 'notifications/subscriptions/acknowledged';
          await expect(raw.waitFor(answered, 2_000)).rejects.toThrow(/no matching message/);
        },
        ['silent'],
      );
    }, 60_000);

    it('lifecycle.legacy-rejected: a legacy initialize gets a vague error naming no version', async () => {
      const good = await withRaw('modern-stdio', (raw) => raw.request('initialize', INITIALIZE.params));
      expect(good.error).toMatchObject({ code: -32022, data: { supported: [MODERN] } });
      const bad = await withRaw('violates:lifecycle.legacy-rejected', (raw) => raw.request('initialize', INITIALIZE.params));
      expect(bad.error).toEqual({ code: -32601, message: 'Method not found' });
      const refused = await connectFailure('violates:lifecycle.legacy-rejected', 'legacy');
      expect(String(refused)).not.toMatch(/2026-07-28/);
      await withClient('violates:lifecycle.legacy-rejected', 'auto', async (client) => expect(client.getProtocolEra()).toBe('modern'));
    });
  });

  // The Python SDK (`mcp` 2.3) speaks 2026-07-28 too; run when a Python with it is at hand (MCP_PYTHON).
  const python = pythonWithModernMcp();
  (python ? describe : describe.skip)('a Python SDK server', () => {
    it('python-dual-stdio serves both eras to the bare v2 client', async () => {
      const tag = uniqueTag('python-bare-client');
      const { params } = v2PythonStdio(python ?? 'python3', tag);
      for (const mode of ['auto', 'legacy'] as const) {
        const client = newClient(mode);
        const transport = new StdioClientTransport({ ...params, stderr: 'pipe' });
        try {
          await client.connect(transport, { timeout: WAIT_MS });
          expect(client.getProtocolEra()).toBe(mode === 'auto' ? 'modern' : 'legacy');
          expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['add']);
          expect((await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).isError).toBeFalsy();
        } finally {
          await client.close().catch(() => undefined);
        }
      }
      expect(processesMatching(tag)).toEqual([]);
    }, 60_000);
  });
});
