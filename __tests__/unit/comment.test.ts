import type { Finding } from '../../src/checks/types.js';
import { COMMENT_LIMIT, commentMarker, formatComment, serverKeyOf } from '../../src/report/comment.js';
import type { Report } from '../../src/report/report.js';

const RUN_URL = 'https://github.com/octo/demo/actions/runs/4242';

function finding(id: string, severity: Finding['severity'], message = `${id} went wrong`, hint = `fix ${id}`): Finding {
  return { id, severity, title: id, message, hint };
}

function reportWith(findings: Finding[], overrides: Partial<Report> = {}): Report {
  return {
    tool: { name: 'mcp-preflight', version: '0.1.0' },
    verdict: findings.some((f) => f.severity === 'error') ? 'fail' : 'pass',
    target: { transport: 'stdio', command: 'node server.js' },
    server: { name: 'demo', version: '1.2.3', protocolVersion: '2025-11-25', capabilities: { tools: {} } },
    surface: { tools: [{ name: 'a' }], resources: [], resourceTemplates: [], prompts: [] },
    checks: [{ id: 'tools.list', title: 'tools/list answers', status: 'pass', durationMs: 12 }],
    findings,
    timings: { startupMs: 800, initializeMs: 20, totalMs: 1500 },
    triage: ['started: yes', 'alive: yes'],
    logs: [],
    observations: {},
    ...overrides,
  };
}

function comment(report: Report): string {
  return formatComment(report, { serverKey: 'abc123', runUrl: RUN_URL });
}

describe('sticky comment', () => {
  it('starts with the hidden marker, then the verdict, the server card, the checks and a link to the run', () => {
    const body = comment(reportWith([finding('tools.list', 'error')]));
    expect(body.startsWith('<!-- mcp-preflight:abc123 -->\n')).toBe(true);
    expect(body).toContain('## ❌ MCP preflight failed — 1 error');
    expect(body).toContain('| Server | demo 1.2.3 |');
    expect(body).toContain('| `tools.list` | tools/list answers | ✅ pass | 12 ms |');
    expect(body).toContain(`[Workflow run](${RUN_URL})`);
    expect(body.indexOf('| Server |')).toBeLessThan(body.indexOf('### Findings'));
  });

  it('says so plainly when the gate passes, with no findings section', () => {
    const body = comment(reportWith([]));
    expect(body).toContain('## ✅ MCP preflight passed — no findings');
    expect(body).not.toContain('### Findings');
  });

  it('lists errors before warnings and notices, each with its fix', () => {
    const body = comment(reportWith([finding('a.notice', 'notice'), finding('b.warn', 'warning'), finding('c.err', 'error')]));
    const positions = ['c.err', 'b.warn', 'a.notice'].map((id) => body.indexOf(`**\`${id}\`**`));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(body).toContain('❌ **`c.err`** c.err went wrong\n\n> **Fix:** fix c.err');
  });

  it('collapses a long message below its first line and fix, and leaves a short one open', () => {
    const long = finding('tools.schema', 'error', 'Tool "x" has an invalid inputSchema\nline two\nline three');
    const body = comment(reportWith([long, finding('tools.list', 'warning')]));
    const [visible, rest] = body.split('<details><summary>Full message (3 lines)</summary>');
    const collapsed = rest.split('</details>')[0];
    expect(visible).toContain('❌ **`tools.schema`** Tool "x" has an invalid inputSchema\n\n> **Fix:** fix tools.schema');
    expect(collapsed).toContain('```text\nline two\nline three\n```');
    expect(collapsed).not.toContain('**Fix:**');
    expect(body.match(/<details>/g)).toHaveLength(1);
  });

  it('collapses a one-line message that is too long to read in a conversation', () => {
    const body = comment(reportWith([finding('tools.schema', 'error', 'y'.repeat(1000))]));
    expect(body).toContain('<details><summary>Full message (1000 characters)</summary>');
    expect(body).toContain(`${'y'.repeat(300)}…`);
  });

  it('neutralises HTML and mentions in server-controlled text, hints included', () => {
    const report = reportWith([finding('tools.list', 'error', '<img src=x onerror=alert(1)> ping @octo/team', 'ask @admin about </details>')], {
      server: { name: '<script>x</script>', version: '@everyone', protocolVersion: '2025-11-25', capabilities: {} },
    });
    const body = comment(report);
    expect(body).not.toMatch(/<(img|script)/);
    expect(body).toContain('&lt;img src=x');
    expect(body).not.toMatch(/@(octo|admin|everyone)/);
    expect(body).not.toContain('</details>');
  });

  it("stays under GitHub's comment limit with thousands of findings, and says how many it left out", () => {
    const many = Array.from({ length: 5000 }, (_, i) => finding(`tools.e${i}`, i % 2 ? 'warning' : 'error', `first\n${'x'.repeat(5000)}`));
    const body = comment(reportWith(many));
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toMatch(/…and \d+ more findings \(\d+ errors, \d+ warnings\) that do not fit in a comment: see the \[workflow run\]/);
    expect(body).toContain(`[Workflow run](${RUN_URL})`);
  });

  it.each(['', 'a'])('stays under the limit, keeps its marker and splits no character when the server card alone is huge (prefix %p)', (prefix) => {
    // Both prefixes, so the cut falls once on each half of a surrogate pair.
    const name = prefix + '😀'.repeat(100_000);
    const body = comment(reportWith([], { server: { name, version: '1', protocolVersion: '2025-11-25', capabilities: {} } }));
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(commentMarker('abc123'))).toBe(true);
    expect(body).toContain('does not fit in a comment');
    expect(Buffer.from(body, 'utf8').toString('utf8')).toBe(body);
  });
});

describe('server key', () => {
  it('is stable for one target and differs between targets', () => {
    expect(serverKeyOf({ command: 'node a.js' })).toBe(serverKeyOf({ command: 'node a.js' }));
    expect(serverKeyOf({ command: 'node a.js' })).not.toBe(serverKeyOf({ command: 'node b.js' }));
    expect(serverKeyOf({ url: new URL('http://127.0.0.1:3000/mcp') })).toBe(serverKeyOf({ url: 'http://127.0.0.1:3000/mcp' }));
  });

  it('does not reveal the command, which may hold a credential', () => {
    const key = serverKeyOf({ command: 'API_KEY=sk-secret node server.js' });
    expect(key).toMatch(/^[0-9a-f]{12}$/);
  });
});
