import { compareIdentity, type IdentityIssue } from '../../registry/rules.js';
import { hasServerJson, liveIdentityOf, REGISTRY_REQUIREMENTS_URL, serverJsonLocation, serverJsonOf } from '../support/registry.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'registry.server-info',
  title: 'The live server reports the version server.json publishes',
  severity: 'warning',
  description:
    "Compares server.json's version with the version the running server reports (serverInfo), and notes a serverInfo.name that shares nothing with the registry name.",
  why: "The registry documents version as the equivalent of the server's own Implementation.version: when they differ, the build verified is not the release described, or a version bump was forgotten in the code, and users report bugs against the wrong version.",
  fix: "Report the package's version from the server (read it from package.json or importlib.metadata rather than a literal), and release server.json with the same version.",
  specUrl: REGISTRY_REQUIREMENTS_URL,
};

export const registryServerInfo: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => hasServerJson(context) && liveIdentityOf(context) !== undefined,
  run(context) {
    const serverJson = serverJsonOf(context)!;
    return compareIdentity(serverJson.data, liveIdentityOf(context)!).map((issue) =>
      finding(meta, describe(issue, serverJson.source), {
        location: serverJsonLocation(context),
        ...(issue.kind === 'name-unrelated'
          ? {
              severity: 'notice' as const,
              hint: 'Nothing requires the names to match; a serverInfo.name that recalls the registry name (its part after the slash) helps users recognise the server.',
            }
          : {}),
      }),
    );
  },
};

function describe(issue: IdentityIssue, name: string): string {
  if (issue.kind === 'version-differs')
    return `${name} publishes version "${issue.declared}", but the running server reports "${issue.live}" (${issue.source}).`;
  return `${name} names the server "${issue.declared}", and the running server calls itself "${issue.live}" (${issue.source}); the two share nothing, so users may not recognise one as the other.`;
}
