import { stderrBlock } from '../support/evidence.js';
import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'shutdown.graceful',
  title: 'The server stops when asked',
  severity: 'warning',
  since: '2024-11-05',
  description:
    'Ends the server the gate started (closing stdin first for stdio, then SIGTERM) and expects it to exit within the grace period (3 s) without SIGKILL.',
  why: 'Clients and orchestrators stop servers with these signals; one that ignores them is killed mid-write, and leaks child processes and locks.',
  cause:
    'No SIGTERM handler that exits (or a library that swallows the signal), a stdio server that keeps running when stdin closes, open handles (timers, connections, child processes) that keep the process alive, or a shell wrapper that does not pass the signal on.',
  fix: 'Exit on SIGTERM (and, for stdio, when stdin closes): close the transport, finish in-flight work briefly, then exit.',
  specUrl: specUrl('2025-11-25', 'basic/lifecycle#shutdown'),
};

export const gracefulShutdown: Check = {
  meta,
  stage: 'cleanup',
  appliesTo: (context) => context.server !== undefined && context.serverExit === undefined,
  run(context) {
    if (!context.server?.neededKill) return [];
    const ignored = context.settings.command ? 'when its stdin closed, nor on SIGTERM' : 'on SIGTERM';
    const message = `The server did not exit ${ignored}: it was still running when the grace period ran out, so the gate killed its process group with SIGKILL.`;
    return [finding(meta, `${message}${stderrBlock(context)}`)];
  },
};
