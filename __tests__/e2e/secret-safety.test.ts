import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Masker } from '../../src/util/masker.js';
import { randomish } from '../fixtures/fake-secrets.js';
import { fixtureCommand, freePort, processesMatching, ROOT, uniqueTag } from '../helpers/servers.js';

const ACTION = path.join(ROOT, 'dist/index.js');
const CLI = path.join(ROOT, 'dist/cli.js');

/** Long enough that any 8 characters of it in an output can only have come from it. */
const FRAGMENT = 8;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every stretch of FRAGMENT characters of the secret: a clipped copy leaks as surely as a whole one. */
function fragmentsOf(secret: string): string[] {
  return Array.from({ length: secret.length - FRAGMENT + 1 }, (_, i) => secret.slice(i, i + FRAGMENT));
}

function expectNoTrace(secret: string, outputs: Record<string, string>): void {
  const leaks = Object.entries(outputs).flatMap(([name, text]) =>
    fragmentsOf(secret)
      .filter((f) => text.includes(f))
      .map((f) => `${name}: ${f}`),
  );
  expect(leaks).toEqual([]);
}

/**
 * A server that echoes its Authorization header, a gate given it as a header, and a smoke call that
 * quotes the echo. `pad` moves the echo in the tool's result across the length at which the smoke call's
 * message clips it, so part of the secret, not all of it, reaches the message.
 */
async function scenario(label: string, pad = 0) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `preflight-${label}-`));
  const port = await freePort();
  const tag = uniqueTag(`echoes-authorization-${label}`);
  const secret = `tok${randomish(37, Date.now() % 100_000)}`;
  const config = path.join(dir, 'mcp-preflight.config.json');
  writeFileSync(config, JSON.stringify({ calls: [{ tool: 'whoami' }] }));
  return {
    dir,
    tag,
    secret,
    inputs: {
      start: `PAD=${pad} ${fixtureCommand('echoes-authorization.mjs', tag, port)}`,
      url: `http://127.0.0.1:${port}/mcp`,
      header: `Authorization: Bearer ${secret}`,
      report: path.join(dir, 'report.json'),
      sarif: path.join(dir, 'report.sarif'),
      junit: path.join(dir, 'junit.xml'),
      config,
    },
  };
}

/** The run must show that the echo reached the outputs: masked, not absent. */
function expectMaskedEcho(report: { findings: { id: string; message: string }[]; logs: { stderr: string[] }[] }, quotedResult: string): void {
  expect(report.findings.find((f) => f.id === 'security.secrets-exposed' && f.message.includes('tool "whoami"'))?.message).toContain(
    'description: the Authorization header the gate sent, verbatim',
  );
  expect(report.findings.find((f) => f.id === 'tools.call')?.message).toContain(quotedResult);
  expect(report.logs.flatMap((l) => l.stderr)).toContain('POST /mcp authorization=***');
}

beforeAll(() => {
  for (const bundle of [ACTION, CLI]) if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run bundle\` before the tests`);
});

describe('a credential given to the gate appears in none of its outputs', () => {
  it('the action: stdout, stderr, summary, outputs, state, report, SARIF and JUnit; masked after ::add-mask::', async () => {
    // The tools.call message quotes 300 characters of the result: the secret starts at 285.
    const { dir, tag, secret, inputs } = await scenario('action', 215);
    const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary'), state: path.join(dir, 'state') };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WORKSPACE: ROOT };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    const run = await runNode([ACTION], { ...env, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, GITHUB_STATE: files.state });

    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const maskLines = lines.flatMap((line, i) => (line.startsWith('::add-mask::') ? [{ line, i }] : []));
    // Every form the gate masks (encoded ones included) is registered with the runner, escaped as the toolkit escapes command data.
    const forms = new Masker();
    for (const value of [`Bearer ${secret}`, secret]) forms.add(value);
    expect(maskLines.map((m) => m.line)).toEqual(forms.list().map((form) => `::add-mask::${form.replace(/%/g, '%25')}`));
    const firstMasked = lines.findIndex((line) => line.includes('***'));
    expect(firstMasked).toBeGreaterThan(-1);
    expect(Math.max(...maskLines.map((m) => m.i))).toBeLessThan(firstMasked);
    expect(lines.slice(0, maskLines.length)).toEqual(maskLines.map((m) => m.line));

    const report = JSON.parse(readFileSync(inputs.report, 'utf8'));
    // Clipped inside the secret: only its first 15 characters were in the message, masked as a fragment.
    expectMaskedEcho(report, 'Request had Authorization: Bearer ***');
    expectNoTrace(secret, {
      stdout: lines.filter((line) => !line.startsWith('::add-mask::')).join('\n'),
      stderr: run.stderr,
      summary: readFileSync(files.summary, 'utf8'),
      outputs: readFileSync(files.output, 'utf8'),
      state: readFileSync(files.state, 'utf8'),
      report: readFileSync(inputs.report, 'utf8'),
      sarif: readFileSync(inputs.sarif, 'utf8'),
      junit: readFileSync(inputs.junit, 'utf8'),
    });
    expect(processesMatching(tag)).toEqual([]);
  });

  it('the CLI: stdout, stderr, report, SARIF and JUnit', async () => {
    const { tag, secret, inputs } = await scenario('cli');
    const args = Object.entries(inputs).flatMap(([name, value]) => [`--${name}`, value]);
    const run = await runNode([CLI, ...args], { PATH: process.env.PATH, HOME: process.env.HOME });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('***');
    expectMaskedEcho(JSON.parse(readFileSync(inputs.report, 'utf8')), 'Request had Authorization: ***');
    expectNoTrace(secret, {
      stdout: run.stdout,
      stderr: run.stderr,
      report: readFileSync(inputs.report, 'utf8'),
      sarif: readFileSync(inputs.sarif, 'utf8'),
      junit: readFileSync(inputs.junit, 'utf8'),
    });
    expect(processesMatching(tag)).toEqual([]);
  });
});
