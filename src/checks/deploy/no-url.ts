import { outputBlock } from '../evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'deploy.no-url',
  title: 'The deploy command prints the server URL',
  severity: 'error',
  description: 'Takes the last http(s) URL the `deploy` command prints as the server to verify, unless `url` is set.',
  why: 'The gate cannot guess where the deployment went.',
  fix: 'Make the deploy command print the server URL (e.g. `echo "https://…/mcp"` as its last step), or set `url`, e.g. from an output of the deploy step.',
};

export const deployNoUrl: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.deploy !== undefined && !context.settings.url,
  run({ deploy }) {
    if (!deploy || deploy.timedOut || deploy.exit?.code !== 0 || deploy.url) return [];
    return [finding(meta, `The deploy command succeeded but printed no http:// or https:// URL.${outputBlock(deploy.outputTail)}`)];
  },
};
