import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Data flows one way. Every module in src/ belongs to one layer, and imports only from its own layer or
 * from lower ones, type imports included: a lower layer that reached up would make the two one tangle,
 * where nothing can be read, tested or changed alone. This is the one place the layer map is kept; the
 * README's "Architecture" lines describe it. Lowest first; the first pattern a file matches wins.
 */
const LAYERS: readonly { name: string; files: readonly RegExp[] }[] = [
  // Plain helpers that know nothing of MCP or of the gate: text, time, HTTP, masking, pools. Anyone may use them.
  { name: 'util', files: [/^util\//] },
  // What the user asked for and the vocabulary every later layer speaks: inputs, the configuration file (it is
  // handed the known check ids by its caller), the finding's shape (findings.ts), the files the run reads
  // (baseline, accepted findings, server.json, client configurations) and the surface snapshot and its diff.
  {
    name: 'settings',
    files: [
      /^(settings|settings-error|inputs|config|config-defaults|config-schema|secrets|version|baseline|accepted-file|findings)\.ts$/,
      /^registry\//,
      /^servers-config\//,
      /^surface\/(snapshot|diff|word-diff)\.ts$/,
    ],
  },
  // Bringing the server up: deploy, processes, readiness. Knows the settings, never a session or a check.
  { name: 'target', files: [/^target\//] },
  // Speaking to the server: transports, the SDK client, the recorded exchange, the gate's own probes (which
  // never know a check id: the engine tells them what is wanted), and the live surface read from a session.
  { name: 'session', files: [/^session\//, /^surface\/live\.ts$/] },
  // Judging: one check per file, their registry and shared helpers. Checks return findings and
  // observations; they never write into the context for another check to read.
  { name: 'checks', files: [/^checks\//] },
  // Pointing findings at lines of the user's repository: works on findings, not on reports.
  { name: 'locate', files: [/^locate\//] },
  // Formatting only: the report's shape and every rendering of it, and the documents made from check metadata.
  { name: 'report', files: [/^report\//] },
  // The one path from settings to a report: runs the target, session, checks and report in order.
  { name: 'engine', files: [/^engine\.ts$/, /^run-many\.ts$/] },
  // Entry points and what they write: the action, the CLI, artifacts on disk, the PR comment, the baseline file.
  { name: 'outputs', files: [/^(main|index|cli|command-line|artifacts|surface-file|merge)\.ts$/, /^github\//] },
];

/**
 * Beyond direction: reporters only format, so from the checks layer they read the types and the registry's
 * metadata, never a check's logic.
 */
const REPORT_MAY_IMPORT_FROM_CHECKS = new Set(['checks/types.ts', 'checks/index.ts']);
/**
 * Imports that break a rule and are being removed on another branch. Each must still exist (the test below
 * fails once it is gone, so the entry is deleted with it).
 * - report/summary.ts's `worksWith`: the compatibility matrix (branch h13) replaces it.
 */
const BEING_REMOVED = new Set<string>();

const SRC = path.resolve('src');
const SOURCE = /\.(ts|cts|mts)$/;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `src/`-relative, with forward slashes, so the patterns read the same on every system. */
function relative(file: string): string {
  return path.relative(SRC, file).split(path.sep).join('/');
}

function layerOf(file: string): number {
  return LAYERS.findIndex((layer) => layer.files.some((pattern) => pattern.test(file)));
}

/** Sources import each other by their compiled names: `./x.js` is `./x.ts`, `./x.cjs` is `./x.cts`. */
function sourceOf(importer: string, specifier: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier));
  return target
    .replace(/\.js$/, '.ts')
    .replace(/\.cjs$/, '.cts')
    .replace(/\.mjs$/, '.mts');
}

interface Import {
  from: string;
  to: string;
  specifier: string;
}

/** Every relative import of a file, as the compiler reads it: static, type-only, re-exports and dynamic ones. */
function importsOf(file: string): Import[] {
  const from = relative(file);
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.filter(({ fileName }) => fileName.startsWith('.')).map(({ fileName }) => ({ from, to: sourceOf(from, fileName), specifier: fileName }));
}

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);

describe('the layers', () => {
  it('place every module in src/', () => {
    const unplaced = files.map(relative).filter((file) => layerOf(file) < 0);
    expect(unplaced).toEqual([]);
  });

  it('read every kind of import, type-only ones included', () => {
    const text = [
      "import type { A } from './a.js';",
      "import { type B } from './b.js';",
      "export type { C } from './c.js';",
      "export * from './d.js';",
      "const e = await import('./e.js');",
      "type F = typeof import('./f.js');",
    ].join('\n');
    const found = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    expect(found).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js']);
  });

  it('never import from a higher layer', () => {
    const upward = imports
      .filter(({ from, to }) => layerOf(to) > layerOf(from))
      .map(
        ({ from, to, specifier }) =>
          `src/${from} (${LAYERS[layerOf(from)].name}) imports ${specifier} (src/${to}, ${LAYERS[layerOf(to)].name}), a higher layer`,
      );
    expect(upward).toEqual([]);
  });

  it('let reporters read check types and metadata, never check logic', () => {
    const logic = imports
      .filter(({ from, to }) => from.startsWith('report/') && to.startsWith('checks/') && !REPORT_MAY_IMPORT_FROM_CHECKS.has(to))
      .map(({ from, to }) => `${from} -> ${to}`)
      .filter((edge) => !BEING_REMOVED.has(edge));
    expect(logic).toEqual([]);
  });

  it('list as being removed only imports that still exist', () => {
    const edges = new Set(imports.map(({ from, to }) => `${from} -> ${to}`));
    expect([...BEING_REMOVED].filter((edge) => !edges.has(edge))).toEqual([]);
  });
});

/** Layers below the checks that must not name one: the engine tells a probe what is wanted (`Check.probes`). */
const KNOW_NO_CHECK_ID = new Set(['util', 'settings', 'target', 'session']);

/** The text of every string literal in a file, as the compiler parses it (comments are not strings). */
function stringsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

describe('the layers below the checks', () => {
  it('name no check id', async () => {
    const { CHECKS } = await import('../../src/checks/index.js');
    const ids = new Set(CHECKS.map((check) => check.meta.id));
    const named = files
      .filter((file) => KNOW_NO_CHECK_ID.has(LAYERS[layerOf(relative(file))].name))
      .flatMap((file) =>
        stringsOf(file)
          .filter((text) => ids.has(text))
          .map((id) => `src/${relative(file)} names "${id}"`),
      );
    expect(named).toEqual([]);
  });
});

/**
 * Writes into the context by a check, being removed on another branch (each must still exist):
 * - lifecycle.version-negotiation's version matrix: the compatibility matrix (branch h13) replaces it.
 */
const WRITES_BEING_REMOVED = new Set<string>();
const MUTATORS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'delete', 'clear']);

/** The root of `a.b.c` or `a[b].c`: `a`. */
function rootOf(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = current.expression;
  return current;
}

function isContextMember(node: ts.Expression): boolean {
  const root = rootOf(node);
  return root !== node && ts.isIdentifier(root) && root.text === 'context';
}

/** Assignments, deletions and mutating calls on `context.…` in a check module. */
function contextWrites(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const assigns =
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      node.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      isContextMember(node.left);
    const updates =
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) &&
      isContextMember(node.operand);
    const deletes = ts.isDeleteExpression(node) && isContextMember(node.expression);
    const mutates =
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      MUTATORS.has(node.expression.name.text) &&
      isContextMember(node.expression.expression);
    if (assigns || updates || deletes || mutates) found.push(`${relative(file)}: ${node.getText(source)}`);
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

describe('checks', () => {
  const writes = files.filter((file) => relative(file).startsWith('checks/')).flatMap(contextWrites);

  it('never write into the context another check reads (a measurement goes to `observe`)', () => {
    expect(writes.filter((write) => !WRITES_BEING_REMOVED.has(write))).toEqual([]);
  });

  it('list as being removed only writes that still exist', () => {
    expect([...WRITES_BEING_REMOVED].filter((write) => !writes.includes(write))).toEqual([]);
  });
});
