import { GRACE_MS, groupAlive, ManagedProcess } from '../../src/target/process.js';
import { Masker } from '../../src/util/masker.js';
import { mapConcurrently } from '../../src/util/pool.js';
import { sleep } from '../../src/util/time.js';

const onLinux = process.platform === 'linux' ? it : it.skip;

describe('ManagedProcess', () => {
  onLinux('ends a process as soon as it exits', async () => {
    const child = new ManagedProcess({ role: 'server', commandLine: 'sleep 30', cwd: process.cwd(), masker: new Masker() });
    const pid = child.pid as number;
    const started = performance.now();
    await child.stop();
    // Ended by SIGTERM before the grace period ran out: stop() returned on the exit event instead of
    // waiting out GRACE_MS for a SIGKILL.
    expect(performance.now() - started).toBeLessThan(GRACE_MS);
    expect(child.exit?.signal).toBe('SIGTERM');
    expect(groupAlive(pid)).toBe(false);
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
