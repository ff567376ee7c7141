import { descriptionLength, MAX_DESCRIPTION } from '../../registry/rules.js';
import { hasServerJson, REGISTRY_REQUIREMENTS_URL, serverJsonLocation, serverJsonOf } from '../support/registry.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'registry.description-length',
  title: `server.json's description fits the registry's ${MAX_DESCRIPTION} characters`,
  severity: 'error',
  description: `Counts the characters of server.json's description; the registry's schema allows at most ${MAX_DESCRIPTION}.`,
  why: 'The registry refuses a longer description on publish, and registry clients show it in one line of a list.',
  fix: `Shorten the description to ${MAX_DESCRIPTION} characters or fewer: what the server lets a model do, not how; put the detail in the README or websiteUrl.`,
  specUrl: REGISTRY_REQUIREMENTS_URL,
};

export const registryDescriptionLength: Check = {
  meta,
  stage: 'probe',
  appliesTo: hasServerJson,
  run(context) {
    const serverJson = serverJsonOf(context)!;
    const length = descriptionLength(serverJson.data);
    if (length === undefined || length <= MAX_DESCRIPTION) return [];
    const description = String(serverJson.data.description);
    return [
      finding(
        meta,
        `${serverJson.source}'s description is ${length} characters, ${length - MAX_DESCRIPTION} over the registry's limit of ${MAX_DESCRIPTION}; the registry refuses it on publish. It begins "${[...description].slice(0, 60).join('')}…".`,
        {
          location: serverJsonLocation(context),
        },
      ),
    ];
  },
};
