import type { HttpReply } from '../../util/http/request.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { describeResponse, onStreamableHttp, postInitializeWith } from '../support/http.js';

const meta: CheckMeta = {
  id: 'http.accept',
  title: 'A POST that cannot accept event streams is refused with 406',
  severity: 'warning',
  since: '2025-03-26',
  description:
    'POSTs initialize with `Accept: application/json` only, and expects 406 Not Acceptable. A JSON answer (JSON-response mode, which never streams) is a notice; an event stream is a warning.',
  why: 'Clients must accept both JSON and event streams; a server that serves such requests anyway may later answer a client with a stream it cannot read.',
  fix: 'Refuse POSTs whose Accept lacks `text/event-stream` (or `application/json`) with 406, as the SDK transports do when they may answer with a stream.',
  specUrl: specUrl('2025-11-25', 'basic/transports#sending-messages-to-the-server'),
};

function answeredJson(response: HttpReply): boolean {
  return response.status !== undefined && response.status >= 200 && response.status < 300 && (response.contentType?.includes('application/json') ?? false);
}

export const httpAccept: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  appliesTo: onStreamableHttp,
  async run(context) {
    const response = await postInitializeWith(context, { accept: 'application/json' });
    if (response.status === 406) return [];
    const message = `initialize POSTed with "Accept: application/json" only got ${describeResponse(response)}, not 406`;
    if (response.contentType?.includes('text/event-stream')) return [finding(meta, `${message}: an event stream, which that client said it cannot read.`)];
    if (answeredJson(response)) {
      return [
        finding(
          meta,
          `${message}: a JSON answer, which that client can read. A server in JSON-response mode (the Python SDK's json_response=True answers this way) never sends a stream, so this is harmless unless the server streams some answers.`,
          {
            severity: 'notice',
          },
        ),
      ];
    }
    return [finding(meta, `${message}.`)];
  },
};
