/**
 * The exception a crashed process died of, read from its stderr. A Python traceback names the cause on
 * its last line, after every frame; Node prints the error line before its stack. Either way a person
 * should read the exception first.
 */
export interface Crash {
  runtime: 'python' | 'node';
  /** The exception line (`ImportError: cannot import name …`), then any lines its message continues on. */
  exception: string[];
  /** The final traceback's `File "…", line N, in …` lines (Python) or `at …` lines (Node), outermost first. */
  frames: string[];
  /** Where the exception line is in the lines searched. */
  index: number;
}

const PYTHON_HEADER = /^(?:Traceback|Exception Group Traceback) \(most recent call last\):/;
/** `KeyError: 'X'`, `mcp.shared.exceptions.McpError: …`, `pydantic_core._pydantic_core.ValidationError: 1 validation error …`. */
const PYTHON_EXCEPTION = /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Group|Iteration)(?::\s.*|:?$)/;
const PYTHON_CHAIN = /^(?:During handling of the above exception|The above exception was the direct cause)/;
/** `Error: …`, `TypeError: …`, `Error [ERR_MODULE_NOT_FOUND]: …`, `SyntaxError: The requested module …`. */
const NODE_EXCEPTION = /^(?:Uncaught )?[A-Z]\w*(?:Error|Exception)?(?: \[[A-Z0-9_]+\])?: \S/;
const NODE_FRAME = /^\s+at \S/;
/** Lines of an exception message after its first: pydantic lists each field on lines of its own. */
const MAX_CONTINUATION = 12;

export function findCrash(lines: string[]): Crash | undefined {
  const python = findPythonCrash(lines);
  const node = findNodeCrash(lines);
  if (!python || !node) return python ?? node;
  return python.index > node.index ? python : node;
}

/** The exception line of a crash, then its message's further lines, each indented, or nothing. */
export function exceptionBlock(crash: Crash | undefined): string {
  return crash ? crash.exception.map((line) => `  ${line}`).join('\n') : '';
}

function findPythonCrash(raw: string[]): Crash | undefined {
  // A sub-exception of an ExceptionGroup (anyio's TaskGroup wraps most MCP servers' crashes) is drawn
  // inside "| " margins; the innermost traceback is the one that names the cause.
  const lines = raw.map(withoutGroupMargin);
  const header = lines.findLastIndex((line) => PYTHON_HEADER.test(line));
  if (header < 0) return undefined;
  const frames: string[] = [];
  let index = header + 1;
  for (; index < lines.length && /^\s/.test(lines[index]); index++) {
    if (/^\s+File "/.test(lines[index])) frames.push(lines[index].trim());
  }
  if (index >= lines.length || !PYTHON_EXCEPTION.test(lines[index])) return undefined;
  const exception = [lines[index]];
  for (let next = index + 1; next < lines.length && exception.length <= MAX_CONTINUATION; next++) {
    const line = lines[next];
    if (!line.trim() || PYTHON_HEADER.test(line) || PYTHON_CHAIN.test(line) || /^\s*\+-/.test(line)) break;
    exception.push(line);
  }
  return { runtime: 'python', exception, frames, index };
}

function withoutGroupMargin(line: string): string {
  return line.replace(/^\s*(?:\| ?)+/, '');
}

function findNodeCrash(lines: string[]): Crash | undefined {
  for (let index = lines.length - 1; index >= 0; index--) {
    if (!NODE_EXCEPTION.test(lines[index]) || !NODE_FRAME.test(lines[index + 1] ?? '')) continue;
    const frames = [];
    for (let next = index + 1; next < lines.length && NODE_FRAME.test(lines[next]); next++) frames.push(lines[next].trim());
    return { runtime: 'node', exception: [lines[index].replace(/^Uncaught /, '')], frames, index };
  }
  return undefined;
}
