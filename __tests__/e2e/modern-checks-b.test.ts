import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/checks/types.js';
import { runPreflight } from '../../src/engine.js';
import type { Report } from '../../src/report/report.js';
import { Masker } from '../../src/util/masker.js';
import { expectPass } from '../fixtures/gate.js';
import { processesMatching, settingsFor, uniqueTag } from '../helpers/servers.js';
import { v2HttpCommand, v2StdioCommand, v2Transport, type V2Fixture } from '../helpers/v2-servers.js';

/**
 * The modern-era checks of issue 10 (second half): each fails on its violating v2 fixture and passes on
 * the good v2 server of the same transport.
 */
function check(id: string): Check {
  const found = CHECKS.find((c) => c.meta.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

async function gate(fixture: V2Fixture, ids: string[] | 'all', options: { faults?: string[]; requestTimeout?: string } = {}): Promise<Report> {
  const tag = uniqueTag(fixture.replace(/[^a-z.-]/g, '-'));
  const timeout = { 'request-timeout': options.requestTimeout ?? '10' };
  const raw =
    v2Transport(fixture) === 'stdio'
      ? { command: `${v2StdioCommand(fixture, options.faults)} ${JSON.stringify(tag)}`, ...timeout }
      : await (async () => {
          const http = await v2HttpCommand(fixture, options.faults);
          return { start: `${http.command} ${JSON.stringify(tag)}`, url: http.url, 'health-url': http.health, ...timeout };
        })();
  const checks = ids === 'all' ? CHECKS : ids.map(check);
  const report = await runPreflight(settingsFor(raw), { masker: new Masker(), checks });
  expect(processesMatching(tag)).toEqual([]);
  return report;
}

function findingsOf(report: Report, id: string) {
  return report.findings.filter((f) => f.id === id);
}

function statusOf(report: Report, id: string): string | undefined {
  return report.checks.find((c) => c.id === id)?.status;
}

describe('modern.stateless', () => {
  it('reports an Mcp-Session-Id minted on modern answers over HTTP', async () => {
    const report = await gate('violates:modern.stateless', ['modern.stateless']);
    const [found] = findingsOf(report, 'modern.stateless');
    expect(found?.message).toMatch(/Mcp-Session-Id/);
  });

  it("reports tools that differ between the face's server process and a fresh one over stdio", async () => {
    const report = await gate('violates:modern.stateless-stdio', ['modern.stateless']);
    expect(findingsOf(report, 'modern.stateless').map((f) => f.message)).toEqual([
      expect.stringMatching(/tools\/list differed between two connections .*session-\d+/),
    ]);
  });

  it.each(['dual-http', 'dual-stdio'] as const)('passes on %s', async (fixture) => {
    const report = await gate(fixture, ['modern.stateless']);
    expect(statusOf(report, 'modern.stateless')).toBe('pass');
  });

  it('passes on a server whose tools changed during the run alike for every connection', async () => {
    // The face's listing (the first tools/list) lacks the tool every later one has: read again side by side,
    // both connections agree.
    const report = await gate('dual-http', ['modern.stateless'], { faults: ['grows'] });
    expect(statusOf(report, 'modern.stateless')).toBe('pass');
  });
});

describe('modern.list-order', () => {
  it('warns when two tools/list requests order the tools differently', async () => {
    const report = await gate('violates:modern.list-order', ['modern.list-order']);
    expect(findingsOf(report, 'modern.list-order')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/different orders/) }),
    ]);
  });

  it('passes on a good server', async () => {
    expect(statusOf(await gate('dual-stdio', ['modern.list-order']), 'modern.list-order')).toBe('pass');
  });
});

describe('modern.cache-hints', () => {
  it('names every cacheable result without ttlMs and cacheScope', async () => {
    const report = await gate('violates:modern.cache-hints', ['modern.cache-hints']);
    const messages = findingsOf(report, 'modern.cache-hints').map((f) => f.message);
    for (const method of ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read']) {
      expect(messages).toContainEqual(expect.stringContaining(`The ${method}`));
    }
    expect(messages[0]).toMatch(/no ttlMs and no cacheScope/);
  });

  it('passes on a good server', async () => {
    expect(statusOf(await gate('dual-stdio', ['modern.cache-hints']), 'modern.cache-hints')).toBe('pass');
  });
});

