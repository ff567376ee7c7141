import type { Finding, Location, Subject } from '../findings.js';

export type { Subject } from '../findings.js';

/** The listings a server answered, as the report keeps them (`Report['surface']`); items are the server's own. */
export interface ListedSurface {
  tools: unknown[];
  prompts: unknown[];
  resources: unknown[];
  resourceTemplates: unknown[];
}

/** The key `findDefinitions` uses for a subject, e.g. `tool:get_forecast`. */
export function subjectKey(subject: Subject): string {
  return `${subject.kind}:${subject.name}`;
}

/**
 * Points each finding at a line of the user's repository, so GitHub shows it in the pull request's diff:
 * the definition of its subject when one was found, else the fallback (the workflow step). A location
 * a check set itself is kept: the check knew better.
 */
export function attachLocations(findings: Finding[], definitions: Map<string, Location>, fallback?: Location): Finding[] {
  return findings.map((finding) => {
    const location = finding.location ?? definitionOf(finding, definitions) ?? fallback;
    return location ? { ...finding, location } : { ...finding };
  });
}

function definitionOf({ subject }: Finding, definitions: Map<string, Location>): Location | undefined {
  return subject ? definitions.get(subjectKey(subject)) : undefined;
}

/** What the server listed, as the subjects to look for; templates are resources to the reader. */
export function subjectsOf(surface: ListedSurface): Subject[] {
  return [
    ...namesIn(surface.tools).map((name) => ({ kind: 'tool' as const, name })),
    ...namesIn(surface.prompts).map((name) => ({ kind: 'prompt' as const, name })),
    ...namesIn([...surface.resources, ...surface.resourceTemplates]).map((name) => ({ kind: 'resource' as const, name })),
  ];
}

/** Names of listed items; the server controls these lists, so anything without a string name is skipped. */
function namesIn(items: unknown[]): string[] {
  const names = items.map((item) => (item as { name?: unknown } | null)?.name).filter((name): name is string => typeof name === 'string' && name !== '');
  return [...new Set(names)];
}
