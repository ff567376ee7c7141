import type { Tool } from '@modelcontextprotocol/client';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';
import { mapInTurns } from '../../util/turns.js';
import { compileSchema } from '../support/json-schema.js';
import { toolsCheck } from '../support/listed-tools.js';

const meta: CheckMeta = {
  id: 'tools.input-schema',
  title: 'Tool input schemas are valid object schemas',
  severity: 'error',
  since: '2024-11-05',
  description: 'Compiles each tool\'s inputSchema with ajv (2020-12 by default from 2025-11-25, draft-07 before) and expects `type: "object"`.',
  why: 'Clients hand the schema to the model and validate arguments with it; an invalid schema makes some clients drop the tool or refuse the whole server.',
  fix: 'Give the tool an inputSchema with `"type": "object"` and valid JSON Schema (an SDK builds it from zod or pydantic types). Declare `$schema` if you use another dialect.',
  specUrl: specUrl('2025-11-25', 'server/tools#tool'),
};

/** Compile errors by dialect and schema text: servers repeat one schema across many tools, and compiling costs. */
type CompileCache = Map<string, string | undefined>;

export function checkObjectSchema(
  meta: CheckMeta,
  tool: Tool,
  field: 'inputSchema' | 'outputSchema',
  protocolVersion: string,
  cache: CompileCache = new Map(),
): Finding[] {
  const schema = tool[field];
  if (schema === undefined) return [];
  const subject = { kind: 'tool' as const, name: tool.name };
  if (schema === null || typeof schema !== 'object' || schema.type !== 'object') {
    const has =
      schema !== null && typeof schema === 'object'
        ? schema.type === undefined
          ? 'no "type"'
          : `"type": ${JSON.stringify(schema.type)}`
        : JSON.stringify(schema);
    return [
      finding(
        meta,
        `Tool "${tool.name}": ${field} must have "type": "object"; it has ${has}. Clients built on the MCP SDK reject the whole tools/list answer because of it, so none of the server's tools can be used.`,
        { subject },
      ),
    ];
  }
  const key = `${protocolVersion}\n${JSON.stringify(schema)}`;
  if (!cache.has(key)) {
    const compiled = compileSchema(schema, protocolVersion);
    cache.set(key, 'error' in compiled ? `${field} is not valid JSON Schema (${compiled.dialect}): ${compiled.error}` : undefined);
  }
  const error = cache.get(key);
  return error ? [finding(meta, `Tool "${tool.name}": ${error}`, { subject })] : [];
}

/** The input- and output-schema checks differ only in the field they read. */
export function schemaCheck(meta: CheckMeta, field: 'inputSchema' | 'outputSchema'): Check {
  return toolsCheck(meta, (tools, session) => {
    const cache: CompileCache = new Map();
    return mapInTurns(tools, (tool) => checkObjectSchema(meta, tool, field, session.protocolVersion, cache));
  });
}

export const inputSchema = schemaCheck(meta, 'inputSchema');
