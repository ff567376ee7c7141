import { isMap, parseDocument } from 'yaml';
import { INPUTS, type InputSpec } from '../inputs.js';
import { OUTPUTS, type OutputSpec } from './outputs.js';

/**
 * action.yml's `inputs` and `outputs`, generated from src/inputs.ts and src/report/outputs.ts by
 * `npm run docs`. The rest of action.yml (name, description, branding, `runs`) is the template: it is
 * kept as written, comments included, and only these two maps are replaced.
 */
export function updateActionMetadata(actionYml: string, inputs: readonly InputSpec[] = INPUTS, outputs: readonly OutputSpec[] = OUTPUTS): string {
  const doc = parseDocument(actionYml);
  if (doc.errors.length) throw new Error(`action.yml is not valid YAML: ${doc.errors[0].message}`);
  if (!isMap(doc.contents)) throw new Error('action.yml must be a map (name, description, runs, …) at the top level.');
  doc.set('inputs', doc.createNode(Object.fromEntries(inputs.map((input) => [input.name, inputEntry(input)]))));
  doc.set('outputs', doc.createNode(Object.fromEntries(outputs.map((output) => [output.name, { description: output.description }]))));
  // Single quotes, as action.yml has always been written: `${{ github.token }}` and `: ` stay literal text.
  return doc.toString({ lineWidth: 0, defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' });
}

/** No input is required: which of command, start, deploy and url are needed depends on the others. */
function inputEntry(input: InputSpec): Record<string, string | boolean> {
  return { description: input.description, required: false, ...(input.default !== undefined && { default: input.default }) };
}
