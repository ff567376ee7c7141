import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { groupBySubject, ownerOf, worstOf, type Match } from '../support/security/matches.js';
import { findPoisoning, POISONING_RULES } from '../support/security/poisoning-rules.js';
import { mapInTurns } from '../../util/turns.js';
import { collectSurfaceTexts } from '../support/security/text.js';

const meta: CheckMeta = {
  id: 'security.tool-poisoning',
  title: 'Descriptions carry no hidden instructions for the model',
  severity: 'error',
  description: `Reads, offline, the text clients hand their model: the server's instructions and the names, titles and descriptions of tools (with their inputSchema), prompts (with their arguments) and resources. Each finding names its rule (errors unless marked): ${POISONING_RULES.map(
    (r) => `\`${r.rule}\`${r.severity === 'error' ? '' : ` (${r.severity})`}: ${r.looksFor}`,
  ).join('; ')}.`,
  why: "Clients put this text into the model's context without showing it to the user. An instruction hidden there (read ~/.ssh, pass the conversation to a parameter, do not tell the user) is a prompt injection that runs for every user of the server: tool poisoning.",
  fix: 'Remove the hidden text, and any instruction in a description that is not about using that tool. A reviewed false positive can be silenced under `ignore` in the configuration file: the check id, the tool (or prompt or resource), optionally the rule, and the reason.',
  specUrl: specUrl('2025-11-25', 'server/tools#security-considerations'),
};

function message(matches: Match[]): string {
  const lead = matches.every((m) => m.rule === 'base64-blob')
    ? 'Encoded text that no reviewer reads'
    : matches.every((m) => m.rule === 'base64-blob' || m.rule === 'oversized-text')
      ? 'Text that no reviewer reads'
      : 'Hidden instructions to the model';
  return [`${lead} in ${ownerOf(matches[0])}:`, ...matches.map((m) => `  - ${m.field} [${m.rule}]: ${m.evidence}`)].join('\n');
}

export const toolPoisoning: Check = {
  meta,
  stage: 'session',
  ignorableRules: POISONING_RULES.map((r) => r.rule),
  async run({ session, settings }) {
    if (!session) return [];
    const texts = (await collectSurfaceTexts(session)).filter((t) => t.kind !== 'uri');
    const matches = await mapInTurns(texts, ({ text, field, subject }) => findPoisoning(text).map((m): Match => ({ ...m, field, subject })));
    return groupBySubject(matches, meta.id, settings.config.ignore).map((group) =>
      finding(meta, message(group), { severity: worstOf(group), subject: group[0].subject }),
    );
  },
};
