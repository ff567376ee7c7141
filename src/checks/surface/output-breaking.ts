import { specUrl, type CheckMeta } from '../types.js';
import { surfaceCheck } from '../support/surface-changes.js';

const meta: CheckMeta = {
  id: 'surface.output-breaking',
  title: 'Tool results stay within the outputSchema of the baseline',
  severity: 'error',
  description:
    "Compares each tool's outputSchema with the baseline's as sets of values (json-schema-diff; `enum` and `const` by value) and reports a tool whose structuredContent may now hold values the baseline's schema excluded, or that no longer declares an outputSchema.",
  why: 'Clients parse structuredContent by the schema they were given: a new type, a dropped required field or a new enum value reaches code that was never written for it.',
  fix: 'Keep outputs within the old schema (add optional fields only, never drop required ones or widen types); if the change is intended, release it as a breaking change and update the baseline.',
  specUrl: specUrl('2025-11-25', 'server/tools#output-schema'),
};

export const surfaceOutputBreaking = surfaceCheck(meta, 'output-breaking');
