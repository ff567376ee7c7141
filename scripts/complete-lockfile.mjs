// Adds the lockfile entries npm leaves out when the registry it can reach serves only this platform's
// builds of a package's optional native binaries (rollup's and unrs-resolver's): without them `npm ci`
// refuses the lockfile on every machine. Each entry carries the os/cpu/libc that npm reads from the
// package name's platform triple, so npm skips it everywhere but on its own platform, where it
// fetches it from the registry. Run after `npm install` changes dependencies: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const OSES = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32'];
const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));

function platformOf(name) {
  const words = name.split('/').pop().split('-');
  if (words.includes('wasm32')) return { cpu: ['wasm32'] };
  const at = words.findIndex((word) => OSES.includes(word));
  if (at === -1) return undefined;
  const [os, cpu, abi = ''] = words.slice(at);
  const libc = os === 'linux' ? (abi.startsWith('musl') ? ['musl'] : abi.startsWith('gnu') ? ['glibc'] : undefined) : undefined;
  return { cpu: [cpu], os: [os], ...(libc ? { libc } : {}) };
}

let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const platform = platformOf(name);
    if (lock.packages[key] || lock.packages[`${location}/${key}`] || !platform) continue;
    lock.packages[key] = { version, ...platform, ...(entry.dev ? { dev: true } : {}), optional: true };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries added`);
