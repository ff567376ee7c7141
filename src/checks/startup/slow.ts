import { THRESHOLD_DEFAULTS } from '../../config-defaults.js';
import { formatDuration } from '../../util/time.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'startup.slow',
  title: 'The server starts quickly',
  severity: 'warning',
  description: `Measures the time from start (or deploy) to a completed handshake, against \`thresholds.slowStartupMs\` (default ${formatDuration(THRESHOLD_DEFAULTS.slowStartupMs)}).`,
  why: 'Clients start stdio servers on demand and time out; users wait on every launch.',
  cause:
    'Work done before the transport is connected: loading models or large files, warming caches, connecting to databases or remote APIs, or resolving packages on every launch (`npx` or `uvx` without a cache).',
  fix: 'Defer slow work (loading models, warming caches, connecting to databases) until after the transport is connected, or do it lazily on the first call.',
};

export const slowStartup: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.session !== undefined,
  run({ startupMs, settings }) {
    const { slowStartupMs } = settings.config.thresholds;
    if (startupMs === undefined || startupMs <= slowStartupMs) return [];
    return [finding(meta, `The server took ${formatDuration(startupMs)} to be ready, more than ${formatDuration(slowStartupMs)} (thresholds.slowStartupMs).`)];
  },
};
