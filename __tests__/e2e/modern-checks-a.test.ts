/**
 * Checks of the modern face (2026-07-28): discover.response, modern.unsupported-version,
 * modern.result-type, modern.removed-methods and lifecycle.legacy-rejected. Each fails on its violating
 * v2 fixture and passes on the good v2 servers, which pass the whole gate.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { CHECKS } from '../../src/checks/index.js';
import { runPreflight } from '../../src/engine.js';
import type { Report } from '../../src/report/report.js';
import { Masker } from '../../src/util/masker.js';
import { expectPass } from '../fixtures/gate.js';
import { writeConfig } from '../helpers/checklist.js';
import { everythingCommand, freePort, processesMatching, settingsFor, uniqueTag } from '../helpers/servers.js';
import { startV2Http, v2HttpCommand, v2StdioCommand, type V2Fixture } from '../helpers/v2-servers.js';

const MINE = ['discover.response', 'modern.unsupported-version', 'modern.result-type', 'modern.removed-methods', 'lifecycle.legacy-rejected'];

/** The notice on a modern-only server that refuses legacy clients as it should. */
const LEGACY_CLIENTS_TOLD = expect.stringMatching(/@modelcontextprotocol\/sdk 1\.x.*2025-11-25 or earlier.*-32022 naming 2026-07-28/s);

interface Run {
  report: Report;
  tag: string;
}

/** Runs the gate on a v2 fixture (tagged, so its processes can be looked for), with the checks named, or all. */
async function gate(fixture: V2Fixture, options: { faults?: string[]; only?: string[]; http?: boolean; config?: string } = {}): Promise<Run> {
  const tag = uniqueTag(fixture.replace(/[^a-z.-]/g, '-'));
  const checks = options.only ? CHECKS.filter((check) => options.only?.includes(check.meta.id)) : CHECKS;
  const raw = options.http
    ? await v2HttpCommand(fixture, options.faults).then(({ command, url }) => ({ start: `${command} ${JSON.stringify(tag)}`, url }))
    : { command: `${v2StdioCommand(fixture, options.faults)} ${JSON.stringify(tag)}` };
  const report = await runPreflight(settingsFor({ ...raw, ...(options.config ? { config: options.config } : {}) }), { masker: new Masker(), checks });
  return { report, tag };
}

function statusOf(report: Report, id: string): string | undefined {
  return report.checks.find((c) => c.id === id)?.status;
}

function findingsOf(report: Report, id: string) {
  return report.findings.filter((f) => f.id === id);
}

