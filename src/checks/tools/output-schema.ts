import { specUrl, type CheckMeta } from '../types.js';
import { schemaCheck } from './input-schema.js';

const meta: CheckMeta = {
  id: 'tools.output-schema',
  title: 'Tool output schemas are valid object schemas',
  severity: 'error',
  since: '2025-06-18',
  description: 'Compiles each tool\'s outputSchema, when it has one, with ajv and expects `type: "object"`.',
  why: 'Clients validate structuredContent against the outputSchema; an invalid one makes every call of the tool fail in them.',
  fix: 'Make outputSchema an object schema (`"type": "object"`) in valid JSON Schema, or remove it.',
  specUrl: specUrl('2025-11-25', 'server/tools#output-schema'),
};

export const outputSchema = schemaCheck(meta, 'outputSchema');
