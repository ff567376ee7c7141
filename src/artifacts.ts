import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CHECKS } from './checks/index.js';
import type { Location } from './checks/types.js';
import { formatJunit } from './report/junit.js';
import type { Report } from './report/report.js';
import { formatSarif } from './report/sarif.js';
import type { Settings } from './settings.js';

export interface WrittenArtifacts {
  report?: string;
  sarif?: string;
  junit?: string;
}

/** The files later steps and other CI systems read: the JSON report, SARIF and JUnit, each when asked for. */
export async function writeArtifacts(report: Report, settings: Settings, fallbackLocation: Location): Promise<WrittenArtifacts> {
  const written: WrittenArtifacts = {};
  const write = async (relative: string, text: string) => {
    const file = path.resolve(settings.workingDirectory, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    return file;
  };
  if (settings.reportPath) written.report = await write(settings.reportPath, `${JSON.stringify(report, null, 2)}\n`);
  if (settings.sarifPath) {
    written.sarif = await write(settings.sarifPath, `${JSON.stringify(formatSarif(report, CHECKS, { fallbackLocation }), null, 2)}\n`);
  }
  if (settings.junitPath) written.junit = await write(settings.junitPath, formatJunit(report));
  return written;
}

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
