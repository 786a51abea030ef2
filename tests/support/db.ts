// A fresh, migrated database per test file, copied from the run's template; dropped afterwards.
import crypto from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connect, type Database } from '../../db/client';
import { dropDatabase } from '../../db/embedded';
import { withDatabase } from './urls';

export interface TestDatabase extends Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('templateDb');
  const name = `tigre_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const database = connect(url, { max: 5 });
  return {
    ...database,
    url,
    name,
    async drop() {
      await database.close();
      await dropDatabase(adminUrl, name);
    },
  };
}
