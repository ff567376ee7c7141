import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCommandLine } from '../../src/command-line.js';
import { parseSettings } from '../../src/settings.js';
import { CATALOGUE } from '../../src/checks/index.js';

describe('the baseline and update-baseline inputs', () => {
  let directory: string;
  const settings = (raw: Record<string, string>) => parseSettings({ command: 'node server.js', ...raw }, CATALOGUE, directory);
  beforeAll(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-baseline-'));
    writeFileSync(
      path.join(directory, 'good.json'),
      JSON.stringify({
        format: 1,
        eras: { legacy: { serverInfo: {}, capabilities: {}, tools: [{ name: 'a' }], prompts: [], resources: [], resourceTemplates: [] } },
      }),
    );
    writeFileSync(path.join(directory, 'broken.json'), '{"format": 1,');
    writeFileSync(path.join(directory, 'future.json'), '{"format": 2, "eras": {}}');
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('reads a snapshot file before the run', () => {
    expect(settings({ baseline: 'good.json' }).baseline).toMatchObject({
      source: 'good.json',
      snapshot: { format: 1, eras: { legacy: { tools: [{ name: 'a' }] } } },
    });
  });

  it.each([
    [
      'a missing file',
      'missing.json',
      /Invalid input "baseline": .*missing\.json does not exist; write it first with "npx mcp-preflight snapshot … --out missing\.json"/,
    ],
    ['a file that is not JSON', 'broken.json', /Invalid input "baseline": broken\.json is not valid JSON/],
    [
      'another format version',
      'future.json',
      /Invalid input "baseline": future\.json has "format": 2; this version of mcp-preflight reads surface snapshots of "format": 1/,
    ],
    ['a git source without a path', 'git:main', /Invalid input "baseline": got "git:main"; write git:<ref>:<path>/],
    ['a ref that looks like an option', 'git:--output=x:y', /a ref does not start with "-"/],
  ])('refuses %s, naming the input and the fix', (_label, baseline, message) => {
    expect(() => settings({ baseline })).toThrow(message);
  });

  it('writes to the baseline path, or mcp-surface.json, when update-baseline is true, without reading it', () => {
    const updating = settings({ 'update-baseline': 'true', baseline: 'missing.json' });
    expect(updating.snapshotPath).toBe('missing.json');
    expect(updating.baseline).toBeUndefined();
    expect(settings({ 'update-baseline': 'true' }).snapshotPath).toBe('mcp-surface.json');
    expect(settings({}).snapshotPath).toBeUndefined();
  });

  it('refuses a bad update-baseline value and a git source to write to', () => {
    expect(() => settings({ 'update-baseline': 'yes' })).toThrow('Invalid input "update-baseline": got "yes"; accepted values are true, false');
    expect(() => settings({ 'update-baseline': 'true', baseline: 'git:main:mcp-surface.json' })).toThrow(
      /Invalid input "baseline": update-baseline writes a file/,
    );
  });
});

describe('the snapshot subcommand', () => {
  it('is update-baseline with its file given as --out', () => {
    expect(parseCommandLine(['snapshot', '--out', 'surface.json', '--', 'node', 'server.js']).raw).toMatchObject({
      'update-baseline': 'true',
      baseline: 'surface.json',
      command: 'node server.js',
    });
    expect(parseCommandLine(['snapshot', '--url', 'http://127.0.0.1:3000/mcp']).raw).toMatchObject({ baseline: 'mcp-surface.json' });
  });

  it('refuses --baseline beside it, and --out without it', () => {
    expect(() => parseCommandLine(['snapshot', '--baseline', 'x.json', '--', 'node', 's.js'])).toThrow(
      /Invalid input "baseline": snapshot writes the file given with --out/,
    );
    expect(() => parseCommandLine(['--out', 'x.json', '--', 'node', 's.js'])).toThrow(/Unknown option '--out'/);
  });
});
