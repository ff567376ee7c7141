import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CHECKS } from './checks/index.js';
import type { Location } from './checks/types.js';
import { formatJunit, formatServersJunit } from './report/junit.js';
import type { Report, ServersReport } from './report/report.js';
import { formatSarif, formatServersSarif } from './report/sarif.js';
import type { Settings } from './settings.js';

export interface WrittenArtifacts {
  report?: string;
  sarif?: string;
  junit?: string;
}

/** The files later steps and other CI systems read: the JSON report, SARIF and JUnit, each when asked for. */
export async function writeArtifacts(report: Report, settings: Settings, fallbackLocation: Location): Promise<WrittenArtifacts> {
  return writeFiles(settings, {
    report: () => report,
    sarif: () => formatSarif(report, CHECKS, { fallbackLocation }),
    junit: () => formatJunit(report),
  });
}

/**
 * The same files for several servers, at the paths the run's inputs give: the JSON report as
 * `{"servers": [...]}`, a SARIF run and a JUnit testsuite per server.
 */
export async function writeServersArtifacts(run: ServersReport, paths: ArtifactPaths, fallbackLocation: Location): Promise<WrittenArtifacts> {
  return writeFiles(paths, {
    report: () => run,
    sarif: () => formatServersSarif(run.servers, CHECKS, { fallbackLocation }),
    junit: () => formatServersJunit(run.servers, run.timings.totalMs),
  });
}

export type ArtifactPaths = Pick<Settings, 'reportPath' | 'sarifPath' | 'junitPath' | 'workingDirectory'>;

async function writeFiles(paths: ArtifactPaths, formats: { report: () => unknown; sarif: () => unknown; junit: () => string }): Promise<WrittenArtifacts> {
  const written: WrittenArtifacts = {};
  const write = async (relative: string, text: string) => {
    const file = path.resolve(paths.workingDirectory, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    return file;
  };
  if (paths.reportPath) written.report = await write(paths.reportPath, `${JSON.stringify(formats.report(), null, 2)}\n`);
  if (paths.sarifPath) written.sarif = await write(paths.sarifPath, `${JSON.stringify(formats.sarif(), null, 2)}\n`);
  if (paths.junitPath) written.junit = await write(paths.junitPath, formats.junit());
  return written;
}
