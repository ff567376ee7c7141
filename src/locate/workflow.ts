import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Location } from '../checks/types.js';

/** `uses: owner/mcp-preflight@v1`, quoted or not, as a step or a step's first key. */
const USES = /^\s*(?:-\s+)?uses:\s*['"]?([^'"\s#]+)/;

interface Lines {
  text: string[];
  /** 0-based, end exclusive: the job's block, or the whole file. */
  from: number;
  to: number;
}

/**
 * The line of the workflow step that runs the gate, for findings about the server as a whole.
 * GitHub names the running workflow in GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/ci.yml@ref`)
 * and the job in GITHUB_JOB. Undefined outside Actions or when the file is not in `root`.
 */
export function findWorkflowStep(root: string, env: NodeJS.ProcessEnv): Location | undefined {
  const file = workflowFile(env.GITHUB_WORKFLOW_REF);
  if (file === undefined) return undefined;
  const text = readLines(path.join(root, file));
  if (text === undefined) return undefined;
  const line = stepLine(text, env) ?? 1;
  return { file, startLine: line, endLine: line };
}

function workflowFile(ref: string | undefined): string | undefined {
  const file = ref?.match(/^[^/]+\/[^/]+\/(.+)@[^@]*$/)?.[1];
  return file && !file.split('/').includes('..') ? file : undefined;
}

function readLines(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}

/**
 * The gate's step: within the running job if it can be told, else anywhere in the file; the action by
 * name before a local `uses: ./` (how the action's own repository tests itself). Else the job's line.
 */
function stepLine(text: string[], env: NodeJS.ProcessEnv): number | undefined {
  const job = jobBlock(text, env.GITHUB_JOB);
  const whole = { text, from: 0, to: text.length };
  const isGate = gateMatcher(env.GITHUB_ACTION_REPOSITORY);
  const isLocal = (action: string) => action === './' || action === '.';
  for (const lines of job ? [job, whole] : [whole]) {
    const line = firstUses(lines, isGate) ?? firstUses(lines, isLocal);
    if (line) return line;
  }
  return job ? job.from + 1 : undefined;
}

/** The action is found by its name, or by the repository GitHub says it came from (a fork, a rename). */
function gateMatcher(actionRepository: string | undefined): (action: string) => boolean {
  const repository = actionRepository?.toLowerCase();
  return (action) => {
    const lower = action.toLowerCase();
    return lower.includes('mcp-preflight') || (!!repository && (lower.startsWith(`${repository}@`) || lower.startsWith(`${repository}/`)));
  };
}

function firstUses({ text, from, to }: Lines, matches: (action: string) => boolean): number | undefined {
  for (let i = from; i < to; i += 1) {
    const action = USES.exec(text[i])?.[1];
    if (action && matches(action)) return i + 1;
  }
  return undefined;
}

/** The lines of `jobs.<id>`: from its key to the next line indented no deeper. */
function jobBlock(text: string[], jobId: string | undefined): Lines | undefined {
  const jobs = text.findIndex((line) => /^jobs:\s*(?:#.*)?$/.test(line));
  if (!jobId || jobs === -1) return undefined;
  const key = new RegExp(`^(\\s+)(['"]?)${jobId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\2:\\s*(?:#.*)?$`);
  const from = text.findIndex((line, i) => i > jobs && key.test(line));
  if (from === -1) return undefined;
  const indent = key.exec(text[from])?.[1].length ?? 0;
  const end = text.findIndex((line, i) => i > from && /\S/.test(line) && !/^\s*#/.test(line) && line.search(/\S/) <= indent);
  return { text, from, to: end === -1 ? text.length : end };
}
