// Starts what the integration tests share: one real PostgreSQL (embedded unless DATABASE_URL is set)
// with a migrated template database, and one Temporal dev server. Both stop when the run ends.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, ensureDatabase, dropDatabase } from '../../db/embedded';
import { migrateDatabase } from '../../db/migrate';
import { freePort, startTemporalDevServer } from '../../scripts/temporal-dev';
import { withDatabase } from './urls';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDb: string;
    temporalAddress: string;
  }
}

export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<unknown>> = [];
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-test-pg-'));
    fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as its own OS user, which must reach the data dir
    const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), persistent: false });
    adminUrl = pg.adminUrl;
    stops.push(async () => { await pg.stop(); fs.rmSync(dir, { recursive: true, force: true }); });
  }
  // Every test database is a copy of this migrated template (CREATE DATABASE … TEMPLATE is fast).
  const templateDb = `tigre_test_template_${process.pid}`;
  await dropDatabase(adminUrl, templateDb);
  await ensureDatabase(adminUrl, templateDb);
  await migrateDatabase(withDatabase(adminUrl, templateDb));
  stops.push(() => dropDatabase(adminUrl!, templateDb));

  const temporal = await startTemporalDevServer({ port: await freePort(), logFile: path.join(os.tmpdir(), `tigre-test-temporal-${process.pid}.log`) });
  stops.push(() => temporal.stop());

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDb', templateDb);
  project.provide('temporalAddress', temporal.address);

  return async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('teardown:', err));
  };
}
