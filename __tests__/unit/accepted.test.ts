import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { ACCEPTED_FORMAT, formatAcceptedFile, parseAcceptedFile, type AcceptedEntry, type AcceptedFindings } from '../../src/accepted-file.js';
import { parseCommandLine } from '../../src/command-line.js';
import { CHECKS, CATALOGUE } from '../../src/checks/index.js';
import type { Finding } from '../../src/checks/types.js';
import { acceptedEntriesOf, applyAccepted } from '../../src/report/accepted.js';
import { formatComment } from '../../src/report/comment.js';
import { formatConsole } from '../../src/report/console.js';
import { evidenceOf, fingerprintOf, normaliseEvidence } from '../../src/report/fingerprint.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatOutputs } from '../../src/report/outputs.js';
import type { Report } from '../../src/report/report.js';
import { FINDING_FINGERPRINT_KEY, formatSarif } from '../../src/report/sarif.js';
import { formatSummary } from '../../src/report/summary.js';
import { parseSettings, SettingsError } from '../../src/settings.js';
import { Masker } from '../../src/util/masker.js';
import { findingOf, registryResults, reportWith } from '../helpers/reports.js';
import { ROOT } from '../helpers/servers.js';

/** The message perf.latency writes, with one run's figures. */
const latency = (p95: number, p50: number, slowest: number) =>
  `ping took ${p95} ms at the 95th percentile over 20 requests sent one at a time (median ${p50} ms, slowest ${slowest} ms), above thresholds.latencyP95Ms (250 ms).`;

const finding = (message: string, extra: Partial<Finding> = {}): Finding => findingOf('perf.latency', 'warning', { message, ...extra });

