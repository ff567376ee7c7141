import { compileSchema } from '../../src/checks/support/json-schema.js';

const VERSION = '2025-11-25';

describe('compileSchema', () => {
  it('compiles two schemas that share an $id each on their own', () => {
    const first = { $id: 'https://example.com/args', type: 'object', properties: { a: { type: 'string' } } };
    const second = { $id: 'https://example.com/args', type: 'object', properties: { b: { type: 'number' } } };
    const compiledFirst = compileSchema(first, VERSION);
    const compiledSecond = compileSchema(second, VERSION);
    expect(compiledFirst).not.toHaveProperty('error');
    expect(compiledSecond).not.toHaveProperty('error');
    if (!('validate' in compiledSecond)) throw new Error(compiledSecond.error);
    expect(compiledSecond.validate({ b: 'not a number' })).toBe(false);
  });

  it('still validates with a schema that has an $id after it was compiled once', () => {
    const schema = { $id: 'urn:example:out', type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    compileSchema(schema, VERSION);
    const again = compileSchema(schema, VERSION);
    expect(again).not.toHaveProperty('error');
    if (!('validate' in again)) throw new Error(again.error);
    expect(again.validate({ n: 'x' })).toBe(false);
  });

  it('runs a catastrophic pattern in linear time', () => {
    const compiled = compileSchema({ type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } }, VERSION);
    if (!('validate' in compiled)) throw new Error(compiled.error);
    // Returning is the proof: the native engine would take longer than the age of the universe on this
    // input, RE2 milliseconds. A time bound would add nothing but a guess at the machine's speed.
    expect(compiled.validate({ s: `${'a'.repeat(50_000)}!` })).toBe(false);
    expect(compiled.validate({ s: 'aaaa' })).toBe(true);
  });

  it('leaves a pattern RE2 cannot run unchecked instead of failing the schema', () => {
    const compiled = compileSchema({ type: 'object', properties: { s: { type: 'string', pattern: '^(?!x)' } } }, VERSION);
    expect(compiled).not.toHaveProperty('error');
  });
});
