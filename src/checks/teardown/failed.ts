import { outputBlock } from '../support/evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'teardown.failed',
  title: 'The teardown command succeeds',
  severity: 'warning',
  description: 'Runs `teardown` after every run, whatever the verdict, and expects exit code 0.',
  why: 'A failed teardown can leave a preview deployment running and billing.',
  cause:
    'The deployment was never created (the deploy failed) or is already gone, or the teardown command lacks the credentials or the name of the deployment it should delete.',
  fix: 'Read the output below and delete the deployment by hand if needed; make the teardown command idempotent.',
};

export const teardownFailed: Check = {
  meta,
  stage: 'cleanup',
  appliesTo: (context) => context.teardown !== undefined,
  run({ teardown }) {
    if (!teardown || (!teardown.timedOut && teardown.exit?.code === 0)) return [];
    const how = teardown.timedOut ? 'did not finish in time' : `exited with code ${teardown.exit?.code ?? teardown.exit?.signal}`;
    return [finding(meta, `The teardown command ${how}.${outputBlock(teardown.outputTail)}`)];
  },
};
