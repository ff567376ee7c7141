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

  it('runs an argv without a shell, as MCP clients run a configuration entry, with its env on top', async () => {
    const script = 'console.error(JSON.stringify([process.argv[1], process.env.FROM_ENTRY, typeof process.env.PATH]))';
    const child = new ManagedProcess({
      role: 'server',
      commandLine: 'node -e …',
      argv: [process.execPath, '-e', script, '$HOME * `id`'],
      env: { FROM_ENTRY: 'entry value' },
      cwd: process.cwd(),
      masker: new Masker(),
    });
    const exit = await child.exited;
    expect(exit.code).toBe(0);
    // No shell: the word reaches the program as written, nothing expanded or run.
    expect(child.stderrTail(5)).toEqual([JSON.stringify(['$HOME * `id`', 'entry value', 'string'])]);
  });

  it('reports a program that does not exist as a spawn error, as a client sees it', async () => {
    const child = new ManagedProcess({
      role: 'server',
      commandLine: 'no-such-program-x',
      argv: ['no-such-program-x'],
      cwd: process.cwd(),
      masker: new Masker(),
    });
    const exit = await child.exited;
    expect(exit.spawnError?.code).toBe('ENOENT');
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
