import { type Prompt } from '@modelcontextprotocol/client';
import type { Session } from '../../session/session.js';
import { describeRequestError } from '../support/request-error.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';
import * as results from '../../session/results.js';

const meta: CheckMeta = {
  id: 'prompts.get',
  title: 'Prompts without required arguments can be fetched',
  severity: 'error',
  since: '2024-11-05',
  description: 'Gets each listed prompt that has no required arguments (at most 20) and expects a `messages` array.',
  why: 'Users pick prompts from a menu in their client; one that fails to load is a broken menu entry.',
  fix: 'Make prompts/get answer for every prompt that prompts/list returns, and declare each argument a prompt reads as `required: true`; the server log has the exception.',
  specUrl: specUrl('2025-11-25', 'server/prompts#getting-a-prompt'),
};

const MAX_PROMPTS = 20;

/** The prompts a client can get without asking the user anything: none of their arguments is required. */
async function callablePrompts(session: Session): Promise<Prompt[]> {
  const { items } = await session.list('prompts');
  return items.filter((p) => !(p.arguments ?? []).some((a) => a.required)).slice(0, MAX_PROMPTS);
}

export const promptGet: Check = {
  meta,
  stage: 'session',
  appliesTo: async ({ session }) => session?.advertises('prompts') === true && (await callablePrompts(session)).length > 0,
  async run({ session }) {
    if (!session) return [];
    const callable = await callablePrompts(session);
    const findings: Finding[] = [];
    for (const prompt of callable) {
      try {
        await session.client.request({ method: 'prompts/get', params: { name: prompt.name } }, results.GetPromptResult, { timeout: session.requestTimeoutMs });
      } catch (error) {
        const why = describeRequestError(error, session.requestTimeoutMs);
        const message = `Getting the prompt "${prompt.name}" without arguments failed: ${why}. prompts/list declares no required arguments for it, so clients send none, as the gate did.`;
        findings.push(finding(meta, message, { subject: { kind: 'prompt', name: prompt.name } }));
      }
    }
    return findings;
  },
};
