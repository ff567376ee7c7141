import type { InputName } from './inputs.js';

/** A bad input value or combination: the run stops before anything is started (exit code 2). */
export class SettingsError extends Error {
  constructor(
    readonly input: InputName,
    message: string,
  ) {
    super(`Invalid input "${input}": ${message}`);
    this.name = 'SettingsError';
  }
}
