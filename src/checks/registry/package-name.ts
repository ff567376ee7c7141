import { checkOwnership, type OwnershipIssue } from '../../registry/rules.js';
import { hasServerJson, REGISTRY_REQUIREMENTS_URL, serverJsonLocation, serverJsonOf } from '../support/registry.js';
import { finding, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'registry.package-name',
  title: 'The package proves it belongs to the server.json name',
  severity: 'error',
  description:
    "For this project's own npm package, expects `mcpName` in package.json to equal server.json's name; for its PyPI package, an `mcp-name: <name>` marker in README.md (PyPI publishes the README as the description).",
  why: 'The registry verifies package ownership on publish by reading mcpName from the npm package, or the mcp-name marker from the PyPI description, and refuses the publish when it is missing or names another server.',
  fix: 'npm: add "mcpName": "<server.json name>" to package.json and publish that version. PyPI: add a line <!-- mcp-name: <server.json name> --> to README.md and publish that version.',
  specUrl: REGISTRY_REQUIREMENTS_URL,
};

export const registryPackageName: Check = {
  meta,
  stage: 'probe',
  appliesTo: hasServerJson,
  run(context) {
    const serverJson = serverJsonOf(context)!;
    const name = String(serverJson.data.name);
    return checkOwnership(serverJson.data, serverJson.manifests).map((issue) => describe(issue, name, context));
  },
};

function describe(issue: OwnershipIssue, name: string, context: CheckContext): Finding {
  const file = (path: string | undefined) => (path ? (serverJsonLocation(context, path)?.file ?? path) : 'README.md');
  switch (issue.kind) {
    case 'npm-missing':
      return finding(
        meta,
        `${file(issue.manifest)} has no "mcpName"; the registry reads it from the published npm package ${issue.identifier} and refuses to publish ${name} without it.`,
        {
          location: serverJsonLocation(context, issue.manifest),
          hint: `Add "mcpName": "${name}" to ${file(issue.manifest)}, publish that version to npm, then publish server.json.`,
        },
      );
    case 'npm-differs':
      return finding(
        meta,
        `${file(issue.manifest)} has "mcpName": "${issue.mcpName}", but server.json's name is "${name}"; the registry refuses a package whose mcpName names another server.`,
        {
          location: serverJsonLocation(context, issue.manifest),
          hint: `Make them equal: "mcpName": "${name}" in ${file(issue.manifest)} (or rename the server in server.json).`,
        },
      );
    case 'pypi-missing':
      return finding(
        meta,
        `No "mcp-name: ${name}" marker was found in ${file(issue.readme)}; the registry looks for it in the PyPI description of ${issue.identifier} and refuses to publish without it.`,
        {
          severity: 'warning',
          hint: `Add <!-- mcp-name: ${name} --> to the README that PyPI publishes (pyproject's readme), then publish that version.`,
        },
      );
    case 'pypi-differs':
      return finding(
        meta,
        `${file(issue.readme)} has the marker mcp-name: ${issue.names.join(', ')}, but server.json's name is "${name}"; the registry refuses a package whose marker names another server.`,
        {
          location: serverJsonLocation(context, issue.readme),
          hint: `Write <!-- mcp-name: ${name} --> in ${file(issue.readme)} and publish that version.`,
        },
      );
  }
}
