// Builds the SvelteKit app (web/build) when it is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './tools';

const webDir = path.join(projectRoot, 'web');
export const webServerEntry = path.join(webDir, 'build', 'index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!fs.existsSync(webServerEntry)) return true;
  const built = fs.statSync(webServerEntry).mtimeMs;
  const sources = Math.max(newestMtime(path.join(webDir, 'src')), ...['svelte.config.js', 'vite.config.ts'].map((f) => fs.statSync(path.join(webDir, f)).mtimeMs));
  return sources > built;
}

export function buildWeb(opts: { force?: boolean } = {}) {
  if (!opts.force && !webBuildIsStale()) return false;
  execFileSync(process.execPath, [path.join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit' });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(projectRoot, 'scripts', 'web-build.ts')) {
  buildWeb({ force: process.argv.includes('--force') });
}
