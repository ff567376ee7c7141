import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding, Location } from '../../src/checks/types.js';
import { attachLocations, subjectsOf, type Subject } from '../../src/locate/attach.js';
import { findDefinitions } from '../../src/locate/source-index.js';

const REPOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/repos');
const GENEROUS = { deadlineMs: 10_000 };

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * A copy of a fixture repository with decoys planted in it. Decoys cannot be committed: git ignores
 * node_modules/ and the fixtures' own ignored folders, so the test writes them.
 */
function copyWithDecoys(fixture: string, decoys: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `preflight-locate-${fixture}-`));
  scratch.push(root);
  cpSync(path.join(REPOS, fixture), root, { recursive: true });
  for (const [file, text] of Object.entries(decoys)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function at(file: string, startLine: number, endLine = startLine): Location {
  return { file, startLine, endLine };
}

function subjects(kind: Subject['kind'], ...names: string[]): Subject[] {
  return names.map((name) => ({ kind, name }));
}

describe('findDefinitions in a TypeScript server', () => {
  // Each decoy registers the tool that the real code names only in a literal, so reading one would show.
  const decoy = "server.registerTool('legacy_lookup', {}, handler);\nserver.registerTool('get_forecast', {}, handler);\n";
  let root: string;
  beforeAll(() => {
    root = copyWithDecoys('ts-server', {
      'node_modules/weather-kit/index.js': decoy,
      'dist/index.js': decoy,
      'build/server.js': decoy,
      'coverage/lcov-report/index.js': decoy,
      '.cache/server.js': decoy,
      'generated/server.ts': decoy, // ignored by the root .gitignore
      'src/forecast.local.ts': decoy, // *.local.ts in the root .gitignore
      'src/scratch.ts': decoy, // ignored by src/.gitignore
      'src/types.d.ts': decoy,
      'src/aaa-bundle.js': decoy + ' '.repeat(600 * 1024), // over the default size limit
    });
  });

  it('points each tool, prompt and resource at its registration, from the call to the name', async () => {
    const names = [
      ...subjects('tool', 'get_forecast', 'get_alerts', 'geocode', 'legacy_lookup'),
      ...subjects('prompt', 'plan_trip', 'summarize_week'),
      ...subjects('resource', 'station_list', 'units'),
    ];
    const definitions = await findDefinitions(root, names, GENEROUS);
    expect(Object.fromEntries(definitions)).toEqual({
      'tool:get_forecast': at('src/index.ts', 9, 10),
      'tool:get_alerts': at('src/index.ts', 18),
      'tool:geocode': at('src/tools/geocode.ts', 7, 8),
      'tool:legacy_lookup': at('src/legacy.mjs', 10),
      'prompt:plan_trip': at('src/index.ts', 24),
      'prompt:summarize_week': at('src/index.ts', 28),
      'resource:station_list': at('src/index.ts', 32, 33),
      'resource:units': at('src/index.ts', 39),
    });
  });

  it('prefers the real registration to a stub in a test file read earlier', async () => {
    const definitions = await findDefinitions(root, subjects('tool', 'geocode'), GENEROUS);
    expect(definitions.get('tool:geocode')).toEqual(at('src/tools/geocode.ts', 7, 8));
  });

  it('leaves out names it cannot find, and matches a name only to its own kind', async () => {
    const definitions = await findDefinitions(root, [...subjects('tool', 'not_there'), ...subjects('resource', 'get_alerts')], GENEROUS);
    expect(definitions.has('tool:not_there')).toBe(false);
    expect(definitions.get('resource:get_alerts')).toEqual(at('src/index.ts', 18));
  });

  it('reads no more than maxFiles files', async () => {
    const definitions = await findDefinitions(root, subjects('tool', 'get_forecast', 'geocode'), { ...GENEROUS, maxFiles: 1 });
    expect([...definitions.keys()]).toEqual(['tool:get_forecast']);
  });
});

describe('findDefinitions in a Python server', () => {
  const decoy = '@mcp.tool()\ndef lookup_city(name: str) -> str:\n    return name\n';
  let root: string;
  beforeAll(() => {
    root = copyWithDecoys('py-server', {
      '.venv/lib/python3.12/site-packages/weather_kit/server.py': decoy,
      'venv/lib/python3.12/site-packages/weather_kit/server.py': decoy,
      'build/lib/weather/server.py': decoy,
      '__pycache__/server.py': decoy,
      'scratch/server.py': decoy, // ignored by .gitignore
      'tests/test_server.py': decoy,
    });
  });

  it('points decorated functions at the decorator and the def, under the name clients see', async () => {
    const names = [
      ...subjects('tool', 'get_forecast', 'find_stations', 'search', 'get_alerts', 'lookup_city', 'convert_units'),
      ...subjects('prompt', 'plan_trip', 'weekly_summary', 'explain_alert'),
      ...subjects('resource', 'units'),
    ];
    const definitions = await findDefinitions(root, names, GENEROUS);
    expect(Object.fromEntries(definitions)).toEqual({
      'tool:get_forecast': at('weather/server.py', 18, 19),
      'tool:find_stations': at('weather/server.py', 24, 28),
      'tool:get_alerts': at('weather/server.py', 32, 35),
      'tool:lookup_city': at('weather/server.py', 58),
      'tool:convert_units': at('weather/lowlevel.py', 12, 14),
      'prompt:plan_trip': at('weather/server.py', 39, 40),
      'prompt:weekly_summary': at('weather/server.py', 44, 45),
      'prompt:explain_alert': at('weather/lowlevel.py', 22),
      'resource:units': at('weather/server.py', 49, 50),
    });
  });
});

describe('findDefinitions in a Go server', () => {
  const decoy = 'package kit\n\nvar ping = mcp.NewTool("ping")\nvar f = &mcp.Tool{Name: "get_forecast"}\n';
  let root: string;
  beforeAll(() => {
    root = copyWithDecoys('go-server', {
      'vendor/github.com/acme/weatherkit/tools.go': decoy,
      'tmp/main.go': decoy, // ignored by .gitignore
      'main_test.go': 'package main\n\nfunc stub() { mcp.AddTool(server, &mcp.Tool{Name: "ping"}, nil) }\n',
    });
  });

  it('points AddTool calls, struct literals and constructors at the call and the Name field', async () => {
    const names = [
      ...subjects('tool', 'get_forecast', 'get_alerts', 'convert_units', 'ping'),
      ...subjects('prompt', 'plan_trip'),
      ...subjects('resource', 'station_list', 'readme'),
    ];
    const definitions = await findDefinitions(root, names, GENEROUS);
    expect(Object.fromEntries(definitions)).toEqual({
      'tool:get_forecast': at('main.go', 23, 25),
      'tool:get_alerts': at('tools.go', 13, 14),
      'tool:convert_units': at('cmd/legacy/main.go', 14),
      'tool:ping': at('tools.go', 31), // the literal in code, not the one in the comment above it
      'prompt:plan_trip': at('main.go', 30),
      'resource:station_list': at('main.go', 32, 35),
      'resource:readme': at('cmd/legacy/main.go', 22),
    });
  });
});

describe('findDefinitions within its budget', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'preflight-locate-large-'));
    scratch.push(root);
    mkdirSync(path.join(root, 'src'));
    const filler = `export const data = ${JSON.stringify('x'.repeat(2000))};\n`;
    for (let i = 0; i < 3000; i += 1) writeFileSync(path.join(root, 'src', `module-${String(i).padStart(4, '0')}.ts`), filler);
    writeFileSync(path.join(root, 'src/zzz-server.ts'), "server.registerTool('late_tool', {}, handler);\n");
  });

  it('returns promptly with what it has when the deadline passes', async () => {
    const definitions = await findDefinitions(root, subjects('tool', 'late_tool'), { deadlineMs: 5 });
    // Stopped at the deadline: the definition in the last of 3,000 files (6 MB) was never reached, while
    // the next test, given the time, finds it.
    expect(definitions.has('tool:late_tool')).toBe(false);
  });

  it('finds the last file when given the time', async () => {
    const definitions = await findDefinitions(root, subjects('tool', 'late_tool'), GENEROUS);
    expect(definitions.get('tool:late_tool')).toEqual(at('src/zzz-server.ts', 1));
  });
});

