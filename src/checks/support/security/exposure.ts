import type { Settings } from '../../../settings.js';
import type { CheckContext } from '../../types.js';
import type { Match } from './matches.js';
import { mapInTurns } from '../../../util/turns.js';
import { findSecrets } from './secret-patterns.js';
import { collectSurfaceTexts, type SurfaceText } from './text.js';

/**
 * Where a run exposed credentials: the advertised surface and the server's output. security.secrets-exposed
 * reports them; the engine masks them whether or not that check runs, since other findings and the report's
 * logs quote the server's output whole.
 */

/** As many lines as the report keeps of the server's output. */
export const LOG_LINES = 200;
/** Shorter values (`Bearer x`, `1`) would be found in ordinary text by chance. */
const MIN_CREDENTIAL_LENGTH = 8;

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

/** In turns: tens of thousands of texts must not hold up the other checks. */
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

/** Every exposure in what the server advertised (errors) and printed (warnings), before any is ignored. */
export async function findExposures(context: CheckContext): Promise<Match[]> {
  const { session, settings } = context;
  const credentials = gateCredentials(settings);
  const surface = session ? await surfaceMatches(await collectSurfaceTexts(session), credentials) : [];
  return [...surface, ...logMatches(context, credentials)];
}

/** The credentials found, for the masker: ignored ones too, since one reviewed as harmless is still not worth printing. */
export async function exposedCredentials(context: CheckContext): Promise<Set<string>> {
  const matches = await findExposures(context);
  return new Set(matches.flatMap((m) => (m.credential ? [m.credential] : [])));
}
