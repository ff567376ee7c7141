import { Masker } from '../../src/util/masker.js';
import { randomish } from '../fixtures/fake-secrets.js';

function maskerOf(...secrets: string[]): Masker {
  const masker = new Masker();
  for (const secret of secrets) masker.add(secret);
  return masker;
}

describe('Masker: no secret leaves the gate, whole or in part', () => {
  const token = `tok${randomish(37)}`;

  it('masks the first characters of a secret in a message clipped before masking', () => {
    const clipped = `Request had Authorization: Bearer ${token}`.slice(0, 45);
    expect(maskerOf(`Bearer ${token}`, token).mask(clipped)).toBe('Request had Authorization: Bearer ***');
  });

  it('masks the last characters of a secret whose start was cut off', () => {
    expect(maskerOf(token).mask(`… ${token.slice(20)} (end)`)).toBe('… *** (end)');
  });

  it.each([
    ['a JSON-escaped form', (s: string) => JSON.stringify({ h: `a"${s}` })],
    ['a URL-encoded form', (s: string) => `GET /mcp?auth=${encodeURIComponent(s)}`],
    ['a base64 form', (s: string) => `basic ${Buffer.from(s).toString('base64')}`],
  ])('masks %s', (_, echo) => {
    const secret = `p+ss/"word\\${randomish(6, 3)}`;
    const masked = maskerOf(secret).mask(echo(secret));
    expect(masked).toContain('***');
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
      expect(masked).not.toContain(form);
    }
  });

  it.each([
    ['production', 'runs in production, producti', 'runs in ***, producti'],
    ['2025-06-18', 'version 2025-06-18 and 2025-06-1', 'version *** and 2025-06-1'],
  ])('masks a word-like value %j only whole', (secret, text, expected) => {
    expect(maskerOf(secret).mask(text)).toBe(expected);
  });

  it('masks secrets inside strings and keys of a report, leaving numbers and literals intact', () => {
    const secret = 'a"b\\c-secret';
    const masker = maskerOf(secret, '1000', 'null');
    const report = { message: `got ${secret}`, [`key ${secret}`]: 1, latencyMs: 1000, missing: null, list: [`x${secret}`, true] };
    expect(masker.maskDeep(report)).toEqual({ message: 'got ***', 'key ***': 1, latencyMs: 1000, missing: null, list: ['x***', true] });
  });

  it('keeps what JSON would: toJSON forms, and no undefined fields', () => {
    expect(maskerOf('secret-value').maskDeep({ url: new URL('http://h/secret-value'), gone: undefined })).toEqual({ url: 'http://h/***' });
  });

  it('copies only what masking changes, so a long listing in a report is not duplicated', () => {
    const tools = [{ name: 'add', inputSchema: { type: 'object' } }];
    const report = { surface: { tools }, findings: [{ message: 'sent secret-value' }], seen: new Map([['a', 1]]) };
    const masked = maskerOf('secret-value').maskDeep(report);
    expect(masked.surface.tools).toBe(tools);
    expect(masked.findings).toEqual([{ message: 'sent ***' }]);
    expect(report.findings[0].message).toBe('sent secret-value');
    expect(masked.seen).toEqual({});
  });

  it('leaves text without secrets unchanged', () => {
    const text = `Bearer token required; ${token.slice(0, 7)} is too short a stretch to be one`;
    expect(maskerOf(`Bearer ${token}`, token).mask(text)).toBe(text);
  });
});
