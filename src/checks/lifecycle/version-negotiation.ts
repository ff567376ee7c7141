import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { KNOWN_REVISIONS, UNKNOWN_REVISION, type VersionProbe } from '../../session/version-probe.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.version-negotiation',
  title: 'Version negotiation answers every revision',
  severity: 'error',
  since: '2024-11-05',
  description: `Initializes once per known revision (${KNOWN_REVISIONS.join(', ')}) and once with an unknown one (${UNKNOWN_REVISION}), each on a connection of its own, and expects the requested version back or another version the server supports.`,
  why: 'Clients of every revision are in use; a server that errors, stays silent or answers a version no client knows cannot be used by them at all.',
  fix: 'Answer initialize with the requested version when you support it, otherwise with your latest supported version; never with an error. Upgrading the MCP SDK usually fixes this.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle#version-negotiation'),
};

export function worksWith(matrix: VersionProbe[]): string[] {
  return matrix.filter((p) => p.requested !== UNKNOWN_REVISION && p.answered === p.requested).map((p) => p.requested);
}

function judge(probe: VersionProbe): Finding | undefined {
  const asked = probe.requested === UNKNOWN_REVISION ? `an unknown version (${UNKNOWN_REVISION})` : probe.requested;
  if (probe.error) return finding(meta, `initialize requesting ${asked} failed: ${probe.error}.`);
  if (probe.answered && !SUPPORTED_PROTOCOL_VERSIONS.includes(probe.answered)) {
    return finding(meta, `initialize requesting ${asked} was answered with "${probe.answered}", a version clients do not know.`);
  }
  return undefined;
}

function besideCopiesMessage(error: string, copies: number): string {
  return (
    `Started together with ${copies} copies of itself (one per protocol revision), the server did not come up (${error}), while a copy did; started alone, it did. ` +
    'Clients start a copy per connection (two editor windows, two clients), so a fixed port, a lock file or a start-up that fails now and then breaks them the same way.'
  );
}

export const versionNegotiation: Check = {
  meta,
  stage: 'session',
  awaitsProbes: true,
  appliesTo: (context) => context.versionProbes !== undefined,
  async run(context) {
    const matrix = (await context.versionProbes) ?? [];
    context.observations.versionMatrix = matrix;
    const findings = matrix.map(judge).filter((f): f is Finding => f !== undefined);
    if (context.failedBesideCopies) findings.push(finding(meta, besideCopiesMessage(context.failedBesideCopies, matrix.length - 1), { severity: 'warning' }));
    const unsupported = matrix.filter((p) => p.requested !== UNKNOWN_REVISION && p.answered && p.answered !== p.requested);
    if (unsupported.length && !findings.length) {
      findings.push(
        finding(
          meta,
          `Clients that speak only ${unsupported.map((p) => p.requested).join(', ')} will disconnect: the server answered ${[...new Set(unsupported.map((p) => p.answered))].join(', ')}. Works with clients speaking: ${worksWith(matrix).join(', ')}.`,
          { severity: 'notice' },
        ),
      );
    }
    return findings;
  },
};
