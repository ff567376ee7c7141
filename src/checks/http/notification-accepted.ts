import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { describeResponse, httpOf, onStreamableHttp } from '../support/http.js';

const meta: CheckMeta = {
  id: 'http.notification-accepted',
  title: 'A notification is answered 202 with no body',
  severity: 'warning',
  since: '2025-03-26',
  description: 'POSTs a notification (notifications/initialized) within the session and expects 202 Accepted with an empty body.',
  why: 'Clients expect no body for a notification; a JSON body or an open stream there ties up their connection or is parsed as a stray response.',
  fix: 'Answer POSTed notifications and responses with 202 and no body.',
  specUrl: specUrl('2025-11-25', 'basic/transports#sending-messages-to-the-server'),
};

export const httpNotification: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  appliesTo: onStreamableHttp,
  async run(context) {
    const response = await httpOf(context).send({ method: 'POST', body: { jsonrpc: '2.0', method: 'notifications/initialized' } });
    if (response.status === 202 && !response.body?.trim()) return [];
    return [finding(meta, `A POSTed notification (notifications/initialized) got ${describeResponse(response)}; expected 202 Accepted with no body.`)];
  },
};
