// CLI: migrate, then load the demo clinic into DATABASE_URL (idempotent). Used by docker-compose's `seed`.
import { loadEnv, secrets } from '../config/env';
import { connect } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { seedDemo } from '../db/seed';
import { prepareDemoReactivation } from '../services/reactivation/demo';

const env = loadEnv();
if (!env.DATABASE_URL) {
  console.error('DATABASE_URL is not set');
  process.exit(1);
}
await migrateDatabase(env.DATABASE_URL);
const database = connect(env.DATABASE_URL, { max: 2 });
try {
  const { seeded, clinicId } = await seedDemo(database.db, { now: new Date(), ...secrets(env) });
  console.log(seeded ? `demo clinic created (${clinicId})` : `demo clinic already present (${clinicId})`);
  const demo = await prepareDemoReactivation(database.db, clinicId, new Date());
  console.log(`churn scores: ${demo.scoring.scored} patients (${demo.scoring.method})${demo.campaigns ? `, ${demo.campaigns} past campaigns replayed` : ''}`);
} finally {
  await database.close();
}
