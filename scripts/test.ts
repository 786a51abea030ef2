// `npm test`: type-check (tsc + svelte-check), the layer lint, build the web app, then every vitest test
// (unit, integration on real PostgreSQL and Temporal, time-skipping workflows, API, browser).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './tools';
import { buildWeb } from './web-build';

const bin = (pkg: string, file: string) => path.join(projectRoot, 'node_modules', pkg, file);
const run = (label: string, args: string[], cwd = projectRoot) => {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  execFileSync(process.execPath, args, { cwd, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
  console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
};

try {
  run('tsc', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  run('eslint (layer boundaries)', [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '.']);
  run('svelte-kit sync', [bin('@sveltejs/kit', 'svelte-kit.js'), 'sync'], path.join(projectRoot, 'web'));
  run('svelte-check', [bin('svelte-check', 'bin/svelte-check'), '--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human'], path.join(projectRoot, 'web'));
  console.log('\n▶ web build');
  buildWeb({ force: true });
  run('vitest', [bin('vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)]);
} catch {
  process.exit(1);
}
