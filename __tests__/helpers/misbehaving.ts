// Shared by the checklist tests of the misbehaving-*.mjs fixtures, which take their faults from MISBEHAVE.
import type { RawInputs } from '../../src/inputs.js';
import type { Report } from '../../src/report/report.js';
import { fixtureWith, runGate, uniqueTag } from '../fixtures/gate.js';
import { processesMatching } from './servers.js';

/** Runs the gate on `fixture` with the faults named, and checks it left no process behind. */
export async function runMisbehaving(fixture: string, faults: string[], raw: RawInputs = {}): Promise<Report> {
  const tag = uniqueTag(faults.join('+') || 'no-faults');
  const { report } = await runGate({ command: fixtureWith(fixture, tag, faults.length ? { MISBEHAVE: faults.join(',') } : {}), ...raw });
  expect(processesMatching(tag)).toEqual([]);
  return report;
}

/** How long one check took, to show that a check waiting out a time-out waits no longer. */
export function durationOf(report: Report, id: string): number {
  return report.checks.find((c) => c.id === id)?.durationMs ?? Number.NaN;
}
