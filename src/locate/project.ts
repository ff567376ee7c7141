import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Location } from '../findings.js';
import type { Settings } from '../settings.js';

/** The files that stand for a project when nothing more precise names the server. */
const PROJECT_FILES = ['package.json', 'pyproject.toml', 'go.mod', 'Cargo.toml', 'README.md'];

/**
 * Where findings about the server as a whole point when the gate runs outside a workflow: the entry of
 * the client configuration it came from, the configuration file, else the project's manifest. SARIF needs a file for every result.
 */
export function projectLocation(settings: Settings): Location {
  // A server read from a client configuration is its entry there.
  const entry = settings.serverConfig;
  if (entry) return { file: entry.source.file, startLine: entry.line };
  const candidates = [settings.config.source, ...PROJECT_FILES.map((name) => path.join(settings.workingDirectory, name))];
  const file = candidates.find((candidate): candidate is string => candidate !== undefined && existsSync(candidate));
  const relative = file ? path.relative(settings.workspace, file).split(path.sep).join('/') : 'README.md';
  return { file: relative, startLine: 1 };
}
