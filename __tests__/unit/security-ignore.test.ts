import { isIgnored } from '../../src/checks/support/security/ignore.js';
import { parseConfig, type IgnoreEntry } from '../../src/config.js';
import { SettingsError } from '../../src/settings.js';
import { CATALOGUE } from '../../src/checks/index.js';

function messageOf(text: string): string {
  try {
    parseConfig(text, 'mcp-preflight.config.json', CATALOGUE);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('ignore in the configuration file', () => {
  it('reads reviewed false positives, defaulting to none', () => {
    expect(parseConfig('{}', 'c.json', CATALOGUE).ignore).toEqual([]);
    const entry = { id: 'security.tool-poisoning', tool: 'send_email', rule: 'base64-blob', reason: 'The logo, reviewed in #12.' };
    expect(parseConfig(JSON.stringify({ ignore: [entry] }), 'c.json', CATALOGUE).ignore).toEqual([entry]);
  });

  it.each([
    [[{ id: 'security.tool-poisoning', tool: 'a' }], "ignore.0: must have required property 'reason'"],
    [[{ id: 'security.tool-poisoning', tool: 'a', reason: 'x', because: 'y' }], 'unknown key "because"'],
    [
      [{ id: 'tools.description', tool: 'a', reason: 'x' }],
      'ignore.0: "tools.description" cannot be ignored per tool; ignore entries apply to security.tool-poisoning, security.secrets-exposed, security.definition-changed (use severity or skip for other checks)',
    ],
    [[{ id: '__proto__', tool: 'a', reason: 'x' }], 'ignore.0: "__proto__" cannot be ignored per tool'],
    [[{ id: 'constructor', tool: 'a', reason: 'x' }], 'ignore.0: "constructor" cannot be ignored per tool'],
    [[{ id: 'security.tool-poisoning', reason: 'x' }], 'ignore.0: name exactly one of tool, prompt or resource (got none)'],
    [[{ id: 'security.tool-poisoning', tool: 'a', prompt: 'b', reason: 'x' }], 'ignore.0: name exactly one of tool, prompt or resource (got tool and prompt)'],
    [
      [{ id: 'security.secrets-exposed', tool: 'a', rule: 'hidden-tag', reason: 'x' }],
      'ignore.0: unknown rule "hidden-tag" of security.secrets-exposed; its rules are private-key,',
    ],
  ])('rejects %j naming the problem', (ignore, expected) => {
    expect(messageOf(JSON.stringify({ ignore }))).toContain(expected);
  });
});

describe('isIgnored', () => {
  const ignore: IgnoreEntry[] = [
    { id: 'security.tool-poisoning', tool: 'add', reason: 'reviewed' },
    { id: 'security.tool-poisoning', prompt: 'summarize', rule: 'override', reason: 'reviewed' },
  ];

  it.each([
    ['security.tool-poisoning', { kind: 'tool', name: 'add' }, 'hidden-tag', true],
    ['security.tool-poisoning', { kind: 'prompt', name: 'summarize' }, 'override', true],
    ['security.tool-poisoning', { kind: 'prompt', name: 'summarize' }, 'conceal', false],
    ['security.tool-poisoning', { kind: 'prompt', name: 'add' }, 'hidden-tag', false],
    ['security.secrets-exposed', { kind: 'tool', name: 'add' }, 'jwt', false],
    ['security.tool-poisoning', undefined, 'hidden-tag', false],
  ] as const)('%s about %j, rule %s: %s', (id, subject, rule, expected) => {
    expect(isIgnored(ignore, id, subject, rule)).toBe(expected);
  });
});
