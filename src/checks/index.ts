import { unauthorized } from './auth/unauthorized.js';
import { deployFailed } from './deploy/failed.js';
import { deployNoUrl } from './deploy/no-url.js';
import { promptsList, resourcesList, resourceTemplatesList, toolsList, toolsPagination } from './discovery/listing.js';
import { commandNotFound } from './launch/command-not-found.js';
import { exited } from './launch/exited.js';
import { healthTimeout } from './launch/health-timeout.js';
import { missingConfig } from './launch/missing-config.js';
import { notExecutable } from './launch/not-executable.js';
import { slowStartup } from './launch/slow-startup.js';
import { teardownFailed } from './launch/teardown-failed.js';
import { connectionClosed } from './lifecycle/connection-closed.js';
import { initialize } from './lifecycle/initialize.js';
import { initializeFailed } from './lifecycle/initialize-failed.js';
import { initializeTimeout } from './lifecycle/initialize-timeout.js';
import { ping } from './lifecycle/ping.js';
import { stdoutPollution } from './stdio/stdout-pollution.js';
import { unreachable } from './transport/unreachable.js';
import type { Check } from './types.js';

/**
 * Every check, in the order the gate runs them. The start-up checks walk the triage from the outside
 * in (did it deploy, start, stay alive, answer, speak MCP?), so when the server did not come up, the
 * first error among them is the root cause and the checks after it are skipped.
 */
export const CHECKS: readonly Check[] = [
  deployFailed,
  deployNoUrl,
  commandNotFound,
  notExecutable,
  missingConfig,
  exited,
  healthTimeout,
  unreachable,
  unauthorized,
  stdoutPollution,
  initializeFailed,
  initializeTimeout,
  connectionClosed,
  initialize,
  slowStartup,
  ping,
  toolsList,
  toolsPagination,
  resourcesList,
  resourceTemplatesList,
  promptsList,
  teardownFailed,
];
