import { capabilityConsistency } from './capabilities/consistency.js';
import { completionComplete } from './completions/complete.js';
import { healthEndpoint } from './health/endpoint.js';
import { latency } from './perf/latency.js';
import { loggingSetLevel } from './logging/set-level.js';
import { httpAccept } from './http/accept.js';
import { httpGetStream } from './http/get-stream.js';
import { httpNotification } from './http/notification-accepted.js';
import { httpOrigin } from './http/origin.js';
import { httpProtocolVersionHeader } from './http/protocol-version-header.js';
import { httpSession } from './http/session.js';
import { invalidParams } from './jsonrpc/invalid-params.js';
import { unknownMethod } from './jsonrpc/unknown-method.js';
import { gracefulShutdown } from './shutdown/graceful.js';
import { serverInfo } from './lifecycle/server-info.js';
import { versionNegotiation } from './lifecycle/version-negotiation.js';
import { surfaceMismatch } from './dual/surface-mismatch.js';
import { promptGet } from './prompts/get.js';
import { resourceRead } from './resources/read.js';
import { toolCall } from './tools/call.js';
import { definitionChanged } from './security/definition-changed.js';
import { secretsExposed } from './security/secrets-exposed.js';
import { toolPoisoning } from './security/tool-poisoning.js';
import { unboundedAnswer } from './security/unbounded-answer.js';
import { toolDescription } from './tools/description.js';
import { inputSchema } from './tools/input-schema.js';
import { toolName } from './tools/name.js';
import { outputSchema } from './tools/output-schema.js';
import { authorizationServerMetadata } from './auth/authorization-server-metadata.js';
import { challenge } from './auth/challenge.js';
import { https } from './auth/https.js';
import { invalidTokenRejected } from './auth/invalid-token-rejected.js';
import { openServer } from './auth/open-server.js';
import { protectedResourceMetadata } from './auth/protected-resource-metadata.js';
import { tokenAcquired } from './auth/token-acquired.js';
import { tokenInQuery } from './auth/token-in-query.js';
import { unauthorized } from './auth/unauthorized.js';
import { deployFailed } from './deploy/failed.js';
import { deployNoUrl } from './deploy/no-url.js';
import { promptsList } from './prompts/list.js';
import { resourcesList } from './resources/list.js';
import { resourceTemplatesList } from './resources/templates.js';
import { toolsList } from './tools/list.js';
import { toolsPagination } from './tools/pagination.js';
import { commandNotFound } from './launch/command-not-found.js';
import { exited } from './launch/exited.js';
import { healthTimeout } from './launch/health-timeout.js';
import { missingConfig } from './launch/missing-config.js';
import { notExecutable } from './launch/not-executable.js';
import { sdkMismatch } from './launch/sdk-mismatch.js';
import { slowStartup } from './startup/slow.js';
import { teardownFailed } from './teardown/failed.js';
import { connectionClosed } from './lifecycle/connection-closed.js';
import { initialize } from './lifecycle/initialize.js';
import { initializeFailed } from './lifecycle/initialize-failed.js';
import { initializeTimeout } from './lifecycle/initialize-timeout.js';
import { discoverResponse } from './discover/response.js';
import { legacyRejected } from './lifecycle/legacy-rejected.js';
import { unsupportedVersion } from './modern/unsupported-version.js';
import { resultType } from './modern/result-type.js';
import { removedMethods } from './modern/removed-methods.js';
import { ping } from './ping/response.js';
import { stdoutPollution } from './stdio/stdout-pollution.js';
import { hostRejected } from './transport/host-rejected.js';
import { mismatch } from './transport/mismatch.js';
import { unreachable } from './transport/unreachable.js';
import { wrongEndpoint } from './transport/wrong-endpoint.js';
import { surfaceToolRemoved } from './surface/tool-removed.js';
import { surfaceInputBreaking } from './surface/input-breaking.js';
import { surfaceOutputBreaking } from './surface/output-breaking.js';
import { surfacePromptRemoved } from './surface/prompt-removed.js';
import { surfacePromptArgumentsBreaking } from './surface/prompt-arguments-breaking.js';
import { surfaceResourceRemoved } from './surface/resource-removed.js';
import { surfaceCapabilityRemoved } from './surface/capability-removed.js';
import { surfaceEraDropped } from './surface/era-dropped.js';
import { surfaceAdded } from './surface/added.js';
import { surfaceCompatibleChange } from './surface/compatible-change.js';
import { surfaceDescriptionChanged } from './surface/description-changed.js';
import { duplicateName } from './config/duplicate-name.js';
import { invalidJson } from './config/invalid-json.js';
import { minimalPath } from './config/minimal-path.js';
import { missingEnv } from './config/missing-env.js';
import { relativeCommand } from './config/relative-command.js';
import { unresolvedPlaceholder } from './config/unresolved-placeholder.js';
import { windowsNpx } from './config/windows-npx.js';
import { registrySchema } from './registry/schema.js';
import { registryVersion } from './registry/version.js';
import { registryPackageName } from './registry/package-name.js';
import { registryDescriptionLength } from './registry/description-length.js';
import { registryTransport } from './registry/transport.js';
import { registryServerInfo } from './registry/server-info.js';
import { cardServed } from './card/served.js';
import { cardMatches } from './card/matches.js';
import type { CheckCatalogue } from '../config.js';
import { cacheHints } from './modern/cache-hints.js';
import { listOrder } from './modern/list-order.js';
import { stateless } from './modern/stateless.js';
import { standardHeaders } from './http/standard-headers.js';
import { paramHeaders } from './tools/param-headers.js';
import { resourcesNotFound } from './resources/not-found.js';
import { subscriptionsListen } from './subscriptions/listen.js';
import type { Check } from './types.js';

