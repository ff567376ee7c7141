import { ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

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

const PROBES = [
  { capability: 'tools', method: 'tools/list' },
  { capability: 'resources', method: 'resources/list' },
  { capability: 'prompts', method: 'prompts/list' },
] as const;

export const capabilityConsistency: Check = {
  meta,
  stage: 'session',
  async run({ session }) {
    if (!session) return [];
    const findings: Finding[] = [];
    for (const { capability, method } of PROBES.filter((p) => !session.advertises(p.capability))) {
      const answered = await session.client
        .request({ method, params: {} }, ResultSchema, { timeout: session.requestTimeoutMs })
        .then(() => true, () => false);
      if (answered) findings.push(finding(meta, `${method} works, but the server does not advertise the "${capability}" capability, so clients will never call it.`));
    }
    return findings;
  },
};
