import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSettings, type Settings } from '../../src/settings.js';
import type { RawInputs } from '../../src/inputs.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, '__tests__/fixtures/servers');
const LOOPBACK_PRELOAD = path.join(ROOT, '__tests__/helpers/loopback-only.mjs');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/** A free TCP port on 127.0.0.1, asked of the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `node …` with the loopback preload, quoted for the shell the gate runs commands in. */
export function nodeCommand(script: string, ...args: string[]): string {
  return ['node', '--import', LOOPBACK_PRELOAD, script, ...args].map((w) => JSON.stringify(w)).join(' ');
}

export function everythingCommand(transport: 'stdio' | 'streamableHttp' | 'sse', port?: number): string {
  const command = nodeCommand(EVERYTHING, transport);
  return port ? `PORT=${port} ${command}` : command;
}

export function fixtureCommand(name: string, port?: number): string {
  const command = nodeCommand(path.join(FIXTURES, name));
  return port ? `PORT=${port} ${command}` : command;
}

export function settingsFor(raw: RawInputs): Settings {
  return parseSettings({ 'request-timeout': '10', 'startup-timeout': '30', ...raw }, ROOT);
}

/**
 * Processes whose command line mentions `marker` (a fixture path or a port), other than this test
 * process: after a run, there must be none.
 */
export function processesMatching(marker: string): string[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo') && !line.includes('jest'))
    .map((line) => line.trim());
}
