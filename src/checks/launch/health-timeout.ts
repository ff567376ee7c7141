import { formatDuration } from '../../util/time.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'launch.health-timeout',
  title: 'The health endpoint turns ready',
  severity: 'error',
  description: 'Waits, up to `startup-timeout`, for `health-url` to answer 2xx.',
  why: 'A server that does not report healthy in time is either not listening where expected or stuck in start-up.',
  cause:
    'The server listens on another host or port than `health-url` names (or on 127.0.0.1 inside a container), the route is missing or answers non-2xx while a dependency is down, or start-up takes longer than `startup-timeout`.',
  fix: 'Check that the server listens on the host and port of `health-url` and that the route answers 2xx once ready. Raise `startup-timeout` if start-up is only slow.',
};

export const healthTimeout: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.readiness !== undefined && context.settings.healthUrl !== undefined,
  run({ readiness, settings }) {
    if (!readiness || readiness.ready || readiness.exitedDuring) return [];
    if (readiness.refusedRedirect) {
      const { from, to } = readiness.refusedRedirect;
      return [
        finding(
          meta,
          `${from} redirected to ${to}, ${new URL(from).origin === new URL(to).origin ? 'one redirect too many' : 'on another origin'}. The gate follows no redirect of the health URL to another host, where it could reach an internal service or a cloud metadata address, and at most 5 on its own host.`,
          {
            hint: "Set `health-url` to a route that answers 2xx itself, or to the redirect's target if you trust it.",
          },
        ),
      ];
    }
    const probe = readiness.lastProbe;
    const answered = probe?.status
      ? `Its last answer was HTTP ${probe.status}${probe.contentType ? ` (${probe.contentType})` : ''}${probe.bodyExcerpt ? `: ${probe.bodyExcerpt}` : ''}.`
      : `Its last attempt failed: ${probe?.errorCode ?? 'no answer'}${probe?.errorMessage ? ` (${probe.errorMessage})` : ''}.`;
    return [finding(meta, `${settings.healthUrl?.href} did not answer 2xx within ${formatDuration(readiness.waitedMs)}. ${answered}`)];
  },
};