describe('fingerprintOf', () => {
  it.each([
    ['latencies', latency(412, 3, 500), latency(1300, 7, 2210)],
    [
      'a port in a URL',
      'http://127.0.0.1:41523/health answered 503 after 12 ms, once the checklist had run.',
      'http://127.0.0.1:36001/health answered 503 after 9 ms, once the checklist had run.',
    ],
    [
      "a preview deployment's host",
      'https://pr-12-abc.fly.dev/mcp did not answer 2xx within 60.0 s.',
      'https://pr-13-def.fly.dev/mcp did not answer 2xx within 60.0 s.',
    ],
    [
      'start-up time',
      'The server took 6.2 s to be ready, more than 5.0 s (thresholds.slowStartupMs).',
      'The server took 12.9 s to be ready, more than 5.0 s (thresholds.slowStartupMs).',
    ],
    ['a pid and a host:port', 'The server (pid 4242) listens on 127.0.0.1:4000 too.', 'The server (pid 31337) listens on 127.0.0.1:4111 too.'],
    ['a temporary path', 'It wrote /tmp/mcp-preflight-AbC123/out.json.', 'It wrote /home/runner/work/_temp/9f8e/out.json.'],
    [
      'a timestamp and a session id',
      'At 2026-01-02T03:04:05.123Z session 0f3c8a9b-1234-4abc-9def-0123456789ab expired.',
      'At 2026-03-09T23:59:01Z session 7d1e2f3a-5678-4abc-8def-abcdefabcdef expired.',
    ],
    [
      'a count of log lines',
      '3 line(s) on stdout were not JSON-RPC messages, after the handshake',
      '4 line(s) on stdout were not JSON-RPC messages, after the handshake',
    ],
    [
      'the lines below the first (a stderr tail)',
      'The server exited with code 1 during initialize.\n  at 10:01:02 boom',
      'The server exited with code 1 during initialize.\n  at 10:01:07 boom again',
    ],
  ])('is the same for the same finding across two runs that differ in %s', (_label, first, second) => {
    expect(fingerprintOf(finding(first))).toBe(fingerprintOf(finding(second)));
  });

  it('tells apart a different subject, check or problem', () => {
    const base = finding('The tool "get_weather" has no description.', { subject: { kind: 'tool', name: 'get_weather' } });
    const fingerprint = fingerprintOf(base);
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintOf({ ...base, subject: { kind: 'tool', name: 'get_forecast' } })).not.toBe(fingerprint);
    expect(fingerprintOf({ ...base, subject: { kind: 'prompt', name: 'get_weather' } })).not.toBe(fingerprint);
    expect(fingerprintOf({ ...base, subject: undefined })).not.toBe(fingerprint);
    expect(fingerprintOf({ ...base, id: 'tools.description' })).not.toBe(fingerprint);
    expect(fingerprintOf({ ...base, message: 'The tool "get_weather" has an empty input schema.' })).not.toBe(fingerprint);
  });

  it('keeps what tells one problem from another: HTTP statuses, JSON-RPC codes and protocol revisions', () => {
    expect(fingerprintOf(finding('POST answered 404 instead of 400.'))).not.toBe(fingerprintOf(finding('POST answered 500 instead of 400.')));
    expect(fingerprintOf(finding('Answered -32601 instead of -32602.'))).not.toBe(fingerprintOf(finding('Answered -32603 instead of -32602.')));
    expect(normaliseEvidence('requested 2025-06-18, answered 2025-11-25')).toBe('requested 2025-06-18, answered 2025-11-25');
  });

  it('ignores the severity, the hint and the location, which configuration and source edits change', () => {
    const base = finding('The tool "a" has no description.');
    const changed: Finding = { ...base, severity: 'error', hint: 'other', location: { file: 'src/x.ts', startLine: 9 } };
    expect(fingerprintOf(changed)).toBe(fingerprintOf(base));
  });

  it("uses a check's own fingerprintKey instead of the message", () => {
    const keyed = finding(latency(412, 3, 500), { fingerprintKey: 'ping' });
    expect(fingerprintOf({ ...keyed, message: 'anything else' })).toBe(fingerprintOf(keyed));
    expect(fingerprintOf({ ...keyed, fingerprintKey: 'tools/list' })).not.toBe(fingerprintOf(keyed));
  });

  it('is taken from the masked text, so a secret never enters it and a per-run token does not change it', () => {
    const fingerprints = ['tok_live_4f9a8b7c6d5e', 'tok_live_0a1b2c3d4e5f'].map((token) => {
      const masker = new Masker();
      masker.add(token);
      const message = masker.mask(`The server echoed the Authorization header "Bearer ${token}" in its answer.`);
      expect(evidenceOf({ message })).not.toContain(token);
      return fingerprintOf(finding(message));
    });
    expect(fingerprints[0]).toBe(fingerprints[1]);
  });
});

const ENTRIES: AcceptedEntry[] = [
  { fingerprint: '00000000000000ff', check: 'tools.name', subject: 'tool:b', severity: 'warning', evidence: 'b' },
  { fingerprint: '0000000000000001', check: 'http.origin', severity: 'warning', evidence: 'origin', note: 'behind a proxy that checks Origin' },
  { fingerprint: '00000000000000aa', check: 'tools.name', subject: 'tool:a', severity: 'error', evidence: 'a' },
];

