import type { Session } from '../../session/session.js';
import { describeRequestError } from '../support/request-error.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import * as results from '../../session/results.js';

const meta: CheckMeta = {
  id: 'completions.complete',
  title: 'completion/complete answers when completions are advertised',
  severity: 'warning',
  since: '2025-03-26',
  description: 'Asks for completions of the first prompt argument (or resource template variable) when the server advertises the completions capability.',
  why: 'Clients call completion/complete as the user types; errors there break argument entry.',
  fix: 'Answer completion/complete with `{completion: {values: []}}` at least, or stop advertising the completions capability.',
  specUrl: specUrl('2025-11-25', 'server/utilities/completion'),
};

/** A prompt argument or a template variable to complete; undefined when the server offers neither. */
async function findCompletionTarget(session: Session) {
  const prompts = session.advertises('prompts') ? (await session.list('prompts')).items : [];
  const prompt = prompts.find((p) => p.arguments?.length);
  if (prompt?.arguments) {
    return { ref: { type: 'ref/prompt', name: prompt.name }, argument: prompt.arguments[0].name, of: `the prompt "${prompt.name}"` };
  }
  const templates = session.advertises('resources') ? (await session.list('resourceTemplates')).items : [];
  for (const template of templates) {
    const variable = /\{[+#./;?&]?([A-Za-z0-9_]+)/.exec(template.uriTemplate)?.[1];
    if (variable) return { ref: { type: 'ref/resource', uri: template.uriTemplate }, argument: variable, of: `the resource template ${template.uriTemplate}` };
  }
  return undefined;
}

export const completionComplete: Check = {
  meta,
  stage: 'session',
  appliesTo: async ({ session }) => session?.advertises('completions') === true && (await findCompletionTarget(session)) !== undefined,
  async run({ session }) {
    if (!session) return [];
    const target = await findCompletionTarget(session);
    if (!target) return [];
    try {
      await session.client.request(
        { method: 'completion/complete', params: { ref: target.ref, argument: { name: target.argument, value: '' } } },
        results.CompleteResult,
        { timeout: session.requestTimeoutMs },
      );
      return [];
    } catch (error) {
      const why = describeRequestError(error, session.requestTimeoutMs);
      const message = `completion/complete for the argument "${target.argument}" of ${target.of} failed: ${why}. The server advertises the "completions" capability, so clients call this as the user types.`;
      return [finding(meta, message)];
    }
  },
};
