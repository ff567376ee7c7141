import { INPUTS, type RawInputs } from './inputs.js';
import { Masker } from './util/masker.js';

/**
 * Every credential among the raw inputs, registered before anything can print it: the whole value,
 * and for `Authorization: Bearer abc` also `abc`, which a server is more likely to echo alone.
 */
export function registerSecrets(raw: RawInputs, masker: Masker, alsoTell: (secret: string) => void = () => undefined): void {
  for (const input of INPUTS.filter((i) => 'secret' in i && i.secret)) {
    const value = raw[input.name];
    const lines = (Array.isArray(value) ? value : [value ?? '']).flatMap((v) => v.split(/\r?\n/));
    for (const line of lines) {
      const secret = (input.name === 'header' ? line.slice(line.indexOf(':') + 1) : line).trim();
      for (const part of new Set([secret, secret.split(/\s+/).at(-1) ?? ''])) {
        if (part.length < Masker.MIN_SECRET_LENGTH) continue;
        masker.add(part);
        alsoTell(part);
      }
    }
  }
}
