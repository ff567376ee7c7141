import { findCrash, type Crash } from '../support/crash.js';
import { crashLog, explainExit, stderrTailBlock } from '../support/evidence.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'launch.sdk-mismatch',
  title: 'The server runs on the MCP SDK major version it was written for',
  severity: 'error',
  description:
    'Recognises a server that dies importing or starting the MCP SDK: a name, module or export path the installed SDK does not have (Python `mcp`, or the TypeScript `@modelcontextprotocol/*` packages).',
  why: 'An unpinned SDK dependency installs whatever major version is newest on the day CI runs; the server then dies before it can answer, and every client reports only "Connection closed".',
  cause:
    'An SDK dependency without an upper bound (`mcp`, `@modelcontextprotocol/sdk`) that resolved to a new major version whose names and import paths differ from those the code uses.',
  fix: 'Pin the SDK the code was written for and reinstall: `mcp>=1,<2` in pyproject.toml or requirements.txt, or `"@modelcontextprotocol/sdk": "^1"` in package.json. To use the v2 SDK instead, move the code to its packages (`@modelcontextprotocol/server`, `@modelcontextprotocol/client`) and their API.',
};

export interface SdkMismatch {
  language: 'python' | 'typescript';
  /** The SDK package the failing import or frame belongs to: `mcp`, `@modelcontextprotocol/sdk`, `@modelcontextprotocol/server`. */
  sdkPackage: string;
  /** The stderr line that says so: the exception line when the server died of one. */
  line: string;
  crash?: Crash;
}

/** The Python SDK's modules: `mcp` and `mcp.*`, never a package that merely starts with the letters. */
const PYTHON_MODULE = String.raw`mcp(?:\.[\w.]+)?`;
const PYTHON_PATTERNS = [
  new RegExp(String.raw`^ImportError: cannot import name '\w+' from '${PYTHON_MODULE}'`),
  // `No module named 'mcp'` is a missing install, not a version; a missing submodule is a version.
  /^ModuleNotFoundError: No module named 'mcp\.[\w.]+'/,
  new RegExp(String.raw`^AttributeError: module '${PYTHON_MODULE}' has no attribute '\w+'`),
  /^TypeError: (?:FastMCP|Server|ClientSession|StdioServerParameters)\.\w+\(\) got an unexpected keyword argument '\w+'/,
];
/** Exceptions that say the code and a library disagree about names and signatures. */
const API_SHAPE_ERROR = /^(?:ImportError|ModuleNotFoundError|AttributeError|TypeError|NameError)\b/;
const PYTHON_SDK_FRAME = /File "[^"]*[\\/](?:site|dist)-packages[\\/]mcp[\\/]/;

const TS_PACKAGE = String.raw`@modelcontextprotocol\/(?:sdk|server|client|node|core)`;
const TS_PATTERNS = [
  new RegExp(String.raw`ERR_PACKAGE_PATH_NOT_EXPORTED\]?:.*node_modules[\\/](${TS_PACKAGE})[\\/]package\.json`),
  new RegExp(String.raw`ERR_PACKAGE_PATH_NOT_EXPORTED\]?:.*["'](${TS_PACKAGE})\/`),
  // A subpath the installed package lacks; "Cannot find package '@modelcontextprotocol/sdk'" is a missing install.
  new RegExp(String.raw`Cannot find module '[^']*?(${TS_PACKAGE})\/[^']+'`),
  new RegExp(String.raw`The requested module '(${TS_PACKAGE})(?:\/[^']*)?' does not provide an export named`),
];
const TS_SDK_FRAME = new RegExp(String.raw`node_modules[\\/](${TS_PACKAGE})[\\/]`);

/** Whether the server died on the MCP SDK it imports, and which. */
export function findSdkMismatch(lines: string[]): SdkMismatch | undefined {
  const crash = findCrash(lines);
  const fromCrash = crash && mismatchOf(crash);
  if (fromCrash) return fromCrash;
  for (const line of lines) {
    const found = pythonMismatch(line) ?? typescriptMismatch(line);
    if (found) return found;
  }
  return undefined;
}

function mismatchOf(crash: Crash): SdkMismatch | undefined {
  const line = crash.exception[0];
  const found = pythonMismatch(line) ?? typescriptMismatch(line);
  if (found) return { ...found, crash };
  // Raised from inside the SDK: the innermost frame is in it (Python lists it last, Node first).
  if (!API_SHAPE_ERROR.test(line)) return undefined;
  if (crash.runtime === 'python' && PYTHON_SDK_FRAME.test(crash.frames.at(-1) ?? '')) return { language: 'python', sdkPackage: 'mcp', line, crash };
  const tsPackage = crash.runtime === 'node' ? TS_SDK_FRAME.exec(crash.frames[0] ?? '')?.[1] : undefined;
  return tsPackage ? { language: 'typescript', sdkPackage: tsPackage, line, crash } : undefined;
}

function pythonMismatch(line: string): SdkMismatch | undefined {
  const text = line.trim();
  return PYTHON_PATTERNS.some((pattern) => pattern.test(text)) ? { language: 'python', sdkPackage: 'mcp', line: text } : undefined;
}

function typescriptMismatch(line: string): SdkMismatch | undefined {
  for (const pattern of TS_PATTERNS) {
    const sdkPackage = pattern.exec(line)?.[1];
    if (sdkPackage) return { language: 'typescript', sdkPackage, line: line.trim() };
  }
  return undefined;
}

export const sdkMismatch: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.server !== undefined,
  run(context) {
    const exit = context.serverExit;
    if (!exit) return [];
    const mismatch = findSdkMismatch(crashLog(context));
    if (!mismatch) return [];
    // The exception on the first line: it is the line that fails the job and heads the annotation.
    const said = mismatch.crash ? 'It raised' : 'Its stderr says';
    return [
      finding(
        meta,
        `The server ${explainExit(exit.info)} ${exit.phase} on an MCP SDK (${mismatch.sdkPackage}) of another version than its code was written for. ${said} ${mismatch.line}${stderrTailBlock(context)}`,
        { hint: pinFor(mismatch) },
      ),
    ];
  },
};

function pinFor({ language, sdkPackage }: SdkMismatch): string {
  if (language === 'python') {
    return 'Pin the SDK major version the code was written for and reinstall: `mcp>=1,<2` in pyproject.toml, or `mcp<2` in requirements.txt (raise the lower bound to the release that added the name if the installed 1.x is older), or update the code to the installed `mcp`.';
  }
  if (sdkPackage === '@modelcontextprotocol/sdk') {
    return 'Pin `"@modelcontextprotocol/sdk": "^1"` in package.json and reinstall (the latest 1.x has every 1.x export path), or move the code to the v2 packages: `@modelcontextprotocol/server` (and `@modelcontextprotocol/node` for HTTP).';
  }
  return `Pin \`"${sdkPackage}"\` in package.json to the major version the code was written for (\`"^2"\` for the v2 API) and reinstall, or keep the code on the 1.x SDK, \`"@modelcontextprotocol/sdk": "^1"\`.`;
}
