import { slowStartup } from '../../src/checks/startup/slow.js';
import type { CheckContext } from '../../src/checks/types.js';
import { THRESHOLD_DEFAULTS } from '../../src/config-defaults.js';
import type { Session } from '../../src/session/session.js';
import { writeConfig } from '../helpers/checklist.js';
import { settingsFor } from '../helpers/servers.js';

const SLOW_STARTUP_MS = THRESHOLD_DEFAULTS.slowStartupMs;

function contextWith(startupMs: number, config?: string): CheckContext {
  return { settings: settingsFor({ command: 'node server.js', ...(config ? { config } : {}) }), session: {} as Session, startupMs, observations: {} };
}

describe('startup.slow', () => {
  it('warns when the handshake completed after the threshold, quoting both durations', async () => {
    const findings = await slowStartup.run(contextWith(SLOW_STARTUP_MS + 2500));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'startup.slow', severity: 'warning' });
    expect(findings[0].message).toBe('The server took 12.5 s to be ready, more than 10.0 s (thresholds.slowStartupMs).');
  });

  it('takes its threshold from thresholds.slowStartupMs in the configuration file', async () => {
    const { file, remove } = writeConfig({ thresholds: { slowStartupMs: 2000 } });
    try {
      const [slow] = await slowStartup.run(contextWith(2500, file));
      expect(slow.message).toBe('The server took 2.5 s to be ready, more than 2.0 s (thresholds.slowStartupMs).');
      expect(await slowStartup.run(contextWith(1900, file))).toEqual([]);
    } finally {
      remove();
    }
    const lenient = writeConfig({ thresholds: { slowStartupMs: 60_000 } });
    try {
      expect(await slowStartup.run(contextWith(SLOW_STARTUP_MS + 2500, lenient.file))).toEqual([]);
    } finally {
      lenient.remove();
    }
  });

  it('is quiet at or under the threshold', async () => {
    expect(await slowStartup.run(contextWith(SLOW_STARTUP_MS))).toEqual([]);
    expect(await slowStartup.run(contextWith(800))).toEqual([]);
  });

  it('applies only when a session was established', () => {
    expect(slowStartup.appliesTo?.(contextWith(SLOW_STARTUP_MS + 1))).toBe(true);
    expect(slowStartup.appliesTo?.({ ...contextWith(SLOW_STARTUP_MS + 1), session: undefined })).toBe(false);
  });
});
