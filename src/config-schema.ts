/**
 * The JSON Schema of the configuration file. `npm run docs` publishes it as
 * schema/mcp-preflight.config.schema.json, so editors can validate and complete the file.
 */
import { LIMIT_DEFAULTS, RESOURCE_DEFAULTS, THRESHOLD_DEFAULTS, VERSION_MATRICES, VERSION_MATRIX_DEFAULT } from './config-defaults.js';

const severity = { enum: ['error', 'warning', 'notice', 'off'] };

export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'mcp-preflight configuration',
  description: 'What the action inputs cannot carry well: smoke calls, severity overrides, skipped checks, thresholds and ignored findings.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    severity: {
      description: 'Severity per check id; "off" skips the check.',
      type: 'object',
      additionalProperties: severity,
    },
    skip: {
      description: 'Check ids to skip.',
      type: 'array',
      items: { type: 'string' },
      uniqueItems: true,
    },
    calls: {
      description: 'Opt-in smoke calls: undeclared tools are never called.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tool'],
        properties: {
          tool: { type: 'string', minLength: 1 },
          arguments: { type: 'object' },
          expect: {
            type: 'object',
            additionalProperties: false,
            properties: {
              isError: { type: 'boolean', description: "Expected value of the result's isError (default false)." },
              textContains: { type: 'string', description: 'A text content block must contain this string.' },
              json: {
                type: 'object',
                description:
                  'JSONPath paths (e.g. "$.items[0].id", "$..unit") into structuredContent, with the values they must equal. Filter and script expressions ([?(…)], [(…)]) are refused: the gate runs no code from this file.',
                additionalProperties: true,
              },
            },
          },
        },
      },
    },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      properties: {
        slowStartupMs: {
          type: 'integer',
          minimum: 1,
          description: `Start-up time above which startup.slow warns (default ${THRESHOLD_DEFAULTS.slowStartupMs}).`,
        },
        latencyP95Ms: {
          type: 'integer',
          minimum: 1,
          description: `p95 latency of ping and tools/list above which perf.latency warns (default ${THRESHOLD_DEFAULTS.latencyP95Ms}).`,
        },
        latencyBurst: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          description: `Requests per method in the latency burst (default ${THRESHOLD_DEFAULTS.latencyBurst}).`,
        },
        maxDescriptionLength: {
          type: 'integer',
          minimum: 1,
          description: `Tool description length above which tools.description notes it (default ${THRESHOLD_DEFAULTS.maxDescriptionLength}).`,
        },
      },
    },
    versionMatrix: {
      enum: VERSION_MATRICES,
      description: `Versions the compatibility matrix asks for beside the gate's own connections (the latest of each era): "latest", none; "minimal", the oldest legacy revision, an unknown legacy one and an unknown modern one; "full", every legacy revision too; "auto", minimal over HTTP and latest over stdio, where each is another start of the server (default ${VERSION_MATRIX_DEFAULT}).`,
    },
    maxPages: { type: 'integer', minimum: 1, maximum: 10000, description: 'Pages a list may take (default 100; the max-pages input wins).' },
    resources: {
      type: 'object',
      additionalProperties: false,
      properties: {
        readCount: { type: 'integer', minimum: 0, description: `Static resources to read (default ${RESOURCE_DEFAULTS.readCount}).` },
        maxBytes: { type: 'integer', minimum: 1, description: `Size above which a resource read is reported (default ${RESOURCE_DEFAULTS.maxBytes}).` },
      },
    },
    limits: {
      description: "How much of the server's answers the gate reads and keeps; what goes past a limit is a finding of security.unbounded-answer.",
      type: 'object',
      additionalProperties: false,
      properties: {
        maxBodyBytes: {
          type: 'integer',
          minimum: 1024,
          description: `Bytes of one HTTP answer or event stream the gate reads (default ${LIMIT_DEFAULTS.maxBodyBytes}).`,
        },
        maxItems: {
          type: 'integer',
          minimum: 1,
          description: `Tools, resources, resource templates or prompts kept per list (default ${LIMIT_DEFAULTS.maxItems}).`,
        },
        maxSurfaceBytes: {
          type: 'integer',
          minimum: 1024,
          description: `Size as JSON of the items kept per list (default ${LIMIT_DEFAULTS.maxSurfaceBytes}).`,
        },
        maxDepth: {
          type: 'integer',
          minimum: 8,
          maximum: 1000,
          description: `Nesting levels of JSON the gate keeps; deeper values are cut (default ${LIMIT_DEFAULTS.maxDepth}).`,
        },
      },
    },
    ignore: {
      description: 'Reviewed false positives of the security checks, each silenced for exactly one tool, prompt or resource, with the reason.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'reason'],
        properties: {
          id: { type: 'string', description: 'The check id, e.g. "security.tool-poisoning".' },
          tool: { type: 'string', minLength: 1, description: 'Name of the tool the finding is about.' },
          prompt: { type: 'string', minLength: 1, description: 'Name of the prompt the finding is about.' },
          resource: { type: 'string', minLength: 1, description: 'Name of the resource or resource template the finding is about.' },
          rule: {
            type: 'string',
            minLength: 1,
            description: 'Only this sub-rule of the check (e.g. "base64-blob"); without it, every rule of the check for this subject.',
          },
          reason: { type: 'string', minLength: 1, description: 'Why the finding is a false positive, for the next reviewer.' },
        },
      },
    },
  },
} as const;
