import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INPUTS } from '../../src/inputs.js';
import { TOOL_VERSION } from '../../src/version.js';
import { ROOT } from '../helpers/servers.js';

interface YamlMap {
  [key: string]: string | YamlMap;
}

/**
 * Nested maps of scalars, which is all action.yml uses. No YAML library is a dependency, and anything
 * this does not understand (lists, block scalars, flow maps) throws rather than being misread.
 */
function parseSimpleYaml(text: string): YamlMap {
  const root: YamlMap = {};
  const open: { indent: number; map: YamlMap }[] = [{ indent: -1, map: root }];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const match = /^([\w-]+):(?:\s+(.*))?$/.exec(line.trim());
    if (!match) throw new Error(`Unsupported YAML line: ${JSON.stringify(line)}`);
    while (indent <= open[open.length - 1].indent) open.pop();
    const [, key, value] = match;
    const parent = open[open.length - 1].map;
    if (value === undefined) {
      parent[key] = {};
      open.push({ indent, map: parent[key] });
    } else {
      parent[key] = parseScalar(value);
    }
  }
  return root;
}

function parseScalar(value: string): string {
  if (/^'(?:[^']|'')*'$/.test(value)) return value.slice(1, -1).replace(/''/g, "'");
  if (/^".*"$/.test(value)) return JSON.parse(value) as string;
  if (/^[|>[{&*!]/.test(value) || / #/.test(value)) throw new Error(`Unsupported YAML value: ${value}`);
  return value;
}

function mapAt(map: YamlMap, key: string): YamlMap {
  const value = map[key];
  if (typeof value !== 'object') throw new Error(`action.yml has no "${key}" map`);
  return value;
}

const action = parseSimpleYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
const inputs = mapAt(action, 'inputs');

describe('action.yml', () => {
  it('runs the one bundle on node24, for both the main and the post step', () => {
    expect(mapAt(action, 'runs')).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js' });
  });

  it('declares exactly the inputs of src/inputs.ts', () => {
    expect(Object.keys(inputs).sort()).toEqual(INPUTS.map((input) => input.name).sort());
  });

  it.each(INPUTS.map((input) => [input.name, input] as const))('declares %s with the description and default of src/inputs.ts', (name, input) => {
    const declared = mapAt(inputs, name);
    expect(declared.description).toBe(input.description);
    expect(declared.default).toBe('default' in input ? input.default : undefined);
  });

  it('declares the outputs the runner reads', () => {
    const expected = ['result', 'errors', 'warnings', 'protocol-version', 'server-name', 'server-version', 'tools', 'resources', 'prompts', 'report'];
    expect(Object.keys(mapAt(action, 'outputs'))).toEqual(expect.arrayContaining(expected));
  });
});

describe('src/version.ts', () => {
  it('keeps TOOL_VERSION equal to the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});

describe('parseSimpleYaml', () => {
  it('reads nested maps and quoted scalars', () => {
    expect(parseSimpleYaml("a:\n  b: 'it''s'\n  c:\n    d: \"x\\ty\"\ne: plain\n")).toEqual({ a: { b: "it's", c: { d: 'x\ty' } }, e: 'plain' });
  });

  it('refuses what it cannot read instead of misreading it', () => {
    expect(() => parseSimpleYaml('a:\n  - item\n')).toThrow('Unsupported YAML line');
    expect(() => parseSimpleYaml('a: |\n  text\n')).toThrow('Unsupported YAML value');
  });
});
