import { CURRENT_SCHEMA_URL, schemaStatus, validateAgainstCurrentSchema } from '../../registry/schema.js';
import { hasServerJson, REGISTRY_REQUIREMENTS_URL, serverJsonLocation, serverJsonOf } from '../support/registry.js';
import { finding, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'registry.schema',
  title: "server.json names the registry's current schema and conforms to it",
  severity: 'error',
  description: `Reads the $schema of server.json as mcp-publisher does: it must be the current schema (${CURRENT_SCHEMA_URL}), and the file must validate against it (the schema is vendored with the gate).`,
  why: 'mcp-publisher publish refuses a server.json without $schema or with any other schema URL ("deprecated schema detected"), and the registry refuses one that breaks the schema: the release step fails after the package is already on npm or PyPI.',
  fix: `Set "$schema": "${CURRENT_SCHEMA_URL}" and fix each field named (the registry's CHANGELOG lists what changed between schema versions: https://github.com/modelcontextprotocol/registry/blob/main/docs/reference/server-json/CHANGELOG.md).`,
  specUrl: REGISTRY_REQUIREMENTS_URL,
};

export const registrySchema: Check = {
  meta,
  stage: 'probe',
  appliesTo: hasServerJson,
  run(context) {
    const serverJson = serverJsonOf(context)!;
    const location = serverJsonLocation(context);
    const name = serverJson.source;
    const status = schemaStatus(serverJson.data);
    switch (status.kind) {
      case 'missing':
        return [finding(meta, `${name} has no "$schema"; mcp-publisher publish refuses it ("$schema field is required").`, { location })];
      case 'unrecognized':
        return [
          finding(
            meta,
            `${name} has "$schema": ${JSON.stringify(status.value)}, which is not a registry schema URL (…/schemas/<version>/server.schema.json); mcp-publisher publish refuses it.`,
            { location },
          ),
        ];
      case 'deprecated':
        return [
          finding(
            meta,
            `${name} uses the deprecated schema ${status.url} (${status.version}); mcp-publisher publish refuses it with "deprecated schema detected", since the registry accepts only ${CURRENT_SCHEMA_URL}.`,
            {
              location,
              hint: `Replace "$schema" with "${CURRENT_SCHEMA_URL}", then run mcp-publisher validate; fields renamed since ${status.version} are listed in the registry's CHANGELOG (https://github.com/modelcontextprotocol/registry/blob/main/docs/reference/server-json/CHANGELOG.md).`,
            },
          ),
        ];
      case 'newer':
        return [
          finding(
            meta,
            `${name} uses the schema ${status.url}, newer than the newest this gate knows (${CURRENT_SCHEMA_URL}); it was not validated. Upgrade mcp-preflight to have it checked.`,
            {
              location,
              severity: 'notice',
              hint: 'Upgrade mcp-preflight; until then mcp-publisher validate checks the file.',
            },
          ),
        ];
      case 'current':
        // registry.description-length reports an over-long description with its length.
        return schemaFindings(
          name,
          validateAgainstCurrentSchema(serverJson.data).filter((p) => !(p.pointer === '/description' && p.keyword === 'maxLength')),
          location,
        );
    }
  },
};

function schemaFindings(name: string, problems: ReturnType<typeof validateAgainstCurrentSchema>, location: Finding['location']): Finding[] {
  if (!problems.length) return [];
  const listed = problems.slice(0, 10).map((p) => `${p.pointer || '(root)'} ${p.message}`);
  const more = problems.length > listed.length ? ` (and ${problems.length - listed.length} more)` : '';
  return [finding(meta, `${name} does not conform to ${CURRENT_SCHEMA_URL}, so the registry refuses it: ${listed.join('; ')}${more}.`, { location })];
}