describe('the good v2 servers pass the whole gate, these checks included', () => {
  it.each([
    ['dual-stdio', false, 'dual'],
    ['dual-http', true, 'dual'],
    ['modern-stdio', false, 'modern'],
    ['modern-http', true, 'modern'],
  ] as const)('%s', async (fixture, overHttp, era) => {
    const { report, tag } = await gate(fixture, { http: overHttp });
    expectPass(report);
    expect(report.server?.era).toBe(era);
    for (const id of ['discover.response', 'modern.unsupported-version', 'modern.result-type', 'modern.removed-methods'])
      expect([id, statusOf(report, id)]).toEqual([id, 'pass']);
    expect(findingsOf(report, 'modern.removed-methods')).toEqual([]);
    // A dual-era server serves legacy clients: the notice is for modern-only ones.
    const legacyRejected = findingsOf(report, 'lifecycle.legacy-rejected').map((f) => [f.severity, f.message]);
    expect(legacyRejected).toEqual(era === 'dual' ? [] : [['notice', LEGACY_CLIENTS_TOLD]]);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('a legacy server: none of these checks applies', () => {
  it('server-everything over stdio skips them', async () => {
    const tag = uniqueTag('everything');
    const report = await runPreflight(settingsFor({ command: everythingCommand('stdio', tag) }), {
      masker: new Masker(),
      checks: CHECKS.filter((c) => MINE.includes(c.meta.id) || c.meta.id === 'tools.list'),
    });
    expect(report.server?.era).toBe('legacy');
    for (const id of MINE) expect([id, statusOf(report, id)]).toEqual([id, 'skip']);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('discover.response', () => {
  it('fails on a discover answer without ttlMs and cacheScope, and warns without serverInfo', async () => {
    const { report, tag } = await gate('violates:discover.response', { only: ['discover.response'] });
    const found = findingsOf(report, 'discover.response');
    expect(found.find((f) => f.severity === 'error')?.message).toMatch(/without ttlMs, cacheScope/);
    expect(found.find((f) => f.severity === 'warning')?.message).toMatch(/io\.modelcontextprotocol\/serverInfo/);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('fails on an empty supportedVersions, judged from the raw answer the client refused', async () => {
    const { report } = await gate('violates:discover.response', { faults: ['empty-versions'], only: ['discover.response'] });
    expect(findingsOf(report, 'discover.response').map((f) => f.message)).toEqual([expect.stringMatching(/supportedVersions: \[\].*at least one version/)]);
  });

  describe('an HTTP server whose discover probe fails while the legacy handshake works', () => {
    let upstream: string;
    let proxy: http.Server;
    let stopUpstream: () => Promise<void>;
    let proxyUrl: string;

    beforeAll(async () => {
      // A proxy in front of dual-http that answers every server/discover with 503: a server failure.
      const running = await startV2Http('dual-http');
      upstream = running.url;
      stopUpstream = () => running.stop();
      proxy = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          if (body.includes('"server/discover"')) {
            res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable');
            return;
          }
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'content-length')) as Record<
            string,
            string
          >;
          fetch(upstream, { method: req.method, headers, body: req.method === 'POST' ? body : undefined, signal: AbortSignal.timeout(10_000) })
            .then(async (answer) => {
              const passed: Record<string, string> = {};
              answer.headers.forEach((value, name) => (passed[name] = value));
              res.writeHead(answer.status, passed);
              res.end(Buffer.from(await answer.arrayBuffer()));
            })
            .catch(() => res.writeHead(502).end());
        });
      });
      const port = await freePort();
      await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${port}/mcp`;
    });

    afterAll(async () => {
      await new Promise((resolve) => proxy.close(resolve));
      proxy.closeAllConnections();
      await stopUpstream();
    });

    it('warns that a 5xx is a server failure, not evidence of legacy', async () => {
      const report = await runPreflight(settingsFor({ url: proxyUrl }), {
        masker: new Masker(),
        checks: CHECKS.filter((c) => c.meta.id === 'discover.response'),
      });
      expect(report.server?.era).toBe('legacy');
      const [warning] = findingsOf(report, 'discover.response');
      expect(warning).toMatchObject({ severity: 'warning' });
      expect(warning.message).toMatch(/got HTTP 503.*no evidence that the server speaks only the legacy era/s);
    });
  });
});

describe('modern.unsupported-version', () => {
  it.each([['wrong-code'], ['serve']])('fails over HTTP when an unknown version gets %s', async (fault) => {
    const { report, tag } = await gate('violates:modern.unsupported-version', { http: true, faults: [fault], only: ['modern.unsupported-version'] });
    const [error] = findingsOf(report, 'modern.unsupported-version');
    expect(error.severity).toBe('error');
    expect(error.message).toMatch(fault === 'serve' ? /2099-01-01 was served/ : /HTTP 200 with error -32600 "Invalid request", not -32022/);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('modern.result-type', () => {
  it('names the methods whose results lack resultType', async () => {
    const { report, tag } = await gate('violates:modern.result-type', { only: ['tools.list', 'prompts.list', 'modern.result-type'] });
    const [error] = findingsOf(report, 'modern.result-type');
    expect(error.severity).toBe('error');
    expect(error.message).toMatch(/carry no resultType: .*tools\/list.*prompts\/list/);
    expect(error.message).not.toMatch(/server\/discover/);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('modern.removed-methods', () => {
  it('warns on answered ping and logging/setLevel, and fails on an unasked log message', async () => {
    // The fixture logs on tools/call: a declared smoke call makes the gate call a tool.
    const { file, remove } = writeConfig({ calls: [{ tool: 'add', arguments: { a: 1, b: 2 }, expect: { textContains: '3' } }] });
    const { report, tag } = await gate('violates:modern.removed-methods', { only: ['tools.call', 'modern.removed-methods'], config: file }).finally(remove);
    expect(statusOf(report, 'tools.call')).toBe('pass');
    const found = findingsOf(report, 'modern.removed-methods');
    expect(found.filter((f) => f.severity === 'warning').map((f) => f.message)).toEqual([
      expect.stringMatching(/^ping in the modern era was answered with a result/),
      expect.stringMatching(/^logging\/setLevel in the modern era was answered with a result/),
    ]);
    expect(found.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([
      expect.stringMatching(/notifications\/message during tools\/call.*asked for a log level/),
    ]);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('lifecycle.legacy-rejected', () => {
  it('warns when a modern-only server refuses legacy clients without naming its versions', async () => {
    const { report, tag } = await gate('violates:lifecycle.legacy-rejected', { only: ['lifecycle.legacy-rejected'] });
    expect(report.server?.era).toBe('modern');
    const [warning] = findingsOf(report, 'lifecycle.legacy-rejected');
    expect(warning.severity).toBe('warning');
    expect(warning.message).toMatch(/not told why: initialize got error -32601 "Method not found"/);
    expect(processesMatching(tag)).toEqual([]);
  });
});
