import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SettingsError } from './settings-error.js';
import { parseSnapshot, SnapshotError, type SurfaceSnapshot } from './surface/snapshot.js';

/** The surface snapshot a run compares the live server with, and where it came from, as the user wrote it. */
export interface Baseline {
  source: string;
  snapshot: SurfaceSnapshot;
}

const GIT_PREFIX = 'git:';
/** A snapshot is a reviewable text file; anything far larger is not one. */
const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;
const GIT_TIMEOUT_MS = 30_000;

/**
 * Reads `baseline` before anything starts: a file (relative to the working directory), or `git:<ref>:<path>`,
 * read with `git show <ref>:<path>` in the working directory, so a pull request compares with its base
 * branch without building it. Every failure names the input and what to do.
 */
export function readBaseline(source: string, workingDirectory: string): Baseline {
  const text = source.startsWith(GIT_PREFIX) ? readFromGit(source, workingDirectory) : readFromFile(source, workingDirectory);
  try {
    return { source, snapshot: parseSnapshot(text, source) };
  } catch (error) {
    if (error instanceof SnapshotError) throw new SettingsError('baseline', error.message);
    throw error;
  }
}

function readFromFile(source: string, workingDirectory: string): string {
  const file = path.resolve(workingDirectory, source);
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats) {
    throw new SettingsError(
      'baseline',
      `${file} does not exist; write it first with "npx mcp-preflight snapshot … --out ${source}" (or update-baseline: true) and commit it, or read it from a ref with git:<ref>:${source}`,
    );
  }
  if (!stats.isFile()) throw new SettingsError('baseline', `${file} is not a file; give the path of the surface snapshot, e.g. mcp-surface.json`);
  if (stats.size > MAX_SNAPSHOT_BYTES)
    throw new SettingsError('baseline', `${file} is ${stats.size} bytes; a surface snapshot is far smaller, so this is not one`);
  return readFileSync(file, 'utf8');
}

function readFromGit(source: string, workingDirectory: string): string {
  const rest = source.slice(GIT_PREFIX.length);
  // A ref cannot contain a colon (git check-ref-format), so the first one ends it.
  const colon = rest.indexOf(':');
  const ref = colon > 0 ? rest.slice(0, colon) : '';
  const file = colon > 0 ? rest.slice(colon + 1) : '';
  if (!ref || !file) throw new SettingsError('baseline', `got "${source}"; write git:<ref>:<path>, e.g. git:origin/main:mcp-surface.json`);
  if (ref.startsWith('-')) throw new SettingsError('baseline', `got the ref "${ref}"; a ref does not start with "-"`);
  try {
    return execFileSync('git', ['show', `${ref}:${file}`], {
      cwd: workingDirectory,
      encoding: 'utf8',
      timeout: GIT_TIMEOUT_MS,
      maxBuffer: MAX_SNAPSHOT_BYTES,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new SettingsError('baseline', `${source} needs git, which is not installed here; give a file path instead`);
    const said = (failure.stderr ?? '').trim().split('\n')[0] || failure.message;
    throw new SettingsError(
      'baseline',
      `git show ${ref}:${file} failed in ${workingDirectory}: ${said}. Check that the ref exists here (a shallow checkout has only the commit it checked out: fetch the base branch first, e.g. git fetch --depth=1 origin main, or use actions/checkout with fetch-depth: 0) and that the path is from the repository's root (or starts with ./ for one relative to working-directory)`,
    );
  }
}
