import { type CallToolResult, type Tool } from '@modelcontextprotocol/client';
import type { SmokeCall } from '../../config.js';
import type { Session } from '../../session/session.js';
import { valueAt } from '../../util/json-path.js';
import { noAnswer } from '../support/no-answer.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';
import { compileSchema, describeErrors } from '../support/json-schema.js';
import { listedTools } from '../support/listed-tools.js';
import { quoteError } from '../support/request-error.js';
import * as results from '../../session/results.js';

const meta: CheckMeta = {
  id: 'tools.call',
  title: 'Declared smoke calls return what they should',
  severity: 'error',
  since: '2024-11-05',
  description:
    "Calls the tools listed under `calls` in the configuration file, with their arguments, and checks the expectations (isError false by default, textContains, JSONPath paths into structuredContent, without filter or script expressions). structuredContent is validated against the tool's outputSchema. Undeclared tools are never called.",
  why: 'Listing tools proves little: a smoke call proves the tool works end to end, and a result that breaks its own outputSchema is rejected by clients.',
  fix: 'Fix the tool, or the expectation in the configuration file if the tool changed on purpose.',
  specUrl: specUrl('2025-11-25', 'server/tools#calling-tools'),
};

function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

/** Every way the result falls short of the declaration, as sentences. */
function unmetExpectations(call: SmokeCall, tool: Tool, result: CallToolResult, protocolVersion: string): string[] {
  const problems: string[] = [];
  const expectError = call.expect?.isError ?? false;
  if (Boolean(result.isError) !== expectError) {
    problems.push(`isError is ${Boolean(result.isError)}, expected ${expectError}${result.isError ? `: ${textOf(result).slice(0, 300)}` : ''}`);
  }
  const text = call.expect?.textContains;
  if (text !== undefined && !textOf(result).includes(text)) problems.push(`no text content contains ${JSON.stringify(text)}`);
  for (const [path, expected] of Object.entries(call.expect?.json ?? {})) {
    const actual = valueAt(path, result.structuredContent ?? {});
    if ('error' in actual) problems.push(`${path} could not be followed in structuredContent: ${actual.error}`);
    else if (JSON.stringify(actual.value) !== JSON.stringify(expected)) {
      problems.push(`${path} in structuredContent is ${JSON.stringify(actual.value)}, expected ${JSON.stringify(expected)}`);
    }
  }
  if (tool.outputSchema && !result.isError) problems.push(...outputSchemaProblems(tool, result, protocolVersion));
  return problems;
}

function outputSchemaProblems(tool: Tool, result: CallToolResult, protocolVersion: string): string[] {
  if (result.structuredContent === undefined) return ['the tool has an outputSchema but returned no structuredContent'];
  const compiled = compileSchema(tool.outputSchema, protocolVersion);
  if ('error' in compiled) return []; // tools.output-schema reports the schema itself.
  if (compiled.validate(result.structuredContent)) return [];
  return [`structuredContent does not match the outputSchema, so clients reject the result: ${describeErrors(compiled.validate, result.structuredContent)}`];
}

async function runCall(session: Session, call: SmokeCall, tools: Tool[]): Promise<Finding[]> {
  const subject = { kind: 'tool' as const, name: call.tool };
  const tool = tools.find((t) => t.name === call.tool);
  if (!tool) {
    const listed = tools.length ? `It lists: ${[...new Set(tools.map((t) => t.name))].join(', ')}.` : 'It lists no tools.';
    return [finding(meta, `The configuration declares a call to "${call.tool}", but the server lists no such tool. ${listed}`, { subject })];
  }
  let result: CallToolResult;
  try {
    result = await session.client.request({ method: 'tools/call', params: { name: call.tool, arguments: call.arguments ?? {} } }, results.CallToolResult, {
      timeout: session.requestTimeoutMs,
    });
  } catch (error) {
    const missing = noAnswer(error, session.requestTimeoutMs);
    return [finding(meta, `Calling "${call.tool}" ${missing ? `got ${missing}` : 'failed'}: ${quoteError(error)}`, { subject })];
  }
  const problems = unmetExpectations(call, tool, result, session.protocolVersion);
  return problems.length ? [finding(meta, `Calling "${call.tool}" with ${JSON.stringify(call.arguments ?? {})}: ${problems.join('; ')}.`, { subject })] : [];
}

export const toolCall: Check = {
  meta,
  stage: 'session',
  appliesTo: ({ session, settings }) => (session?.advertises('tools') ?? false) && settings.config.calls.length > 0,
  async run({ session, settings }) {
    if (!session) return [];
    const tools = await listedTools(session);
    const findings: Finding[] = [];
    for (const call of settings.config.calls) findings.push(...(await runCall(session, call, tools)));
    return findings;
  },
};
