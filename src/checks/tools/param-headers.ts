import { rawList } from '../support/raw-answer.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'tools.param-headers',
  title: 'x-mcp-header declarations follow the rules clients enforce',
  severity: 'error',
  since: '2026-07-28',
  description:
    "Reads tools/list as the server sends it (the SDK client drops the tools at fault) and checks every `x-mcp-header` in each inputSchema: a non-empty RFC 9110 token, on a property of type string, integer or boolean, reachable from the root through `properties` only, and unique among the tool's declarations regardless of case. An error over Streamable HTTP, where clients must drop the tool; a warning over stdio, where they may ignore the declarations.",
  why: 'A Streamable HTTP client must leave out of tools/list every tool with one broken `x-mcp-header`: the tool silently disappears for users, while the server logs nothing.',
  fix: 'Name the header with letters, digits and `-` only (e.g. `Tenant-Id`, not `Tenant Id`), put it on a string, integer or boolean parameter directly under `properties` (not under items, anyOf or $ref), and give each parameter its own name, unique ignoring case; or remove the declaration.',
  specUrl: specUrl('2026-07-28', 'server/tools#x-mcp-header'),
};

const KEY = 'x-mcp-header';
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_TYPES = new Set(['string', 'integer', 'boolean']);
/** Keywords that hold one subschema or a list of them: a declaration under them is not reachable. */
const SUBSCHEMA_KEYWORDS = [
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'oneOf',
  'anyOf',
  'allOf',
];
/** Keywords that hold a map of name to subschema. */
const SUBSCHEMA_MAPS = ['patternProperties', 'dependentSchemas', '$defs', 'definitions'];

interface Problem {
  /** The parameter, as a path of property names (`filter.kind`), or where the declaration sits. */
  parameter: string;
  reason: string;
}

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every broken declaration in one inputSchema. */
export function headerProblems(inputSchema: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const visit = (node: unknown, path: string[], reachable: boolean): void => {
    if (!isSchema(node)) return;
    if (KEY in node) judgeDeclaration(node, path, reachable, seen, problems);
    if (isSchema(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) visit(child, [...path, name], reachable);
    }
    for (const keyword of SUBSCHEMA_KEYWORDS) {
      const sub = node[keyword];
      for (const branch of Array.isArray(sub) ? sub : [sub]) visit(branch, [...path, `<${keyword}>`], false);
    }
    for (const keyword of SUBSCHEMA_MAPS) {
      const map = node[keyword];
      if (isSchema(map)) for (const [name, child] of Object.entries(map)) visit(child, [...path, `<${keyword}>`, name], false);
    }
  };
  visit(inputSchema, [], true);
  return problems;
}

function judgeDeclaration(node: Schema, path: string[], reachable: boolean, seen: Map<string, string>, problems: Problem[]): void {
  const parameter = path.length ? path.join('.') : '(the schema root)';
  const value = node[KEY];
  const add = (reason: string) => problems.push({ parameter, reason });
  if (!reachable || path.length === 0) {
    add('the declaration is not on a property reachable from the root through `properties` only (it is under items, a composition keyword, $defs or the root)');
    return;
  }
  if (typeof value !== 'string' || value === '') {
    add(`x-mcp-header is ${JSON.stringify(value)}, not a non-empty string`);
    return;
  }
  if (!TOKEN.test(value))
    add(
      `x-mcp-header ${JSON.stringify(value)} is not an RFC 9110 token (no spaces, control characters or delimiters such as ( ) , / : ; < = > ? @ [ \\ ] { } ")`,
    );
  const type = node.type;
  if (typeof type !== 'string' || !HEADER_TYPES.has(type)) {
    add(
      `x-mcp-header ${JSON.stringify(value)} is on a parameter of type ${type === undefined ? '(none)' : JSON.stringify(type)}; only string, integer and boolean are allowed${type === 'number' ? ' (use integer, or a string)' : ''}`,
    );
  }
  const lower = value.toLowerCase();
  const earlier = seen.get(lower);
  if (earlier !== undefined) add(`x-mcp-header ${JSON.stringify(value)} repeats ${JSON.stringify(earlier)}: names must be unique ignoring case`);
  else seen.set(lower, value);
}

function findingsFor(tool: Schema, overHttp: boolean): Finding[] {
  const name = typeof tool.name === 'string' ? tool.name : '(unnamed)';
  const problems = headerProblems(tool.inputSchema);
  if (!problems.length) return [];
  const effect = overHttp
    ? 'Streamable HTTP clients must drop this tool from tools/list, so users never see it'
    : 'Clients over stdio may ignore the declarations, but over Streamable HTTP clients must drop this tool';
  const details = problems.map((p) => `parameter "${p.parameter}": ${p.reason}`).join('; ');
  return [
    finding(meta, `Tool "${name}" declares x-mcp-header against the spec's rules (${details}). ${effect}.`, {
      subject: { kind: 'tool', name },
      severity: overHttp ? 'error' : 'warning',
    }),
  ];
}

export const paramHeaders: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  appliesTo: ({ session }) => session?.raw !== undefined && session.advertises('tools'),
  async run({ session, settings }) {
    if (!session?.raw) return [];
    const { items: tools, failure } = await rawList(session.raw.shared(), 'tools/list', 'tools', settings.maxPages);
    const overHttp = session.transportName === 'streamable-http';
    const findings = tools.flatMap((tool) => findingsFor(tool, overHttp));
    // A failing tools/list is tools.list's finding; this one only says what could not be judged.
    if (failure)
      findings.push(
        finding(meta, `The raw tools/list failed (${failure}), so the x-mcp-header declarations of the tools after it were not checked.`, {
          severity: 'notice',
        }),
      );
    return findings;
  },
};