/**
 * Every check, in the order the gate runs them. The start-up checks walk the triage from the outside
 * in (did it deploy, start, stay alive, answer, speak MCP?), so when the server did not come up, the
 * first error among them is the root cause and the checks after it are skipped.
 */
export const CHECKS: readonly Check[] = [
  // The client configuration the target was read from (servers-config), linted whether or not the server came up.
  invalidJson,
  duplicateName,
  unresolvedPlaceholder,
  windowsNpx,
  relativeCommand,
  minimalPath,
  deployFailed,
  deployNoUrl,
  commandNotFound,
  notExecutable,
  // Before launch.missing-config: for a configuration entry, the variable the entry lacks is the root cause.
  missingEnv,
  missingConfig,
  sdkMismatch,
  exited,
  healthTimeout,
  unreachable,
  // A Host or Origin allow-list refuses before any credentials are looked at: the root cause, not auth.
  hostRejected,
  tokenAcquired,
  unauthorized,
  // The auth posture, judged from the gate's own probes whether or not the server came up; next to the
  // refusal they explain.
  challenge,
  protectedResourceMetadata,
  authorizationServerMetadata,
  invalidTokenRejected,
  tokenInQuery,
  https,
  openServer,
  wrongEndpoint,
  mismatch,
  stdoutPollution,
  initializeFailed,
  initializeTimeout,
  connectionClosed,
  initialize,
  // The modern era's opening: the raw server/discover answer (or the HTTP probe's failure), judged whether or not a face connected.
  discoverResponse,
  legacyRejected,
  slowStartup,
  serverInfo,
  capabilityConsistency,
  ping,
  unknownMethod,
  invalidParams,
  toolsList,
  toolsPagination,
  toolName,
  toolDescription,
  inputSchema,
  outputSchema,
  paramHeaders,
  toolCall,
  toolPoisoning,
  secretsExposed,
  definitionChanged,
  unboundedAnswer,
  resourcesList,
  resourceTemplatesList,
  resourceRead,
  resourcesNotFound,
  promptsList,
  promptGet,
  loggingSetLevel,
  // The modern era's own rules; result-type and removed-methods read what the other checks' requests brought.
  unsupportedVersion,
  removedMethods,
  resultType,
  completionComplete,
  httpAccept,
  httpNotification,
  httpGetStream,
  httpSession,
  httpProtocolVersionHeader,
  httpOrigin,
  standardHeaders,
  // The modern era's own rules (2026-07-28).
  stateless,
  listOrder,
  cacheHints,
  subscriptionsListen,
  // Against the baseline snapshot, when one is given: breaking changes first.
  surfaceToolRemoved,
  surfaceInputBreaking,
  surfaceOutputBreaking,
  surfacePromptRemoved,
  surfacePromptArgumentsBreaking,
  surfaceResourceRemoved,
  surfaceCapabilityRemoved,
  surfaceEraDropped,
  surfaceAdded,
  surfaceCompatibleChange,
  surfaceDescriptionChanged,
  // The registry's server.json, judged whether or not the server came up, then against the live server.
  registrySchema,
  registryVersion,
  registryPackageName,
  registryDescriptionLength,
  registryTransport,
  registryServerInfo,
  // The Server Card, when the server serves one.
  cardServed,
  cardMatches,
  versionNegotiation,
  surfaceMismatch,
  latency,
  healthEndpoint,
  gracefulShutdown,
  teardownFailed,
];

/**
 * What the configuration file may name: every check id, and the checks that honour its `ignore` entries with
 * the rules an entry may name. Handed to parseSettings by the entry points; the settings never import checks.
 */
export const CATALOGUE: CheckCatalogue = {
  ids: CHECKS.map((check) => check.meta.id),
  ignorable: Object.fromEntries(CHECKS.flatMap((check) => (check.ignorableRules ? [[check.meta.id, check.ignorableRules]] : []))),
};
