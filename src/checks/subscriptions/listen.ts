import { ProtocolError, type SubscriptionFilter } from '@modelcontextprotocol/client';
import type { Session } from '../../session/session.js';
import { withinDeadline } from '../../util/time.js';
import { describeRequestError } from '../support/request-error.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'subscriptions.listen',
  title: 'subscriptions/listen is acknowledged when change notifications are advertised',
  severity: 'error',
  since: '2026-07-28',
  description:
    'When the server advertises `listChanged` for tools, prompts or resources, or `resources.subscribe`, opens a `subscriptions/listen` stream for those notifications on the modern face and expects `notifications/subscriptions/acknowledged` for it within `request-timeout`; then closes it.',
  why: 'In 2026-07-28 change notifications arrive only on a stream the client opens with subscriptions/listen. A server that advertises them but does not acknowledge the stream leaves clients with stale tool, prompt and resource lists, or waiting on a stream that never opens.',
  fix: 'Implement subscriptions/listen: send `notifications/subscriptions/acknowledged` with the honoured filter and `_meta` `io.modelcontextprotocol/subscriptionId` first (the v2 SDKs do), or stop advertising `listChanged` and `subscribe`.',
  specUrl: specUrl('2026-07-28', 'basic/patterns/subscriptions#acknowledgment'),
};

function advertised(session: Session, capability: 'tools' | 'prompts' | 'resources', flag: 'listChanged' | 'subscribe'): boolean {
  const value = session.capabilities[capability] as Record<string, unknown> | undefined;
  return value?.[flag] === true;
}

async function filterFor(session: Session): Promise<SubscriptionFilter> {
  const filter: SubscriptionFilter = {};
  if (advertised(session, 'tools', 'listChanged')) filter.toolsListChanged = true;
  if (advertised(session, 'prompts', 'listChanged')) filter.promptsListChanged = true;
  if (advertised(session, 'resources', 'listChanged')) filter.resourcesListChanged = true;
  if (advertised(session, 'resources', 'subscribe')) {
    const uri = (await session.list('resources')).items[0]?.uri;
    if (uri) filter.resourceSubscriptions = [uri];
  }
  return filter;
}

function wants(session: Session): boolean {
  return (['tools', 'prompts', 'resources'] as const).some((c) => advertised(session, c, 'listChanged')) || advertised(session, 'resources', 'subscribe');
}

export const subscriptionsListen: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  appliesTo: ({ session }) => session !== undefined && wants(session),
  async run({ session }) {
    if (!session) return [];
    const filter = await filterFor(session);
    const timeoutMs = session.requestTimeoutMs;
    const asked = Object.keys(filter).join(', ') || 'no notification types';
    const opening = session.client.listen(filter, { timeout: timeoutMs });
    try {
      const subscription = await withinDeadline(opening, timeoutMs + 1000);
      if (!subscription)
        return [
          finding(meta, `subscriptions/listen (${asked}) got no acknowledgement within ${timeoutMs} ms: clients wait for a change stream that never opens.`),
        ];
      await subscription.close();
      return [];
    } catch (error) {
      const why = error instanceof ProtocolError ? `error ${error.code}: ${error.message}` : describeRequestError(error, timeoutMs);
      return [
        finding(
          meta,
          `The server advertises change notifications (${asked}), but subscriptions/listen failed: ${why}. Clients never learn that the lists changed.`,
        ),
      ];
    } finally {
      // An acknowledgement that comes after the deadline opens a stream nobody reads: close it then.
      void opening.then((late) => late.close()).catch(() => undefined);
    }
  },
};
