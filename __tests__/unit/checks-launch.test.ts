import { SLOW_STARTUP_MS, slowStartup } from '../../src/checks/launch/slow-startup.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { Session } from '../../src/session/session.js';
import { settingsFor } from '../helpers/servers.js';

function contextWith(startupMs: number): CheckContext {
  return { settings: settingsFor({ command: 'node server.js' }), session: {} as Session, startupMs, observations: {} };
}

describe('startup.slow', () => {
  it('warns when the handshake completed after the threshold, quoting both durations', async () => {
    const findings = await slowStartup.run(contextWith(SLOW_STARTUP_MS + 2500));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'startup.slow', severity: 'warning' });
    expect(findings[0].message).toBe('The server took 12.5 s to be ready, more than 10.0 s.');
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
