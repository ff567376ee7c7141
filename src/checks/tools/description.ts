import { finding, specUrl, type CheckMeta, type Finding } from '../types.js';
import { THRESHOLD_DEFAULTS } from '../../config-defaults.js';
import { toolsCheck } from '../support/listed-tools.js';

const meta: CheckMeta = {
  id: 'tools.description',
  title: 'Tools have usable descriptions',
  severity: 'warning',
  since: '2024-11-05',
  description: `Expects every tool to have a non-empty description, and notes descriptions longer than \`thresholds.maxDescriptionLength\` (default ${THRESHOLD_DEFAULTS.maxDescriptionLength} characters).`,
  why: 'The model chooses tools by their descriptions: it cannot choose one it cannot read, and very long ones crowd the context window of every conversation.',
  fix: 'Describe what the tool does and when to use it, in a few sentences; move long reference material into a resource.',
  specUrl: specUrl('2025-11-25', 'server/tools#tool'),
};

export const toolDescription = toolsCheck(meta, (tools, _session, { settings }) => {
  const limit = settings.config.thresholds.maxDescriptionLength;
  const findings: Finding[] = [];
  for (const tool of tools) {
    const subject = { kind: 'tool' as const, name: tool.name };
    const text = tool.description?.trim() ?? '';
    if (!text)
      findings.push(
        finding(meta, `Tool "${tool.name}" has ${tool.description === undefined ? 'no' : 'an empty'} description; the model has nothing to choose it by.`, {
          subject,
        }),
      );
    else if (text.length > limit) {
      findings.push(
        finding(meta, `Tool "${tool.name}" has a description of ${text.length} characters (more than ${limit}), sent to the model in every conversation.`, {
          severity: 'notice',
          subject,
        }),
      );
    }
  }
  return findings;
});
