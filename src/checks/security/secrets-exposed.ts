import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { findExposures, LOG_LINES } from '../support/security/exposure.js';
import { groupBySubject, ownerOf, worstOf, type Match } from '../support/security/matches.js';
import { SECRET_PATTERNS } from '../support/security/secret-patterns.js';

const meta: CheckMeta = {
  id: 'security.secrets-exposed',
  title: "No credentials in the advertised surface or the server's output",
  severity: 'error',
  description: `Looks for credentials in the server's instructions, in the names, descriptions and URIs of tools, prompts and resources (errors: every client receives them), and in the last ${LOG_LINES} lines the server printed by the end of the run, a crashed start included (warnings). Formats: ${SECRET_PATTERNS.map(
    (p) => `${p.label} (\`${p.rule}\`)`,
  ).join(
    ', ',
  )}, and \`echoed-credential\`: a header value or client secret the gate itself sent. Quotes only the first 4 characters. The gate masks each credential found this way in everything it prints (other findings quote log lines whole), whether or not this check runs.`,
  why: "What a server advertises is copied into every client's model context, logs and transcripts, and CI logs are read by everyone with access to the repository: a key that appears there is a key to revoke.",
  cause:
    "A credential pasted into a description or the instructions, a configuration dumped to the log at start-up, an error message that includes the request's headers, or a real key committed as a default value.",
  fix: "Revoke and rotate the credential, then remove it: read secrets from the environment at run time and never echo them (nor the request's own Authorization header) into descriptions, results or logs.",
  specUrl: specUrl('2025-11-25', 'basic/security_best_practices'),
};

function message(matches: Match[]): string {
  const first = matches[0];
  const advertised = first.subject !== undefined || first.field === 'instructions';
  if (!advertised)
    return [`Credentials written to ${ownerOf(first)}, where anyone who reads its logs finds them:`, ...matches.map((m) => `  - ${m.evidence}`)].join('\n');
  return [`Credentials exposed to every client in ${ownerOf(first)}:`, ...matches.map((m) => `  - ${m.field}: ${m.evidence}`)].join('\n');
}

/**
 * Runs at clean-up, so the log it reads is the whole run's: a server may print a credential while the
 * checklist runs (a retry, a refreshed token) or as it shuts down. The surface comes from the listings
 * the session fetched before it closed; a server that never came up still has its log read.
 */
export const secretsExposed: Check = {
  meta,
  stage: 'cleanup',
  ignorableRules: [...SECRET_PATTERNS.map((p) => p.rule), 'echoed-credential'],
  // Something to read: the surface of a session, or the log of a server the gate started.
  appliesTo: ({ session, server }) => session !== undefined || server !== undefined,
  async run(context) {
    const matches = await findExposures(context);
    return groupBySubject(matches, meta.id, context.settings.config.ignore).map((group) =>
      finding(meta, message(group), { severity: worstOf(group), subject: group[0].subject }),
    );
  },
};
