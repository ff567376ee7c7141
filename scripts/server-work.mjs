// Preloaded (node --import) by the benchmark into an HTTP server it compares two clients on: counts the
// requests the server received and the time its event loop was busy from listening to SIGTERM, and
// appends them as a JSON line to $BENCH_SERVER_WORK (with $BENCH_SERVER_SIDE) when it is stopped. A
// server answers on that one thread, so its busy time for a client's requests is a floor under that
// client's run no client-side change can lower.
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

let listening;
let requests = 0;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function countRequests(event, ...rest) {
  if (event === 'listening') listening ??= performance.eventLoopUtilization();
  if (event === 'request') requests += 1;
  return emit.call(this, event, ...rest);
};

process.once('SIGTERM', () => {
  const busy = performance.eventLoopUtilization(listening);
  const line = { side: process.env.BENCH_SERVER_SIDE, requests, busyMs: Math.round(busy.active) };
  appendFileSync(process.env.BENCH_SERVER_WORK, `${JSON.stringify(line)}\n`);
  process.exit(0);
});
