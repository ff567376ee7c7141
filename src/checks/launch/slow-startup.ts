import { formatDuration } from '../../util/time.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'startup.slow',
  title: 'The server starts quickly',
  severity: 'warning',
  description: 'Measures the time from start (or deploy) to a completed handshake, against a threshold of 10 s.',
  why: 'Clients start stdio servers on demand and time out; users wait on every launch.',
  fix: 'Defer slow work (loading models, warming caches, connecting to databases) until after the transport is connected, or do it lazily on the first call.',
};

export const SLOW_STARTUP_MS = 10_000;

export const slowStartup: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.session !== undefined,
  run({ startupMs }) {
    if (startupMs === undefined || startupMs <= SLOW_STARTUP_MS) return [];
    return [finding(meta, `The server took ${formatDuration(startupMs)} to be ready, more than ${formatDuration(SLOW_STARTUP_MS)}.`)];
  },
};
