import { INPUTS, type RawInputs } from './inputs.js';
import { Masker } from './util/masker.js';
import { credentialsInUrls } from './util/url-credentials.js';

/**
 * Every credential among the raw inputs, registered before anything can print it: the whole value,
 * and for `Authorization: Bearer abc` also `abc`, which a server is more likely to echo alone. The
 * credentials inside any input's URLs (`url: https://user:pass@host/mcp?api_key=…`, a command that
 * passes such a URL) are registered too: the runner knows nothing of them.
 */
export function registerSecrets(raw: RawInputs, masker: Masker, alsoTell: (secret: string) => void = () => undefined): void {
  const register = (secret: string) => {
    if (secret.length < Masker.MIN_SECRET_LENGTH) return;
    masker.add(secret);
    alsoTell(secret);
  };
  for (const input of INPUTS.filter((i) => 'secret' in i && i.secret)) {
    for (const line of linesOf(raw[input.name])) {
      const secret = (input.name === 'header' ? line.slice(line.indexOf(':') + 1) : line).trim();
      for (const part of new Set([secret, secret.split(/\s+/).at(-1) ?? ''])) register(part);
    }
  }
  for (const input of INPUTS) {
    for (const line of linesOf(raw[input.name])) credentialsInUrls(line).forEach(register);
  }
}

function linesOf(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : [value ?? '']).flatMap((v) => v.split(/\r?\n/));
}
