import { findSecrets, isPlaceholder, looksRandom, SECRET_PATTERNS } from '../../src/checks/support/security/secret-patterns.js';
import { FAKE, randomish } from '../fixtures/fake-secrets.js';

function rulesIn(text: string): string[] {
  return findSecrets(text).map((m) => m.rule);
}

/** Per format, texts it must leave alone and texts it must flag, side by side (as ESLint's rule tests). */
const CASES: Record<string, { valid: string[]; invalid: string[] }> = {
  'private-key': {
    valid: ['Paste a PEM key, which starts with -----BEGIN PRIVATE KEY-----.', `-----BEGIN PUBLIC KEY-----\n${randomish(64)}`],
    invalid: [FAKE.privateKey(), `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomish(70)}`],
  },
  'aws-access-key': {
    valid: ['Set AKIAIOSFODNN7EXAMPLE as in the AWS documentation.', 'Keys start with AKIA.'],
    invalid: [`aws_access_key_id = ${FAKE.aws()}`, `Uses ${FAKE.aws()} for S3.`],
  },
  'github-token': {
    valid: ['Give a token like ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'The prefix ghp_ marks classic tokens.'],
    invalid: [`token: ${FAKE.github()}`, FAKE.githubPat()],
  },
  'stripe-key': {
    valid: [`Test mode: ${['sk', '_test_', randomish(24)].join('')}`, 'Use an sk_live_ key in production.'],
    invalid: [`STRIPE_KEY=${FAKE.stripe()}`],
  },
  'slack-token': {
    valid: ['Bot tokens look like xoxb-your-token-here.', 'xoxb-'],
    invalid: [`Posts with ${FAKE.slack()}`],
  },
  'google-api-key': {
    valid: [`Short: AIza${randomish(20)}`, 'Keys begin with AIza.'],
    invalid: [`https://maps.googleapis.com/maps/api/js?key=${FAKE.google()}`],
  },
  'openai-key': {
    valid: ['sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'task-management-framework-for-teams', 'sk-this-is-not-a-real-key-at-all'],
    invalid: [`OPENAI_API_KEY=${FAKE.openai()}`, `Uses ${['sk', '-', randomish(48, 21)].join('')}`],
  },
  jwt: {
    valid: ['Tokens start with eyJhbGciOi and have three parts.', 'eyJ.eyJ.sig'],
    invalid: [`session=${FAKE.jwt()}`],
  },
  'generic-api-key': {
    valid: ['api_key: your-api-key-goes-here', 'api_key = the_access_token_value_here', 'apiKey: process.env.API_KEY', 'password: 12345678901234567890'],
    invalid: [`api_key = "${FAKE.value()}"`, `X-API-KEY: ${FAKE.value(15)}`, `client_secret=${FAKE.value(16)}`],
  },
  'bearer-token': {
    valid: ['Bearer token required.', 'Authorization: Bearer <token>', 'Authorization: Bearer ***'],
    invalid: [`Authorization: Bearer ${randomish(40, 17)}`],
  },
};

describe.each(Object.entries(CASES))('security.secrets-exposed format %s', (rule, { valid, invalid }) => {
  it.each(valid)('leaves %j alone', (text) => {
    expect(rulesIn(text)).not.toContain(rule);
  });

  it.each(invalid)('flags %j', (text) => {
    expect(rulesIn(text)).toContain(rule);
  });
});

describe('security.secrets-exposed evidence', () => {
  it('covers every format', () => {
    expect(Object.keys(CASES).sort()).toEqual(SECRET_PATTERNS.map((p) => p.rule).sort());
  });

  it.each([
    ['a GitHub token', FAKE.github()],
    ['an AWS key', FAKE.aws()],
    ['a JWT', FAKE.jwt()],
    ['a generic key', `api_key=${FAKE.value()}`],
  ])('quotes only the first four characters of %s', (_, secret) => {
    const [match] = findSecrets(`Configured with ${secret} today.`);
    const value = secret.replace(/^api_key=/, '');
    expect(match.evidence).toContain(`${value.slice(0, 4)}… (${value.length} characters)`);
    expect(match.evidence).not.toContain(value.slice(0, 5));
  });

  it('keeps the label before the value for context', () => {
    const value = FAKE.value();
    expect(findSecrets(`api_key = "${value}"`)).toEqual([
      { rule: 'generic-api-key', label: 'API key or secret', evidence: `api_key = "${value.slice(0, 4)}… (32 characters)`, value },
    ]);
  });

  it('quotes a private key by its header only, and gives no value to mask: the header is not the secret', () => {
    expect(findSecrets(FAKE.privateKey()).map((m) => [m.evidence, m.value])).toEqual([['-----BEGIN RSA PRIVATE KEY-----', undefined]]);
  });

  it('names an overlapping match once, by its most specific format', () => {
    expect(rulesIn(`Authorization: Bearer ${FAKE.jwt()}`)).toEqual(['jwt']);
  });

  it.each([
    ['AKIAIOSFODNN7EXAMPLE', true],
    ['your-api-key', true],
    ['sk-xxxxxxxxxxxx', true],
    [randomish(32), false],
  ])('treats %j as a placeholder: %s', (value, expected) => {
    expect(isPlaceholder(value)).toBe(expected);
  });

  it.each([
    [randomish(32), true],
    ['the_access_token_value_here', false],
    ['12345678901234567890', false],
    ['short1A', false],
  ])('treats %j as random: %s', (value, expected) => {
    expect(looksRandom(value)).toBe(expected);
  });
});
