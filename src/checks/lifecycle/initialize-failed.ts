import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import { connectError, connectFailed } from '../support/evidence.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'lifecycle.initialize-failed',
  title: 'initialize returns a valid result',
  severity: 'error',
  since: '2024-11-05',
  description: "Validates the answer to initialize against the SDK's InitializeResult schema and the protocol versions clients know.",
  why: 'Clients abort the connection on an error or a malformed InitializeResult; the tools are never listed.',
  cause:
    'A hand-written initialize handler that leaves out a required field (protocolVersion, capabilities, serverInfo), answers a protocol version clients do not know, or throws; or a proxy in front of the server that rewrites the answer.',
  fix: 'Answer initialize with protocolVersion (one clients support), capabilities and serverInfo {name, version}; an SDK does this for you when the server is built with it.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle'),
};

export const initializeFailed: Check = {
  meta,
  stage: 'startup',
  era: 'legacy',
  appliesTo: (context) => context.connect !== undefined,
  run(context) {
    if (!connectFailed(context)) return [];
    const record = context.connect?.exchange.initialize;
    if (record?.error) {
      return [finding(meta, `initialize was answered with error ${record.error.code}: ${record.error.message}`)];
    }
    if (record?.rawResult === undefined) return [];
    const raw = record.rawResult as Record<string, unknown>;
    const missing = ['protocolVersion', 'capabilities', 'serverInfo'].filter((field) => raw?.[field] === undefined);
    if (missing.length) {
      return [finding(meta, `The InitializeResult lacks ${missing.join(', ')}: ${JSON.stringify(raw).slice(0, 300)}`)];
    }
    const version = String(raw.protocolVersion);
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return [
        finding(meta, `The server answered protocolVersion "${version}", which clients do not know (they know ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}).`),
      ];
    }
    return [finding(meta, `The InitializeResult was rejected: ${connectError(context)?.message ?? 'invalid shape'}`)];
  },
};
