import { Ajv, type ValidateFunction } from 'ajv';
import type { RegExpEngine, RegExpLike } from 'ajv/dist/types/index.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { RE2JS } from 're2js';
import type { SpecRevision } from '../types.js';

/** A pattern as ajv uses it, named by toString(). */
type NamedPattern = RegExpLike & { toString(): string };

/**
 * `pattern` and `patternProperties` run with RE2, in time linear in the input: the schema is the
 * server's, and a catastrophic pattern on the native engine (`^(a+)+$`) blocks the event loop for
 * minutes. Flags are not passed: ajv asks for `u`, and RE2 reads Unicode anyway. ajv shares compiled
 * patterns by their toString(), so each object names its pattern.
 */
const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string): NamedPattern => {
    try {
      const compiled = RE2JS.compile(pattern);
      return { test: (text: string) => compiled.test(text), toString: () => `re2:${pattern}` };
    } catch {
      // A pattern RE2 cannot run (a lookahead, a backreference) checks nothing, rather than risk backtracking.
      return { test: () => true, toString: () => `unchecked:${pattern}` };
    }
  },
  { code: 'linearRegExp' },
);

/**
 * JSON Schema compilation with a real validator. From 2025-11-25 a schema without `$schema` is read as
 * 2020-12; before that, draft-07 is what clients assumed. `strict: false` because schemas in the wild
 * carry extra keywords (titles, examples, vendor extensions) that are legal JSON Schema.
 * `addUsedSchema: false`: a schema's `$id` is not registered, so two tools whose schemas share one (a
 * generator's constant) each compile on their own instead of the second failing as a duplicate.
 */
const OPTIONS = { strict: false, allErrors: true, validateFormats: false, addUsedSchema: false, code: { regExp: linearRegExp } };
/** Created on first use, so runs that never compile a schema do not pay for it at start-up. */
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

const DIALECT_2020 = 'https://json-schema.org/draft/2020-12/schema';
const DIALECT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

export type CompileResult = { validate: ValidateFunction; dialect: string } | { error: string; dialect: string };

export function compileSchema(schema: unknown, protocolVersion: string): CompileResult {
  const declared = (schema as { $schema?: unknown })?.$schema;
  const use2020 = typeof declared === 'string' ? !DIALECT_07.test(declared) : protocolVersion >= ('2025-11-25' satisfies SpecRevision);
  const ajv = use2020 ? (draft2020 ??= new Ajv2020(OPTIONS)) : (draft07 ??= new Ajv(OPTIONS));
  const dialect = use2020 ? '2020-12' : 'draft-07';
  try {
    // A schema object may be shared between tools; compile a copy so ajv's cache never mixes them up.
    const copy = structuredClone(schema) as Record<string, unknown>;
    if (typeof declared === 'string' && declared !== DIALECT_2020 && use2020) delete copy.$schema;
    const validate = ajv.compile(copy);
    // The instance would otherwise keep every compiled schema of the run: 100,000 tools' worth.
    ajv.removeSchema(copy);
    return { validate, dialect };
  } catch (error) {
    return { error: (error as Error).message, dialect };
  }
}

/** 'must be number at /temperature (is "21 °C")' — ajv's errors as one line a person can act on. */
export function describeErrors(validate: ValidateFunction, data?: unknown): string {
  return (validate.errors ?? [])
    .map((e) => {
      const value = e.instancePath ? valueAt(data, e.instancePath) : undefined;
      return `${e.message ?? 'invalid'} at ${e.instancePath || '(root)'}${value === undefined ? '' : ` (is ${JSON.stringify(value).slice(0, 100)})`}`;
    })
    .join('; ');
}

/** The value a JSON Pointer (RFC 6901) names, as ajv reports it in instancePath. */
function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const token of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}
