import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWorkflowStep } from '../../src/locate/workflow.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/repos/ts-server');

function running(workflow: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { GITHUB_WORKFLOW_REF: `acme/weather/.github/workflows/${workflow}@refs/pull/7/merge`, ...extra };
}

function line(workflow: string, number: number) {
  return { file: `.github/workflows/${workflow}`, startLine: number, endLine: number };
}

describe('findWorkflowStep', () => {
  it('points at the first step that uses the gate', () => {
    expect(findWorkflowStep(ROOT, running('ci.yml'))).toEqual(line('ci.yml', 24));
  });

  it("points at the running job's step when the gate runs in several jobs", () => {
    expect(findWorkflowStep(ROOT, running('ci.yml', { GITHUB_JOB: 'preflight-http' }))).toEqual(line('ci.yml', 34));
    expect(findWorkflowStep(ROOT, running('ci.yml', { GITHUB_JOB: 'test' }))).toEqual(line('ci.yml', 24));
  });

  it('recognises the action testing itself with uses: ./', () => {
    expect(findWorkflowStep(ROOT, running('self-test.yml'))).toEqual(line('self-test.yml', 10));
  });

  it("falls back to the job's line, then to the first line of the workflow", () => {
    expect(findWorkflowStep(ROOT, running('release.yml', { GITHUB_JOB: 'publish' }))).toEqual(line('release.yml', 8));
    expect(findWorkflowStep(ROOT, running('release.yml'))).toEqual(line('release.yml', 1));
  });

  it('knows nothing outside GitHub Actions or when the workflow is not in the checkout', () => {
    expect(findWorkflowStep(ROOT, {})).toBeUndefined();
    expect(findWorkflowStep(ROOT, running('deleted.yml'))).toBeUndefined();
    expect(findWorkflowStep(ROOT, { GITHUB_WORKFLOW_REF: 'acme/weather/../../etc/passwd@refs/heads/main' })).toBeUndefined();
  });

  it('finds a renamed or forked action by the repository GitHub says it came from', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'preflight-workflow-'));
    try {
      mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
      const steps = ['jobs:', '  gate:', '    steps:', '      - uses: actions/checkout@v4', '      - uses: Weather-Org/server-gate@main'];
      writeFileSync(path.join(root, '.github/workflows/gate.yml'), steps.join('\n'));
      const env = running('gate.yml', { GITHUB_ACTION_REPOSITORY: 'weather-org/server-gate' });
      expect(findWorkflowStep(root, env)).toEqual(line('gate.yml', 5));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
