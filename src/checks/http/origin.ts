import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { describeResponse, onStreamableHttp, postInitializeWith } from '../support/http.js';

const meta: CheckMeta = {
  id: 'http.origin',
  title: 'A foreign Origin is refused with 403',
  severity: 'warning',
  since: '2025-11-25',
  description: 'POSTs initialize with `Origin: https://attacker.invalid` and expects 403 Forbidden.',
  why: "A web page the user visits can send requests to a server on localhost or the intranet (DNS rebinding); without an Origin check it can call the server's tools as the user.",
  fix: 'Validate the Origin header against the origins you serve and answer 403 to others (the SDK has an allowed-origins / DNS-rebinding protection option); bind local servers to 127.0.0.1.',
  specUrl: specUrl('2025-11-25', 'basic/transports#security-warning'),
};

export const FOREIGN_ORIGIN = 'https://attacker.invalid';

export const httpOrigin: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  appliesTo: onStreamableHttp,
  async run(context) {
    const response = await postInitializeWith(context, { origin: FOREIGN_ORIGIN });
    if (response.status === 403) return [];
    return [
      finding(
        meta,
        `initialize POSTed with "Origin: ${FOREIGN_ORIGIN}" got ${describeResponse(response)}, not 403: a web page on any site could call this server through the user's browser.`,
      ),
    ];
  },
};
