import { outputBlock } from '../support/evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'deploy.failed',
  title: 'The deploy command succeeds',
  severity: 'error',
  description: 'Runs the `deploy` command to completion and expects exit code 0 within `startup-timeout`.',
  why: 'Without a successful deployment there is no server to verify; the output of the deploy tool says why.',
  cause:
    'The deploy tool exited non-zero or ran past `startup-timeout`: credentials missing or expired in CI, a build error, a quota or a name already taken, or a deployment that is only slow.',
  fix: 'Read the deploy output below; run the same command locally with the same environment and secrets. Raise `startup-timeout` if the deployment is only slow.',
};

export const deployFailed: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.deploy !== undefined,
  run({ deploy }) {
    if (!deploy) return [];
    const exit = deploy.exit;
    if (deploy.timedOut) {
      return [finding(meta, `The deploy command did not finish within ${deploy.durationMs} ms.${outputBlock(deploy.outputTail)}`)];
    }
    if (exit?.spawnError) return [finding(meta, `The deploy command could not be started: ${exit.spawnError.message}`)];
    if (exit && exit.code !== 0) {
      const how = exit.signal ? `was ended by ${exit.signal}` : `exited with code ${exit.code}`;
      return [finding(meta, `The deploy command ${how}.${outputBlock(deploy.outputTail)}`)];
    }
    return [];
  },
};
