import { describeCompatibility } from '../../src/report/compatibility.js';
import type { VersionProbe } from '../../src/session/version-probe.js';

const row = (era: VersionProbe['era'], requested: string, answered?: string): VersionProbe => ({
  era,
  requested,
  answered,
  ...(!answered && { error: 'error -32602: unsupported' }),
  durationMs: 1,
});

describe('which clients can use the server, read from the matrix', () => {
  it('says yes with the range of legacy revisions that got their own version back', () => {
    const matrix = [
      row('legacy', '2024-11-05', '2024-11-05'),
      row('legacy', '2025-11-25', '2025-11-25'),
      row('legacy', '1999-01-01', '2025-11-25'),
      row('modern', '2026-07-28', '2026-07-28'),
    ];
    expect(describeCompatibility(matrix).summary).toBe('legacy clients: yes (2024-11-05…2025-11-25); 2026-07-28 clients: yes');
  });

  it('says partly, naming the revisions whose clients disconnect, when an older one is answered with another version', () => {
    const matrix = [row('legacy', '2024-11-05', '2025-11-25'), row('legacy', '2025-11-25', '2025-11-25')];
    expect(describeCompatibility(matrix).summary).toBe('legacy clients: partly (2025-11-25; not 2024-11-05); 2026-07-28 clients: no');
  });

  it('says no for legacy clients of a modern-only server, whatever it answers an unknown version', () => {
    const compatibility = describeCompatibility([row('legacy', '2025-11-25'), row('modern', '2026-07-28', '2026-07-28'), row('modern', '2099-01-01')]);
    expect(compatibility.summary).toBe('legacy clients: no; 2026-07-28 clients: yes');
    expect(compatibility.legacy).toMatchObject({ usable: false, refused: ['2025-11-25'] });
  });
});
