import type { Settings } from '../../settings.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta } from '../types.js';
import { groupBySubject, ownerOf, worstOf, type Match } from './matches.js';
import { findSecrets, SECRET_PATTERNS } from './secret-patterns.js';
import { mapInTurns } from '../../util/turns.js';
import { collectSurfaceTexts, type SurfaceText } from './text.js';

/** As many lines as the report keeps of the server's output. */
const LOG_LINES = 200;
/** Shorter values (`Bearer x`, `1`) would be found in ordinary text by chance. */
const MIN_CREDENTIAL_LENGTH = 8;

const meta: CheckMeta = {
  id: 'security.secrets-exposed',
  title: 'No credentials in the advertised surface or the server\'s output',
  severity: 'error',
  description: `Looks for credentials in the server's instructions, in the names, descriptions and URIs of tools, prompts and resources (errors: every client receives them), and in the last ${LOG_LINES} lines the server printed by the end of the run, a crashed start included (warnings). Formats: ${SECRET_PATTERNS.map(
    (p) => `${p.label} (\`${p.rule}\`)`,
  ).join(', ')}, and \`echoed-credential\`: a header value or client secret the gate itself sent. Quotes only the first 4 characters, and masks each credential it recognises in everything the gate prints (other findings quote log lines whole).`,
  why: 'What a server advertises is copied into every client\'s model context, logs and transcripts, and CI logs are read by everyone with access to the repository: a key that appears there is a key to revoke.',
  fix: 'Revoke and rotate the credential, then remove it: read secrets from the environment at run time and never echo them (nor the request\'s own Authorization header) into descriptions, results or logs.',
  specUrl: specUrl('2025-11-25', 'basic/security_best_practices'),
};

interface Credential {
  name: string;
  value: string;
}

/**
 * What the gate itself sent: each header's value and its last word (the token of `Bearer abc`), and the
 * OAuth client secret. Found verbatim, they are named, never quoted.
 */
function gateCredentials(settings: Settings): Credential[] {
  const credentials = Object.entries(settings.headers).flatMap(([name, value]) =>
    [...new Set([value.trim(), value.trim().split(/\s+/).at(-1) ?? ''])].map((v) => ({ name: `the ${name} header the gate sent`, value: v })),
  );
  if (settings.oauth?.clientSecret) credentials.push({ name: 'the OAuth client secret the gate used', value: settings.oauth.clientSecret });
  // Longest first, so blanking "Bearer abc" happens before "abc" alone.
  return credentials.filter((c) => c.value.length >= MIN_CREDENTIAL_LENGTH).sort((a, b) => b.value.length - a.value.length);
}

function echoed(text: string, credentials: Credential[]): Omit<Match, 'field' | 'severity'>[] {
  const found = credentials.find((c) => text.includes(c.value));
  return found ? [{ rule: 'echoed-credential', evidence: `${found.name}, verbatim` }] : [];
}

/** The text with the gate's own credentials blanked, so no pattern quotes even four characters of them. */
function withoutCredentials(text: string, credentials: Credential[]): string {
  return credentials.reduce((masked, c) => masked.split(c.value).join('***'), text);
}

function patternMatches(text: string): Omit<Match, 'field' | 'severity'>[] {
  return findSecrets(text).map((s) => ({ rule: s.rule, evidence: `${s.label} ${s.evidence}`, credential: s.value }));
}

function surfaceMatches(texts: SurfaceText[], credentials: Credential[]): Promise<Match[]> {
  return mapInTurns(texts, ({ text, field, subject }) => {
    const found = [...echoed(text, credentials), ...patternMatches(withoutCredentials(text, credentials))];
    return found.map((m): Match => ({ ...m, severity: 'error', field, subject }));
  });
}

/**
 * The server's stdout and stderr. The tails are already masked, so the gate's own credentials show as
 * `***` there; the raw lines are only searched for them, never quoted.
 */
function logMatches({ server }: CheckContext, credentials: Credential[]): Match[] {
  if (!server) return [];
  const streams = [
    { field: 'stderr', masked: server.stderrTail(LOG_LINES), raw: server.stderr.tail(LOG_LINES) },
    { field: 'stdout', masked: server.stdoutTail(LOG_LINES), raw: server.stdout.tail(LOG_LINES) },
  ];
  return streams.flatMap(({ field, masked, raw }) => {
    const found = [...echoed(raw.join('\n'), credentials), ...patternMatches(masked.join('\n'))];
    return found.map((m): Match => ({ ...m, severity: 'warning', field }));
  });
}

function message(matches: Match[]): string {
  const first = matches[0];
  const advertised = first.subject !== undefined || first.field === 'instructions';
  if (!advertised) return [`Credentials written to ${ownerOf(first)}, where anyone who reads its logs finds them:`, ...matches.map((m) => `  - ${m.evidence}`)].join('\n');
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
  // Something to read: the surface of a session, or the log of a server the gate started.
  appliesTo: ({ session, server }) => session !== undefined || server !== undefined,
  async run(context) {
    const { session, settings } = context;
    const credentials = gateCredentials(settings);
    const surface = session ? await surfaceMatches(await collectSurfaceTexts(session), credentials) : [];
    const matches = [...surface, ...logMatches(context, credentials)];
    // Ignored ones too: a credential reviewed as harmless is still not worth printing.
    context.exposedCredentials = new Set(matches.flatMap((m) => (m.credential ? [m.credential] : [])));
    return groupBySubject(matches, meta.id, settings.config.ignore).map((group) =>
      finding(meta, message(group), { severity: worstOf(group), subject: group[0].subject }),
    );
  },
};
