import type { Location } from '../checks/types.js';
import { subjectKey, type Subject } from './attach.js';
import { languageOf, literalPattern, matchLiterals, matchRegistrations, RANK, type Candidate } from './patterns.js';
import { readSourceFiles, type SourceFile } from './source-files.js';
import { lineFinder } from './text.js';

export interface IndexOptions {
  /** How long the search may take, in milliseconds from the call; it then returns what it has found. */
  deadlineMs: number;
  maxFiles?: number;
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILES = 5000;
const DEFAULT_MAX_FILE_BYTES = 512 * 1024;
/** Files are read synchronously; this often, the search gives the event loop a turn. */
const PAUSE_EVERY_MS = 10;

/** Ranked after every match in ordinary source: a test's stub of a tool is not where the tool lives. */
const TEST_PENALTY = 10;
const TEST_FILE =
  /(?:^|\/)(?:__tests__|__mocks__|tests?|spec|testdata|e2e)\/|\.(?:test|spec)\.[cm]?[jt]sx?$|_test\.(?:go|py)$|(?:^|\/)(?:test_[^/]*|conftest)\.py$/;

/**
 * Where each tool, prompt and resource is defined in the repository at `root`, keyed by `subjectKey`.
 * Reads each source file once and looks for every name in it; a registration call wins over a bare
 * string literal anywhere, and the first file in walking order wins a tie. Names not found are absent.
 */
export async function findDefinitions(root: string, names: Subject[], options: IndexOptions): Promise<Map<string, Location>> {
  const ranking = new Ranking(names);
  const literals = literalPattern(names.map((subject) => subject.name));
  const limits = {
    deadline: performance.now() + options.deadlineMs,
    maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
  let paused = performance.now();
  for (const file of ranking.isSettled ? [] : readSourceFiles(root, limits)) {
    ranking.record(file, [...matchRegistrations(file.text, languageOf(file.path)), ...matchLiterals(file.text, literals)]);
    if (ranking.isSettled) break;
    if (performance.now() - paused >= PAUSE_EVERY_MS) paused = await pause();
  }
  return ranking.locations();
}

/** Lets timers and the server's pipes run; returns when it resumed. */
async function pause(): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  return performance.now();
}

/** The best place found so far for each subject; of equal places, the first found stays. */
class Ranking {
  private readonly best = new Map<string, { score: number; location: Location }>();
  private readonly keysByName = new Map<string, Set<string>>();
  private unsettled = 0;

  constructor(names: Subject[]) {
    for (const subject of names) {
      const keys = this.keysByName.get(subject.name) ?? new Set<string>();
      this.keysByName.set(subject.name, keys.add(subjectKey(subject)));
    }
    for (const keys of this.keysByName.values()) this.unsettled += keys.size;
  }

  /** Nothing later can beat a registration in ordinary source, so the walk may stop early. */
  get isSettled(): boolean {
    return this.unsettled === 0;
  }

  record(file: SourceFile, candidates: Candidate[]): void {
    const lineOf = lineFinder(file.text);
    const penalty = TEST_FILE.test(file.path) ? TEST_PENALTY : 0;
    for (const candidate of candidates) {
      const score = candidate.rank + penalty;
      for (const key of this.keysOf(candidate)) {
        const current = this.best.get(key);
        if (current && current.score <= score) continue;
        if (score === RANK.registration) this.unsettled -= 1;
        const location = { file: file.path, startLine: lineOf(candidate.start), endLine: lineOf(candidate.end) };
        this.best.set(key, { score, location });
      }
    }
  }

  locations(): Map<string, Location> {
    return new Map([...this.best].map(([key, { location }]) => [key, location]));
  }

  /** The keys a candidate may stand for: its own kind's, or every kind's for a bare literal. */
  private keysOf({ kind, name }: Candidate): string[] {
    const keys = this.keysByName.get(name);
    if (!keys) return [];
    if (!kind) return [...keys];
    const key = subjectKey({ kind, name });
    return keys.has(key) ? [key] : [];
  }
}