describe('http.standard-headers', () => {
  it('reports requests served despite missing or disagreeing standard headers', async () => {
    const report = await gate('violates:http.standard-headers', ['http.standard-headers']);
    const found = findingsOf(report, 'http.standard-headers');
    expect(found.map((f) => [f.severity, f.message.split(' was ')[0]])).toEqual([
      ['warning', 'tools/list without Mcp-Method'],
      ['error', 'tools/list with Mcp-Method: prompts/list'],
      ['error', 'tools/call of "mcp-preflight-no-such-tool" with Mcp-Name: mcp-preflight-other-tool'],
    ]);
  });

  it('passes on a good server', async () => {
    expect(statusOf(await gate('dual-http', ['http.standard-headers']), 'http.standard-headers')).toBe('pass');
  });
});

describe('tools.param-headers', () => {
  it('names each tool and parameter whose x-mcp-header breaks the rules, as an error on its tool', async () => {
    const report = await gate('violates:tools.param-headers', ['tools.param-headers']);
    const found = findingsOf(report, 'tools.param-headers');
    expect(found.map((f) => f.subject?.name).sort()).toEqual(['bad-token', 'duplicate', 'number-param', 'object-param']);
    expect(found.every((f) => f.severity === 'error' && f.subject?.kind === 'tool')).toBe(true);
    expect(found.find((f) => f.subject?.name === 'bad-token')?.message).toMatch(/parameter "tenant": x-mcp-header "Tenant Id" is not an RFC 9110 token/);
    expect(found.find((f) => f.subject?.name === 'duplicate')?.message).toMatch(/"zone" repeats "Zone"/);
  });

  it('passes on a good server, whose lookup tool declares a valid header', async () => {
    expect(statusOf(await gate('dual-http', ['tools.param-headers']), 'tools.param-headers')).toBe('pass');
  });
});

describe('resources.not-found', () => {
  it.each([
    ['legacy-code', /got error -32002/],
    ['success', /succeeded with an empty contents array/],
  ])('warns on %s', async (fault, message) => {
    const report = await gate('violates:resources.not-found', ['resources.not-found'], { faults: [fault] });
    expect(findingsOf(report, 'resources.not-found')).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(message) })]);
  });

  it('passes on a good server', async () => {
    expect(statusOf(await gate('dual-stdio', ['resources.not-found']), 'resources.not-found')).toBe('pass');
  });
});

describe('subscriptions.listen', () => {
  it('reports a server that answers subscriptions/listen with -32601', async () => {
    const report = await gate('violates:subscriptions.listen', ['subscriptions.listen'], { faults: ['method-not-found'] });
    expect(findingsOf(report, 'subscriptions.listen')).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/-32601/) })]);
  });

  it('reports a server that never acknowledges, within request-timeout', async () => {
    const report = await gate('violates:subscriptions.listen', ['subscriptions.listen'], { faults: ['silent'], requestTimeout: '3' });
    expect(findingsOf(report, 'subscriptions.listen')).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  it('passes on a good server', async () => {
    expect(statusOf(await gate('dual-stdio', ['subscriptions.listen']), 'subscriptions.listen')).toBe('pass');
  });
});

describe('the whole gate with these checks', () => {
  it.each(['dual-stdio', 'dual-http', 'modern-stdio', 'modern-http'] as const)('passes %s', async (fixture) => {
    const report = await gate(fixture, 'all');
    expectPass(report);
    for (const id of ['modern.stateless', 'modern.cache-hints', 'tools.param-headers', 'resources.not-found', 'subscriptions.listen', 'modern.list-order']) {
      expect(statusOf(report, id)).toBe('pass');
    }
  });
});
