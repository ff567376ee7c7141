import type { Check, CheckMeta } from '../checks/types.js';

/**
 * The repository the action is published from, for links that must work outside it (SARIF rule help, the
 * code-scanning "Tool" link). Follows the README's `OWNER/mcp-preflight` until the repository is named;
 * package.json has no `repository` field to read it from.
 */
export const REPOSITORY_URL = 'https://github.com/OWNER/mcp-preflight';

/** The branch the per-check pages are linked on: check ids never change within a major version. */
const DOCS_BRANCH = 'main';

/** Where the generated per-check pages live, relative to the repository root. */
export const CHECK_DOCS_DIR = 'docs/checks';

/** The index of the per-check pages, in CHECK_DOCS_DIR. */
export const CHECK_DOCS_INDEX = 'README.md';

/** The page of a check, relative to the repository root: docs/checks/<id>.md. */
export function checkPagePath(id: string): string {
  return `${CHECK_DOCS_DIR}/${id}.md`;
}

/** The page of a check on GitHub: the SARIF rule's `helpUri`, so every check has a help link. */
export function checkPageUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/${DOCS_BRANCH}/${checkPagePath(id)}`;
}

const CONNECTED = 'Needs a connected session: runs only when the handshake completed';

/** What each stage means to someone reading a finding; a stage added to `Check` fails to compile until it is described. */
const STAGES: Record<Check['stage'], { name: string; text: string }> = {
  startup: {
    name: 'start-up',
    text: 'Runs on what was recorded while the server was brought up, and explains why it did not come up (or came up badly). When the server did not come up, the first error among the start-up checks is the root cause and the start-up checks after it are skipped.',
  },
  probe: {
    name: 'probe',
    text: "Judges what the gate's own HTTP probes recorded (how the server is protected). Runs whether or not the server came up, and is never the root cause of a failed start.",
  },
  session: {
    name: 'session',
    text: `${CONNECTED}, beside the other session checks.`,
  },
  cleanup: {
    name: 'cleanup',
    text: 'Runs at the end of the run, after the server was stopped or the checklist finished: it can turn a job red after a green checklist.',
  },
};

/** When a session check runs among the others, from its `runs`. */
function stageText(check: Check): string {
  const text = STAGES[check.stage].text;
  if (check.stage !== 'session') return text;
  if (check.runs === 'alone') return `${CONNECTED}, alone, after every other session check.`;
  if (check.runs === 'late') return `${CONNECTED}, after the other session checks, beside the other late ones: it reads the server again once they are done.`;
  return text;
}

/** The source of a check, from its id: check `area.name` is src/checks/<area>/<name>.ts (the registry test holds to it). */
export function checkSourcePath(id: string): string {
  const [area, ...name] = id.split('.');
  return `src/checks/${area}/${name.join('.')}.ts`;
}

/** docs/checks/<id>.md: everything a reader needs about one check, and how to configure it. */
export function formatCheckPage(check: Check): string {
  const { meta } = check;
  const stage = STAGES[check.stage];
  const lines = [
    `# \`${meta.id}\`: ${meta.title}`,
    '',
    generatedNote(checkSourcePath(meta.id)),
    '',
    '| Default severity | Stage | Since |',
    '|---|---|---|',
    `| ${meta.severity} | ${stage.name} | ${meta.since ? `specification revision ${meta.since}` : '—'} |`,
    '',
    '## What it checks',
    '',
    meta.description,
    '',
    `Stage: ${stageText(check)}`,
  ];
  if (meta.cause) lines.push('', '## What usually causes it', '', meta.cause);
  lines.push('', '## Why it matters', '', meta.why, '', '## How to fix it', '', meta.fix);
  if (meta.specUrl) lines.push('', '## Specification', '', `<${meta.specUrl}>`);
  lines.push('', '## Configuration', '', ...configurationOf(check));
  lines.push('', `Source: [${checkSourcePath(meta.id)}](../../${checkSourcePath(meta.id)}) · [All checks](${CHECK_DOCS_INDEX})`);
  return `${lines.join('\n')}\n`;
}

function configurationOf(check: Check): string[] {
  const { id } = check.meta;
  const lines = [
    'In the configuration file (`mcp-preflight.config.yaml`, or `.json`; see the README), change its severity, or skip it:',
    '',
    '```yaml',
    'severity:',
    `  ${id}: ${check.meta.severity === 'error' ? 'warning' : 'error'}   # error, warning or notice; "off" skips it`,
    `skip: [${id}]`,
    '```',
  ];
  if (check.ignorableRules?.length) {
    lines.push(
      '',
      'A reviewed false positive can be ignored for one tool, prompt or resource (exactly one of `tool:`, `prompt:` or `resource:`), for one rule or, without `rule:`, for all of them:',
      '',
      '```yaml',
      'ignore:',
      `  - { id: ${id}, tool: <name>, rule: ${check.ignorableRules[0]}, reason: "why it is not a problem" }`,
      '```',
      '',
      `Rules: ${check.ignorableRules.map((rule) => `\`${rule}\``).join(', ')}.`,
    );
  }
  return lines;
}

/** docs/checks/README.md: every check, by area in registry order, linked to its page. */
export function formatCheckIndex(checks: readonly Check[]): string {
  const lines = ['# Checks', '', generatedNote('the metadata of the checks in src/checks/')];
  const areas = new Map<string, Check[]>();
  for (const check of checks) {
    const area = check.meta.id.split('.')[0];
    areas.set(area, [...(areas.get(area) ?? []), check]);
  }
  for (const [area, inArea] of areas) {
    lines.push('', `## ${area}`, '', '| Check | Severity | Stage | Expectation |', '|---|---|---|---|');
    for (const { meta, stage } of inArea) lines.push(`| [\`${meta.id}\`](${meta.id}.md) | ${meta.severity} | ${STAGES[stage].name} | ${cell(meta)} |`);
  }
  return `${lines.join('\n')}\n`;
}

function cell(meta: CheckMeta): string {
  return meta.title.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function generatedNote(source: string): string {
  return `<!-- Generated by \`npm run docs\` from ${source.replace(/-->/g, '')}; edit the source, not this page. -->`;
}