describe('attachLocations', () => {
  const definitions = new Map([['tool:get_forecast', at('src/index.ts', 9, 10)]]);
  const step = at('.github/workflows/ci.yml', 24);
  const finding = (id: string, extra: object = {}): Finding => ({ id, severity: 'error', title: id, message: `${id} failed`, ...extra });

  it('points a finding about a tool at its definition, and the rest at the fallback', () => {
    const [aboutTool, aboutServer, aboutUnknownTool] = attachLocations(
      [
        finding('tools.schema', { subject: { kind: 'tool', name: 'get_forecast' } }),
        finding('lifecycle.initialize'),
        finding('tools.schema', { subject: { kind: 'tool', name: 'removed_tool' } }),
      ],
      definitions,
      step,
    );
    expect(aboutTool.location).toEqual(at('src/index.ts', 9, 10));
    expect(aboutServer.location).toEqual(step);
    expect(aboutUnknownTool.location).toEqual(step);
  });

  it('keeps a location the check chose, and leaves findings alone when there is nowhere to point', () => {
    const chosen = at('mcp-preflight.yml', 3);
    const [kept, bare] = attachLocations([finding('config.invalid', { location: chosen }), finding('lifecycle.initialize')], definitions);
    expect(kept.location).toEqual(chosen);
    expect(bare).not.toHaveProperty('location');
  });

  it('does not change the findings it is given', () => {
    const original = finding('lifecycle.initialize');
    attachLocations([original], definitions, step);
    expect(original).not.toHaveProperty('location');
  });
});

describe('subjectsOf', () => {
  it('lists the named tools, prompts, resources and templates the server listed, once each', () => {
    const surface = {
      tools: [{ name: 'get_forecast' }, { name: 'get_forecast' }, { title: 'no name' }, null],
      prompts: [{ name: 'plan_trip' }],
      resources: [{ name: 'units', uri: 'config://units' }],
      resourceTemplates: [{ name: 'station', uriTemplate: 'weather://stations/{id}' }],
    };
    expect(subjectsOf(surface)).toEqual([
      { kind: 'tool', name: 'get_forecast' },
      { kind: 'prompt', name: 'plan_trip' },
      { kind: 'resource', name: 'units' },
      { kind: 'resource', name: 'station' },
    ]);
  });
});
