import { outputBlock } from '../support/evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'deploy.no-url',
  title: 'The deploy command prints the server URL',
  severity: 'error',
  description:
    'Takes the server to verify from what the `deploy` command prints, unless `url` is set: the URL of its last `MCP_URL=<url>` line, else the last URL whose path looks like an MCP endpoint (`/mcp`, `/sse`), else the last http(s) URL.',
  why: 'The gate cannot guess where the deployment went.',
  cause: 'The deploy command prints no http(s) URL (it writes it to a file, a step output or only a dashboard), and `url` is not set.',
  fix: 'Make the deploy command print the server URL as `MCP_URL=<url>` (e.g. `echo "MCP_URL=https://…/mcp"`), or set `url`, e.g. from an output of the deploy step.',
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
