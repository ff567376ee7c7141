/**
 * Credentials carried by URLs: the userinfo (`https://user:pass@host`) and query or fragment parameters
 * whose names say they hold one (`?api_key=…`, `&access_token=…`, `#code=…`). A URL is printed in many
 * places (the target, a finding's evidence, a command line) and none of them needs these parts.
 */

/** Parameter names whose value is a credential: the whole name, or its last word after `_`, `-` or `.`. */
const SECRET_PARAMETER =
  /^(?:.*[_.-])?(?:api[_-]?key|apikey|key|token|secret|password|passwd|pwd|pass|sig|signature|code|auth|authorization|credential|credentials|jwt|session[_-]?token)$/i;

/** `scheme://userinfo@`: everything between `//` and the first `@` before the host's end. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>`]+@/gi;

/** `name=value` after `?`, `&`, `;` or `#`, the way query strings and form bodies separate them. */
const PARAMETER = /([?&#;])([^\s=&#?;"'<>`]+)=([^\s&#;"'<>`]+)/g;

export const MASK = '***';

/** A user name this long with no password is taken for a token (`https://<token>@host`); shorter ones are names. */
const TOKEN_AS_USER_LENGTH = 16;

/** `text` with the userinfo of every URL and the value of every secret-named parameter replaced by `***`. */
export function maskUrlCredentials(text: string): string {
  return text
    .replace(USERINFO, `$1${MASK}@`)
    .replace(PARAMETER, (whole, separator: string, name: string) => (isSecretParameter(name) ? `${separator}${name}=${MASK}` : whole));
}

/**
 * The credentials in the URLs of `text`, decoded, for the masker to hide in every other form too: the
 * password, the user when there is no password (a token given as the user), `user:password` (the form
 * HTTP Basic authentication base64-encodes), and each secret-named parameter's value. A short user name
 * alone (`https://git@…`, `https://admin@…`) is a name: masking it everywhere would hide ordinary words.
 */
export function credentialsInUrls(text: string): string[] {
  const found = new Set<string>();
  for (const [candidate] of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi)) {
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      continue;
    }
    const user = decode(url.username);
    const password = decode(url.password);
    if (password) found.add(password).add(`${user}:${password}`);
    else if (user.length >= TOKEN_AS_USER_LENGTH) found.add(user);
    const parameters = [...url.searchParams, ...new URLSearchParams(url.hash.slice(1))];
    for (const [name, value] of parameters) if (value && isSecretParameter(name)) found.add(value);
  }
  return [...found];
}

function isSecretParameter(name: string): boolean {
  return SECRET_PARAMETER.test(decode(name));
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