describe('the accepted-findings file', () => {
  it('is sorted by check, subject and fingerprint, whatever the order of the findings, and reads back', () => {
    const text = formatAcceptedFile(ENTRIES);
    expect(formatAcceptedFile([...ENTRIES].reverse())).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text) as { format: number; accepted: AcceptedEntry[] };
    expect(parsed.format).toBe(ACCEPTED_FORMAT);
    expect(parsed.accepted.map((e) => `${e.check} ${e.subject ?? ''}`)).toEqual(['http.origin ', 'tools.name tool:a', 'tools.name tool:b']);
    expect(Object.keys(parsed.accepted[1])).toEqual(['fingerprint', 'check', 'subject', 'severity', 'evidence']);
    expect(parseAcceptedFile(text)).toEqual(parsed.accepted);
  });

  it.each([
    ['not JSON', '{"format": 1,', /is not JSON/],
    ['another format', '{"format": 2, "accepted": []}', /"format": 2; this version of mcp-preflight reads format 1. Write it again with --accept-current/],
    ['no list', '{"format": 1}', /needs "accepted": a list of entries/],
    [
      'a bad fingerprint',
      '{"format": 1, "accepted": [{"fingerprint": "xyz", "check": "tools.name"}]}',
      /accepted\[0\]\.fingerprint must be 16 lowercase hex digits.*"xyz"/,
    ],
    ['no check', '{"format": 1, "accepted": [{"fingerprint": "00000000000000aa"}]}', /accepted\[0\]\.check must be the id of a check/],
    [
      'an unknown field',
      '{"format": 1, "accepted": [{"fingerprint": "00000000000000aa", "check": "x", "reason": "y"}]}',
      /accepted\[0\] has unknown field\(s\) "reason"; known fields are fingerprint, check, subject, severity, evidence, note/,
    ],
    [
      'a bad severity',
      '{"format": 1, "accepted": [{"fingerprint": "00000000000000aa", "check": "x", "severity": "fatal"}]}',
      /accepted\[0\]\.severity must be one of error, warning, notice/,
    ],
  ])('is refused when it has %s, naming the input, the file and the entry', (_label, text, expected) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'accepted-'));
    try {
      writeFileSync(path.join(dir, 'accepted.json'), text);
      const run = () => parseSettings({ command: 'node server.js', accepted: 'accepted.json' }, CATALOGUE, dir);
      expect(run).toThrow(SettingsError);
      expect(run).toThrow(/^Invalid input "accepted": accepted\.json /);
      expect(run).toThrow(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused when missing, with the command that writes it', () => {
    expect(() => parseSettings({ command: 'node server.js', accepted: 'nope.json' }, CATALOGUE, os.tmpdir())).toThrow(
      /Invalid input "accepted": .*nope\.json does not exist; write it with: npx mcp-preflight --accept-current \[target flags\] > nope\.json/,
    );
  });

  it('is read relative to the working directory, and --accept-current is a CLI flag', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'accepted-'));
    try {
      writeFileSync(path.join(dir, 'a.json'), formatAcceptedFile(ENTRIES));
      const settings = parseSettings({ command: 'node server.js', accepted: 'a.json' }, CATALOGUE, dir);
      expect(settings.accepted).toEqual({ source: 'a.json', entries: parseAcceptedFile(formatAcceptedFile(ENTRIES)) });
      expect(parseCommandLine(['--accept-current', '--accepted', 'a.json', '--', 'node', 'server.js'])).toMatchObject({
        acceptCurrent: true,
        raw: { accepted: 'a.json' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const ORIGIN = findingOf('http.origin', 'warning', { message: 'A POST with Origin: https://attacker.invalid to http://127.0.0.1:4100/mcp was answered 200.' });
const NAME_A = findingOf('tools.name', 'error', { message: 'The tool name "a b" has a space.', subject: { kind: 'tool', name: 'a b' } });
const NAME_C = findingOf('tools.name', 'error', { message: 'The tool name "c d" has a space.', subject: { kind: 'tool', name: 'c d' } });

function runReport(findings: Finding[], overrides: Partial<Report> = {}): Report {
  return reportWith(findings, { checks: registryResults(findings), ...overrides });
}

function acceptedFrom(findings: Finding[], extra: AcceptedEntry[] = []): AcceptedFindings {
  return { source: 'mcp-preflight.accepted.json', entries: [...acceptedEntriesOf(applyAccepted(runReport(findings), undefined, 'error')), ...extra] };
}

const GONE: AcceptedEntry = {
  fingerprint: '0123456789abcdef',
  check: 'tools.description',
  subject: 'tool:old',
  severity: 'warning',
  evidence: 'The tool "old" has no description.',
};

describe('applyAccepted', () => {
  it('marks every finding new and keeps the verdict when no file is given', () => {
    const report = applyAccepted(runReport([ORIGIN, NAME_A]), undefined, 'error');
    expect(report.findings.map((f) => f.state)).toEqual(['new', 'new']);
    expect(report.findings.every((f) => /^[0-9a-f]{16}$/.test(f.fingerprint ?? ''))).toBe(true);
    expect(report.verdict).toBe('fail');
    expect(report.accepted).toBeUndefined();
  });

  it('passes when every finding is accepted, even at fail-on warning, and reports the fixed entries', () => {
    const report = applyAccepted(runReport([ORIGIN, NAME_A]), acceptedFrom([ORIGIN, NAME_A], [GONE]), 'warning');
    expect(report.findings.map((f) => f.state)).toEqual(['accepted', 'accepted']);
    expect(report.verdict).toBe('pass');
    expect(report.checks.find((c) => c.id === 'tools.name')?.status).toBe('pass');
    expect(report.accepted).toEqual({ file: 'mcp-preflight.accepted.json', accepted: 2, fixed: [GONE], unchecked: 0 });
  });

  it('fails on the new finding only', () => {
    const report = applyAccepted(runReport([ORIGIN, NAME_A, NAME_C]), acceptedFrom([ORIGIN, NAME_A]), 'error');
    expect(report.findings.filter((f) => f.state === 'new').map((f) => f.subject?.name)).toEqual(['c d']);
    expect(report.verdict).toBe('fail');
    expect(report.checks.find((c) => c.id === 'tools.name')?.status).toBe('fail');
  });

  it('accepts one finding per entry: a second copy of an accepted finding is new', () => {
    const report = applyAccepted(runReport([NAME_A, NAME_A]), acceptedFrom([NAME_A]), 'error');
    expect(report.findings.map((f) => f.state)).toEqual(['accepted', 'new']);
    expect(report.verdict).toBe('fail');
  });

  it('calls nothing fixed whose check did not run because the server never came up', () => {
    const checks = registryResults(
      [],
      CHECKS.map((c) => c.meta.id).filter((id) => id !== 'launch.exited'),
    );
    const report = applyAccepted(runReport([], { server: undefined, checks }), acceptedFrom([NAME_A], [{ ...GONE, check: 'launch.exited' }]), 'error');
    expect(report.accepted).toMatchObject({ accepted: 0, fixed: [{ check: 'launch.exited' }], unchecked: 1 });
  });

  it('keeps the notes of the previous file when the file is written again', () => {
    const previous = acceptedFrom([ORIGIN]);
    previous.entries[0].note = 'checked by the proxy';
    const entries = acceptedEntriesOf(applyAccepted(runReport([ORIGIN, NAME_A]), previous, 'error'), previous);
    expect(entries.find((e) => e.check === 'http.origin')).toMatchObject({
      note: 'checked by the proxy',
      evidence: 'A POST with Origin: https://<host> to http://<host>/mcp was answered 200.',
    });
    expect(entries.find((e) => e.check === 'tools.name')).toEqual({
      fingerprint: fingerprintOf(NAME_A),
      check: 'tools.name',
      subject: 'tool:a b',
      severity: 'error',
      evidence: 'The tool name "a b" has a space.',
    });
  });
});

const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, '__tests__/fixtures/schemas/sarif-2.1.0.json'), 'utf8')));

