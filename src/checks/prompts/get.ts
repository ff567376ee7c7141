import { GetPromptResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describeRequestError } from '../request-error.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

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

export const promptGet: Check = {
  meta,
  stage: 'session',
  appliesTo: ({ session }) => session?.advertises('prompts') ?? false,
  async run({ session }) {
    if (!session) return [];
    const { items } = await session.list('prompts');
    const callable = items.filter((p) => !(p.arguments ?? []).some((a) => a.required)).slice(0, MAX_PROMPTS);
    const findings: Finding[] = [];
    for (const prompt of callable) {
      try {
        await session.client.request({ method: 'prompts/get', params: { name: prompt.name } }, GetPromptResultSchema, { timeout: session.requestTimeoutMs });
      } catch (error) {
        const why = describeRequestError(error, session.requestTimeoutMs);
        const message = `Getting the prompt "${prompt.name}" without arguments failed: ${why}. prompts/list declares no required arguments for it, so clients send none, as the gate did.`;
        findings.push(finding(meta, message, { subject: { kind: 'prompt', name: prompt.name } }));
      }
    }
    return findings;
  },
};
