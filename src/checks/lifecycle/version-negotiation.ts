import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import { KNOWN_REVISIONS, UNKNOWN_REVISION, type VersionProbe } from '../../session/version-probe.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.version-negotiation',
  title: 'Version negotiation answers every revision',
  severity: 'error',
  since: '2024-11-05',
  description: `Judges the legacy rows of the compatibility matrix: the version the server answered to the gate's own connection (the latest revision) and, over HTTP, to initialize requests for the oldest revision (${KNOWN_REVISIONS[0]}) and an unknown one (${UNKNOWN_REVISION}), each on a connection of its own, expecting the requested version back or another version the server supports. Over stdio each such connection is another start of the server, so it is opt-in there: \`versionMatrix: minimal\` (those two) or \`full\` (every revision: ${KNOWN_REVISIONS.join(', ')}) in the configuration file.`,
  why: 'Clients of every revision are in use; a server that errors, stays silent or answers a version no client knows cannot be used by them at all.',
  fix: 'Answer initialize with the requested version when you support it, otherwise with your latest supported version; never with an error. Upgrading the MCP SDK usually fixes this.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle#version-negotiation'),
};

function judge(probe: VersionProbe): Finding | undefined {
  const asked = probe.requested === UNKNOWN_REVISION ? `an unknown version (${UNKNOWN_REVISION})` : probe.requested;
  if (probe.error) return finding(meta, `initialize requesting ${asked} failed: ${probe.error}.`);
  if (probe.answered && !SUPPORTED_PROTOCOL_VERSIONS.includes(probe.answered)) {
    return finding(meta, `initialize requesting ${asked} was answered with "${probe.answered}", a version clients do not know.`);
  }
  return undefined;
}

export const versionNegotiation: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  needs: ['version-matrix'],
  async run(context) {
    const matrix = ((await context.versionMatrix) ?? []).filter((p) => p.era === 'legacy');
    const findings = matrix.map(judge).filter((f): f is Finding => f !== undefined);
    const known = matrix.filter((p) => p.requested !== UNKNOWN_REVISION);
    const unsupported = known.filter((p) => p.answered && p.answered !== p.requested);
    if (unsupported.length && !findings.length) {
      const works = known.filter((p) => p.answered === p.requested).map((p) => p.requested);
      findings.push(
        finding(
          meta,
          `Clients that speak only ${unsupported.map((p) => p.requested).join(', ')} will disconnect: the server answered ${[...new Set(unsupported.map((p) => p.answered))].join(', ')}. Works with clients speaking: ${works.join(', ')}.`,
          { severity: 'notice' },
        ),
      );
    }
    return findings;
  },
};
