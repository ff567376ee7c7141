#!/usr/bin/env node
// Installs the corpus of published MCP servers (corpus/package.json, pinned by corpus/package-lock.json)
// into .corpus/, and does nothing when the installed tree already matches the lockfile. No install
// script runs: several of these packages would otherwise try to download a browser or a binary, and
// this machine reaches the npm registry only. Usage: node corpus/install.mjs [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = path.dirname(fileURLToPath(import.meta.url));
const TARGET = path.resolve(SOURCE, '..', '.corpus');
const STAMP = path.join(TARGET, 'node_modules', '.corpus-installed');
const MANIFESTS = ['package.json', 'package-lock.json'];

// The installed tree depends on the manifests and on the Node.js major version (engines, native builds).
function fingerprint() {
  const hash = createHash('sha256').update(process.versions.node.split('.')[0]);
  for (const file of MANIFESTS) hash.update(readFileSync(path.join(SOURCE, file)));
  return hash.digest('hex');
}

const wanted = fingerprint();
if (!process.argv.includes('--force') && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) {
  console.log(`corpus: ${path.relative(process.cwd(), TARGET) || TARGET} is current, nothing to install`);
  process.exit(0);
}

mkdirSync(TARGET, { recursive: true });
for (const file of MANIFESTS) copyFileSync(path.join(SOURCE, file), path.join(TARGET, file));
const started = performance.now();
const result = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd: TARGET,
  stdio: 'inherit',
  env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', PUPPETEER_SKIP_DOWNLOAD: '1' },
});
if (result.status !== 0) {
  console.error(`corpus: npm ci in ${TARGET} exited with ${result.status ?? result.signal}; the corpus is not installed.`);
  process.exit(1);
}
writeFileSync(STAMP, wanted);
console.log(`corpus: installed into ${TARGET} in ${Math.round((performance.now() - started) / 1000)} s`);