describe('reporters with accepted findings', () => {
  const report = applyAccepted(runReport([ORIGIN, NAME_A, NAME_C]), acceptedFrom([ORIGIN, NAME_A], [GONE]), 'error');

  it('job summary: new findings in the open, accepted ones collapsed, fixed ones listed for removal', () => {
    const summary = formatSummary(report);
    expect(summary).toContain('FAIL — 1 error (2 accepted, 1 fixed)');
    const [open, collapsed] = summary.split('<details>');
    expect(open).toContain('The tool name "c d" has a space.');
    expect(open).not.toContain('"a b"');
    expect(collapsed).toMatch(/^<summary>Accepted findings \(2\), listed in mcp-preflight\.accepted\.json; they do not fail the gate<\/summary>/);
    expect(collapsed).toContain('The tool name "a b" has a space.');
    expect(summary).toContain('### Fixed since accepted (1)');
    expect(summary).toContain('`0123456789abcdef` **`tools.description`** `tool:old`');
    expect(summary).toContain('❌ fail (1 accepted)');
  });

  it('pull-request comment: the same sections, and the headline counts the new findings', () => {
    const comment = formatComment(report, { serverKey: 'k' });
    expect(comment).toContain('## ❌ MCP preflight failed — 1 error (2 accepted, 1 fixed)');
    expect(comment).toContain('<details><summary>Accepted findings (2)');
    expect(comment).toContain('### Fixed since accepted (1)');
    expect(comment.indexOf('"c d"')).toBeLessThan(comment.indexOf('<details><summary>Accepted'));
  });

  it('console: new findings, then accepted ones and the fixed entries', () => {
    const text = formatConsole(report);
    expect(text).toContain('New findings:\n  ERROR [tools.name] The tool name "c d" has a space.');
    expect(text).toContain('Accepted findings (2, listed in mcp-preflight.accepted.json; they do not fail the gate):');
    expect(text).toContain(
      `Fixed since accepted (1): remove these entries from mcp-preflight.accepted.json, or write it again with --accept-current:\n  0123456789abcdef [tools.description] tool:old`,
    );
    expect(text).toMatch(/mcp-preflight: FAIL, 1 error \(2 accepted\)/);
  });

  it('outputs count the new findings only', () => {
    expect(formatOutputs(report)).toMatchObject({ result: 'fail', errors: '1', warnings: '0' });
  });

  it('SARIF: baselineState on every result, accepted ones suppressed, fixed ones absent, all valid', () => {
    const log = formatSarif(report, CHECKS, { fallbackLocation: { file: '.github/workflows/mcp.yml' } });
    expect(validateSarif(log)).toBe(true);
    const results = log.runs[0].results ?? [];
    expect(results.map((r) => r.baselineState)).toEqual(['unchanged', 'unchanged', 'new', 'absent']);
    expect(results.map((r) => r.partialFingerprints?.[FINDING_FINGERPRINT_KEY])).toEqual([...report.findings.map((f) => f.fingerprint), GONE.fingerprint]);
    expect(results[0].suppressions).toEqual([{ kind: 'external', justification: 'Accepted in mcp-preflight.accepted.json' }]);
    expect(results[2].suppressions).toBeUndefined();
    expect(results[3]).toMatchObject({ ruleId: 'tools.description', kind: 'pass', level: 'none' });
  });

  it('SARIF without an accepted file has no baselineState', () => {
    const plain = applyAccepted(runReport([NAME_A]), undefined, 'error');
    const [result] = formatSarif(plain, CHECKS, { fallbackLocation: { file: 'x.yml' } }).runs[0].results ?? [];
    expect(result.baselineState).toBeUndefined();
    expect(result.partialFingerprints?.[FINDING_FINGERPRINT_KEY]).toBe(fingerprintOf(NAME_A));
  });

  it('JUnit: an accepted error is no failure', () => {
    const allAccepted = applyAccepted(runReport([ORIGIN, NAME_A]), acceptedFrom([ORIGIN, NAME_A]), 'error');
    const xml = formatJunit(allAccepted);
    expect(xml).not.toContain('<failure');
    expect(xml).toContain('ACCEPTED ERROR [tools.name] The tool name &quot;a b&quot; has a space.');
    expect(formatJunit(report)).toContain('<failure message="The tool name &quot;c d&quot; has a space."');
  });
});
