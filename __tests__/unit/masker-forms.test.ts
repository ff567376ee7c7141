import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeArtifacts } from '../../src/artifacts.js';
import { buildReport } from '../../src/report/build.js';
import { registerSecrets } from '../../src/secrets.js';
import type { Settings } from '../../src/settings.js';
import { Masker } from '../../src/util/masker.js';
import { credentialsInUrls, maskUrlCredentials } from '../../src/util/url-credentials.js';
import { randomish } from '../fixtures/fake-secrets.js';

const token = `tok${randomish(37, 31)}`;
const user = 'deploy-bot';
const password = `pw${randomish(18, 32)}`;

const base64 = (text: string) => Buffer.from(text).toString('base64');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

/**
 * A credential as a server passes it on: base64 of it behind 0, 1 or 2 other bytes, or with a prefix of
 * its own; and how many characters may stay visible before and after the mask (the prefix's own, and those
 * that share bits with the unknown neighbours or are padding).
 */
const ECHOES: [string, string, string, number, number][] = [
  ['base64 at offset 0', token, base64(token), 0, 3],
  ['base64 at offset 1 ("Bearer " + token)', token, base64(`Bearer ${token}`), 10, 3],
  ['base64 at offset 2', token, base64(`ab${token}`), 3, 3],
  ['base64url at offset 1', token, base64url(`Bearer ${token}?`), 10, 3],
  ['base64url at offset 2', token, base64url(`xy${token}>>`), 3, 4],
  ['base64 of user:pass (HTTP Basic)', `${user}:${password}`, `Basic ${base64(`${user}:${password}`)}`, 6, 3],
  ['base64 of the password after a user of any length', password, base64(`u:${password}`), 3, 3],
  ['URL-encoded', 'a b/c+d&token', `?x=${encodeURIComponent('a b/c+d&token')}`, 3, 0],
  ['form-encoded', 'a b/c+d&token', `x=${new URLSearchParams({ v: 'a b/c+d&token' }).toString().slice(2)}`, 2, 0],
];

describe('Masker: every form of a credential', () => {
  it.each(ECHOES)('masks %s', (_, secret, echo, before, after) => {
    const masker = new Masker();
    masker.add(secret);
    const parts = masker.mask(echo).split('***');
    expect(parts).toHaveLength(2);
    expect(parts[0].length).toBeLessThanOrEqual(before);
    expect(parts[1].length).toBeLessThanOrEqual(after);
  });

  it('masks the start of an encoded form that a message clipped', () => {
    const masker = new Masker();
    masker.add(token);
    const echo = `Request had Authorization: ${base64(`Bearer ${token}`)}`;
    expect(masker.mask(echo.slice(0, 60))).toBe('Request had Authorization: QmVhcmVyIH***');
  });

  it('hands every form to the runner, none of them shorter than the minimum', () => {
    const told: string[] = [];
    const masker = new Masker((form) => told.push(form));
    masker.add(token);
    masker.add(token);
    expect(told).toEqual(masker.list());
    expect(told).toEqual(
      expect.arrayContaining([token, base64(token), base64(`Bearer ${token}`).slice(10, 40)].map((f) => expect.stringContaining(f.slice(0, 20)))),
    );
    expect(Math.min(...told.map((f) => f.length))).toBeGreaterThanOrEqual(Masker.MIN_ENCODED_LENGTH);
  });
});

describe('credentials in URLs', () => {
  const url = `https://${user}:${password}@mcp.example.com/mcp?api_key=K1${token}&page=2&access_token=T2${token}#code=C3${token}`;

  it('masks the userinfo and the secret-named parameters of any URL in a text, and nothing else', () => {
    expect(maskUrlCredentials(`GET ${url} failed`)).toBe(
      'GET https://***@mcp.example.com/mcp?api_key=***&page=2&access_token=***#code=***failed'.replace('***failed', '*** failed'),
    );
    for (const name of ['apikey', 'key', 'token', 'secret', 'password', 'sig', 'signature', 'code', 'client_secret', 'X-Amz-Signature']) {
      expect(maskUrlCredentials(`https://h/p?${name}=value1&cursor=abc`)).toBe(`https://h/p?${name}=***&cursor=abc`);
    }
    expect(maskUrlCredentials('https://h/p?monkey=1&sessionId=2')).toBe('https://h/p?monkey=1&sessionId=2');
  });

  it('finds them decoded, with user:password for the base64 of HTTP Basic', () => {
    expect(credentialsInUrls(`start: API=${url} node s.js`).sort()).toEqual([password, `${user}:${password}`, `K1${token}`, `T2${token}`, `C3${token}`].sort());
    expect(credentialsInUrls(`https://${token}@github.com/o/r.git`)).toEqual([token]);
    expect(credentialsInUrls('https://admin@example.com/mcp')).toEqual([]);
  });

  it("registers the credentials in every input's URLs, so their encoded forms are masked too", () => {
    const masker = new Masker();
    const told: string[] = [];
    registerSecrets({ url: `https://${user}:${password}@mcp.example.com/mcp?api_key=K1${token}` }, masker, (s) => told.push(s));
    expect(told.sort()).toEqual([password, `${user}:${password}`, `K1${token}`].sort());
    expect(masker.mask(`Authorization: Basic ${base64(`${user}:${password}`)}`)).toBe('Authorization: Basic ***');
    expect(masker.mask(`echo ${base64(`Bearer K1${token}`)}`)).toMatch(/^echo .{0,10}\*\*\*.{0,3}$/);
  });
});

describe('the report file the gate writes', () => {
  it('holds no form of a credential the server echoed, nor the credentials of the target URL', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-masked-'));
    try {
      const masker = new Masker();
      const targetUrl = new URL(`https://${user}:${password}@mcp.example.com/mcp?api_key=K1${token}`);
      registerSecrets({ url: targetUrl.href, header: [`Authorization: Bearer ${token}`] }, masker);
      const echoes = ECHOES.filter(([, secret]) => secret !== 'a b/c+d&token').map(([, , echo]) => echo);
      const settings = { workingDirectory: dir, reportPath: 'report.json', sarifPath: 'report.sarif', junitPath: 'junit.xml', failOn: 'error' } as Settings;
      const report = buildReport({
        evidence: { settings, observations: {}, targetUrl } as never,
        results: [
          {
            result: { id: 'tools.call', title: 'Declared smoke calls return what they should', status: 'fail', durationMs: 1 },
            findings: echoes.map((echo) => ({ id: 'tools.call', severity: 'error' as const, title: 'x', message: `The server answered ${echo}` })),
          },
        ],
        surface: { tools: [{ name: 'whoami', description: echoes.join(' ') }], resources: [], resourceTemplates: [], prompts: [] },
        triage: [],
        totalMs: 1,
        masker,
      });
      await writeArtifacts(report, settings, { file: 'README.md' });
      for (const file of ['report.json', 'report.sarif', 'junit.xml']) {
        const text = readFileSync(path.join(dir, file), 'utf8');
        expect(text).toContain('***');
        for (const echo of echoes) expect(text).not.toContain(echo.replace(/^Basic /, '').slice(3, 15));
        for (const secret of [token, password, `K1${token}`]) expect(text).not.toContain(secret.slice(0, 12));
      }
      expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).target.url).toBe('https://***@mcp.example.com/mcp?api_key=***');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
