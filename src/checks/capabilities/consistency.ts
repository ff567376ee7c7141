import type { Session } from '../../session/session.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';
import * as results from '../../session/results.js';

const meta: CheckMeta = {
  id: 'capabilities.consistency',
  title: 'Capabilities match what the server does',
  severity: 'warning',
  since: '2024-11-05',
  description:
    'Calls the list methods of capabilities the server does not advertise and expects them to fail. (That an advertised capability works is checked by tools.list, resources.list, prompts.list, logging.set-level and completions.complete.)',
  why: 'Clients only use features whose capability is declared: a working feature that is not advertised is invisible to users.',
  fix: 'Declare every capability the server implements in its InitializeResult (an SDK does this when you register tools, resources or prompts through it).',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle#capability-negotiation'),
};

/** A list "works" only if its answer is a real list: a catch-all that answers `{}` to everything offers nothing. */
const PROBES = [
  { capability: 'tools', method: 'tools/list', field: 'tools', schema: results.ListToolsResult },
  { capability: 'resources', method: 'resources/list', field: 'resources', schema: results.ListResourcesResult },
  { capability: 'prompts', method: 'prompts/list', field: 'prompts', schema: results.ListPromptsResult },
] as const;

/** The names (or URIs) the list returned, or undefined when it failed, as it should. */
async function listUnadvertised(session: Session, probe: (typeof PROBES)[number]): Promise<string[] | undefined> {
  try {
    const result = await session.client.request({ method: probe.method, params: {} }, probe.schema, { timeout: session.requestTimeoutMs });
    const items = (result as Record<string, { name?: string; uri?: string }[]>)[probe.field];
    return items.map((item) => item.name ?? item.uri ?? '');
  } catch {
    return undefined;
  }
}

function describeItems(names: string[]): string {
  if (!names.length) return 'an empty list';
  const shown = names
    .slice(0, 5)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return `${names.length} item(s): ${shown}${names.length > 5 ? ', …' : ''}`;
}

export const capabilityConsistency: Check = {
  meta,
  stage: 'session',
  async run({ session }) {
    if (!session) return [];
    const probes = PROBES.filter((p) => !session.advertises(p.capability));
    // At once: a server that never answers costs one request time-out, not one per capability.
    const answers = await Promise.all(probes.map((probe) => listUnadvertised(session, probe)));
    const findings: Finding[] = [];
    probes.forEach(({ capability, method }, i) => {
      const names = answers[i];
      if (names === undefined) return;
      findings.push(
        finding(
          meta,
          `${method} answered with ${describeItems(names)}, but the server does not advertise the "${capability}" capability, so clients will never call it.`,
        ),
      );
    });
    return findings;
  },
};
