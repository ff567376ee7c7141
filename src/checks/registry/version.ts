import { checkVersions, type VersionIssue } from '../../registry/rules.js';
import { hasServerJson, REGISTRY_REQUIREMENTS_URL, serverJsonLocation, serverJsonOf } from '../support/registry.js';
import { finding, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'registry.version',
  title: 'server.json gives one exact version, the one the package builds',
  severity: 'error',
  description:
    "Refuses `latest` and version ranges (^1.2.3, ~1.2, >=1, 1.x, 1 - 2, 1.2 || 1.3) in version and packages[].version, as the registry does, and compares the version of this project's npm or PyPI package with package.json or pyproject.toml beside server.json.",
  why: 'The registry refuses `latest` and ranges on publish. A version that differs from the manifest makes the registry entry install another release than the one this commit builds and the gate verified.',
  fix: 'Write the exact version being released in server.json (version, and packages[].version), the same as package.json or pyproject.toml; bump them together, e.g. in the release script.',
  specUrl: REGISTRY_REQUIREMENTS_URL,
};

export const registryVersion: Check = {
  meta,
  stage: 'probe',
  appliesTo: hasServerJson,
  run(context) {
    const serverJson = serverJsonOf(context)!;
    return checkVersions(serverJson.data, serverJson.manifests).map((issue) => describe(issue, serverJson.source, context));
  },
};

function describe(issue: VersionIssue, name: string, context: CheckContext): Finding {
  const location = serverJsonLocation(context);
  if (issue.kind === 'refused') {
    const why = issue.reason === 'latest' ? '"latest" is reserved' : 'it is a range, not one version';
    return finding(meta, `${name} has ${issue.where}: ${JSON.stringify(issue.value)}; the registry refuses it on publish (${why}).`, { location });
  }
  const manifest = serverJsonLocation(context, issue.manifest)?.file ?? issue.manifest;
  return finding(
    meta,
    `${name} has ${issue.where}: ${JSON.stringify(issue.value)}, but ${manifest} says ${JSON.stringify(issue.manifestVersion)}: the registry entry would install a release other than the one this commit builds.`,
    {
      location,
      severity: 'warning',
      hint: `Set ${issue.where} to "${issue.manifestVersion}" (or bump ${manifest}), in the same commit as the release.`,
    },
  );
}
