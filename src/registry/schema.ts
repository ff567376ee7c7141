import { Ajv, type ValidateFunction } from 'ajv';
import * as formats from 'ajv-formats';
import currentSchema from './schemas/2025-12-11.server.schema.json' with { type: 'json' };
import type { ServerJson } from './server-json.js';

/** The one `$schema` the MCP Registry accepts on publish (`model.CurrentSchemaURL`; see schemas/README.md). */
export const CURRENT_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const CURRENT_VERSION = '2025-12-11';
/** How the registry reads the version out of `$schema` (`extractVersionFromSchemaURL`). */
const SCHEMA_URL = /\/schemas\/([A-Za-z0-9_~.-]+)\/server\.schema\.json$/;
const DATED = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What `$schema` says, as `mcp-publisher publish` judges it: missing (refused), the current schema, an
 * earlier dated one or `draft` (refused as deprecated), one dated after the newest this build knows (not
 * judged), or not a registry schema URL at all (refused).
 */
export type SchemaStatus =
  | { kind: 'current' }
  | { kind: 'missing' }
  | { kind: 'deprecated'; url: string; version: string }
  | { kind: 'newer'; url: string; version: string }
  | { kind: 'unrecognized'; value: string };

export function schemaStatus(data: ServerJson): SchemaStatus {
  const declared = data.$schema;
  if (declared === undefined || declared === '') return { kind: 'missing' };
  if (typeof declared !== 'string') return { kind: 'unrecognized', value: JSON.stringify(declared) };
  if (declared === CURRENT_SCHEMA_URL) return { kind: 'current' };
  const version = SCHEMA_URL.exec(declared)?.[1];
  if (!version) return { kind: 'unrecognized', value: declared };
  if (DATED.test(version) && version > CURRENT_VERSION) return { kind: 'newer', url: declared, version };
  return { kind: 'deprecated', url: declared, version };
}

export interface SchemaProblem {
  /** Where, as a JSON Pointer ("/packages/0/transport"), or "" for the document. */
  pointer: string;
  /** The JSON Schema keyword that failed: maxLength, required, pattern… */
  keyword: string;
  message: string;
}

let validator: ValidateFunction | undefined;

/** Validates against the vendored current schema (draft-07, formats checked as the registry's validator does). */
export function validateAgainstCurrentSchema(data: ServerJson): SchemaProblem[] {
  validator ??= compileCurrent();
  if (validator(data)) return [];
  return (
    (validator.errors ?? [])
      // anyOf/allOf branches repeat their members' errors; the members say what is wrong.
      .filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'allOf')
      .map((error) => ({ pointer: error.instancePath, keyword: error.keyword, message: describe(error.message, error.params) }))
      .filter((problem, index, all) => all.findIndex((p) => p.pointer === problem.pointer && p.message === problem.message) === index)
  );
}

function compileCurrent(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  return ajv.compile(currentSchema);
}

function describe(message: string | undefined, params: Record<string, unknown>): string {
  const text = message ?? 'is invalid';
  if (Array.isArray(params.allowedValues)) return `${text}: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return text;
}
