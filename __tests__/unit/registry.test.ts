import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/checks/types.js';

// A check is its file: `area.name` lives in src/checks/<area>/<name>.ts, helpers live in src/checks/support/,
// and the registry lists every check module exactly once. ESLint keeps its rules the same way.
const CHECKS_DIR = path.resolve('src/checks');
const NOT_AREAS = new Set(['support']);

function checkFiles(): { area: string; name: string; file: string }[] {
  return readdirSync(CHECKS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_AREAS.has(entry.name))
    .flatMap((area) =>
      readdirSync(path.join(CHECKS_DIR, area.name))
        .filter((file) => file.endsWith('.ts'))
        .map((file) => ({ area: area.name, name: file.replace(/\.ts$/, ''), file: path.join(CHECKS_DIR, area.name, file) })),
    );
}

function isCheck(value: unknown): value is Check {
  const candidate = value as Partial<Check> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.meta?.id === 'string' && typeof candidate.run === 'function';
}

describe('the check registry', () => {
  const files = checkFiles();

  it.each(files.map((f) => [`${f.area}/${f.name}.ts`, f] as const))(
    '%s exports one check, named after its file, and registered',
    async (_label, { area, name, file }) => {
      const module = (await import(file)) as Record<string, unknown>;
      const checks = Object.values(module).filter(isCheck);
      expect(checks.map((c) => c.meta.id)).toEqual([`${area}.${name}`]);
      expect(CHECKS).toContain(checks[0]);
    },
  );

  it('has a file for every registered check, and no id twice', () => {
    const ids = CHECKS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(files.map((f) => `${f.area}.${f.name}`).sort());
  });

  it.each(CHECKS.map((c) => [c.meta.id, c] as const))('%s documents what it checks, why it matters and the fix', (_id, check) => {
    for (const field of ['title', 'description', 'why', 'fix'] as const) expect(check.meta[field].trim().length).toBeGreaterThan(10);
    expect(['error', 'warning', 'notice']).toContain(check.meta.severity);
  });

  // The troubleshooting table's "Cause" column and the check's page print it: the likely mistake, not the impact.
  it.each(CHECKS.filter((c) => c.stage === 'startup' || c.stage === 'cleanup').map((c) => [c.meta.id, c] as const))(
    '%s, a check the troubleshooting table lists, says what usually causes its failure',
    (_id, check) => {
      expect(check.meta.cause?.trim().length ?? 0).toBeGreaterThan(10);
      expect(check.meta.cause).not.toBe(check.meta.why);
    },
  );
});
