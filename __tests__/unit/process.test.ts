import { existsSync, readFileSync } from 'node:fs';
import { groupAlive, ManagedProcess } from '../../src/target/process.js';
import { Masker } from '../../src/util/masker.js';
import { mapConcurrently } from '../../src/util/pool.js';
import { sleep } from '../../src/util/time.js';

const onLinux = process.platform === 'linux' ? it : it.skip;

/** The nice value, field 19 of /proc/<pid>/stat (counted after the command name, which may hold spaces). */
function niceOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
}

describe('ManagedProcess', () => {
  onLinux('runs a background process at a lower priority, its session too, and ends it as soon as it exits', async () => {
    const child = new ManagedProcess({ role: 'version probe', commandLine: 'sleep 30', cwd: process.cwd(), masker: new Masker(), background: true });
    const pid = child.pid as number;
    try {
      expect(niceOf(pid)).toBe(10);
      // Linux shares the CPU between sessions ("autogroups") before nice values count inside them; kernels
      // built without autogroups have no such file.
      const autogroup = `/proc/${pid}/autogroup`;
      if (existsSync(autogroup)) expect(readFileSync(autogroup, 'utf8')).toMatch(/ nice 10$/m);
    } finally {
      const started = performance.now();
      await child.stop();
      // The exit is awaited as an event, not found by a slow poll.
      expect(performance.now() - started).toBeLessThan(500);
    }
    expect(child.exit?.signal).toBe('SIGTERM');
    expect(groupAlive(pid)).toBe(false);
  });

  it('runs other processes at the normal priority', async () => {
    const child = new ManagedProcess({ role: 'server', commandLine: 'sleep 30', cwd: process.cwd(), masker: new Masker() });
    try {
      if (process.platform === 'linux') expect(niceOf(child.pid as number)).toBe(0);
    } finally {
      await child.stop();
    }
  });
});

describe('mapConcurrently', () => {
  it('keeps the order of the items and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapConcurrently([30, 5, 20, 1, 10, 2], 3, async (ms) => {
      most = Math.max(most, ++inFlight);
      await sleep(ms);
      inFlight -= 1;
      return ms * 2;
    });
    expect(results).toEqual([60, 10, 40, 2, 20, 4]);
    expect(most).toBe(3);
  });

  it('answers an empty list without calling anything', async () => {
    await expect(mapConcurrently([], 4, () => Promise.reject(new Error('called')))).resolves.toEqual([]);
  });
});
