import { mediaTypeOf } from '../../util/http/request.js';
import { SERVER_CARD_MEDIA_TYPE } from '../../session/server-card.js';
import { readCard } from '../../registry/card.js';
import { SERVER_CARD_SEP_URL } from '../support/registry.js';
import { finding, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'card.served',
  title: 'A served Server Card is a JSON object with a name and version',
  severity: 'warning',
  description: `When the server answers 200 at <mcp url>/server-card or /.well-known/mcp/server-card, expects a JSON object with the server's name and version, served as ${SERVER_CARD_MEDIA_TYPE} or application/json. Servers without a card are not judged: cards are optional.`,
  why: 'Clients and registries read the card to show and configure a server before connecting; a card that is not JSON, or lacks the name and version, breaks that discovery while looking present.',
  fix: `Serve the card as a JSON object with at least "name" and "version" (SEP-2127), with Content-Type: ${SERVER_CARD_MEDIA_TYPE}; or stop answering 200 at that path if it is a catch-all route.`,
  specUrl: SERVER_CARD_SEP_URL,
};

export const cardServed: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => context.serverCard?.served !== undefined,
  run({ serverCard }) {
    const served = serverCard!.served!;
    if (served.parseError)
      return [finding(meta, `${served.url} answered 200, but ${served.parseError}; a client reading it as a Server Card gets nothing usable.`)];
    const findings: Finding[] = [];
    const card = readCard(served.card);
    const missing = [card.name === undefined ? 'name' : undefined, card.version === undefined ? 'version' : undefined].filter(Boolean);
    if (missing.length)
      findings.push(finding(meta, `The Server Card at ${served.url} has no ${missing.join(' or ')}; clients cannot identify the server from it.`));
    const type = mediaTypeOf(served.contentType);
    if (type !== SERVER_CARD_MEDIA_TYPE && type !== 'application/json') {
      findings.push(
        finding(
          meta,
          `The Server Card at ${served.url} is served as ${type || 'no Content-Type'}; clients look for ${SERVER_CARD_MEDIA_TYPE} (or application/json).`,
          { severity: 'notice' },
        ),
      );
    }
    return findings;
  },
};
