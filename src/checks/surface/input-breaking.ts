import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.input-breaking',
  title: 'Tools accept every argument their baseline accepted',
  severity: 'error',
  description:
    "Compares each tool's inputSchema with the baseline's as sets of accepted arguments (json-schema-diff; `enum` and `const` by value) and reports a tool that now rejects arguments it accepted: a required parameter added, a type changed or narrowed, an enum value removed, a property removed under `additionalProperties: false`.",
  why: 'Clients and agents send the arguments the old schema allowed; once the schema is narrower, those calls are refused as invalid params.',
  fix: 'Make the change additive: add new parameters as optional with a default, widen rather than narrow types and enums. If the break is intended, release it as such and update the baseline.',
  specUrl: specUrl('2025-11-25', 'server/tools#tool'),
};

export const surfaceInputBreaking = surfaceCheck(meta, 'input-breaking');
