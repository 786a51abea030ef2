// Helpers for the patients API tests: two signed-in clinics, JSON/multipart requests, CPFs, bulk rows.
import { sql } from 'drizzle-orm';
import { generateCpf } from '../../domain/cpf';
import { createRandom } from '../../domain/random';
import type { Db } from '../../db/client';
import { appointments, procedures, professionals } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from './db';
import { bearer, createClinicWithMembers, createTestApp, login } from './app';

// Response bodies are checked by assertions, not by types.
export const anyJson = (v: unknown): any => v;

export type TestApp = Awaited<ReturnType<typeof createTestApp>>['app'];

/** A client for one signed-in member. */
export function client(app: TestApp, token: string) {
  const json = (method: string) => async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(path, {
      method,
      headers: bearer(token, body === undefined ? headers : { 'content-type': 'application/json', ...headers }),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: json('GET'),
    post: json('POST'),
    patch: json('PATCH'),
    del: json('DELETE'),
    /** multipart/form-data with the file in field "file". */
    async upload(path: string, file: { name: string; bytes: Uint8Array | string; type?: string }, headers: Record<string, string> = {}) {
      const form = new FormData();
      const bytes = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes;
      form.append('file', new File([bytes as BlobPart], file.name, { type: file.type ?? 'text/csv' }));
      return app.request(path, { method: 'POST', headers: bearer(token, headers), body: form });
    },
  };
}
export type Client = ReturnType<typeof client>;

/** A fresh database, the app, and clinics A and B with a signed-in client per role. */
export async function patientsTestContext() {
  const tdb: TestDatabase = await createTestDatabase();
  const t = await createTestApp(tdb.db);
  const a = await createClinicWithMembers(tdb.db, 'Clínica A');
  const b = await createClinicWithMembers(tdb.db, 'Clínica B');
  const as = {
    admin: client(t.app, await login(t.app, a.members.admin.email)),
    staff: client(t.app, await login(t.app, a.members.staff.email)),
    view: client(t.app, await login(t.app, a.members.view.email)),
  };
  const bs = { staff: client(t.app, await login(t.app, b.members.staff.email)) };
  return {
    tdb, t, a, b, as, bs,
    async close() {
      await t.close();
      await tdb.drop();
    },
  };
}

/** n distinct valid CPFs (digits), deterministic per seed. */
export function validCpfs(n: number, seed = 'cpfs'): string[] {
  const random = createRandom(seed);
  const out = new Set<string>();
  while (out.size < n) out.add(generateCpf(random));
  return [...out];
}

/** A professional and a procedure, to hang appointments on. */
export async function catalogFixture(db: Db, clinicId: string) {
  const [professional] = await db.insert(professionals).values({ clinicId, name: 'Dra. Helena Prado' }).returning();
  const [procedure] = await db.insert(procedures).values({ clinicId, name: 'Limpeza de pele', category: 'facial', durationMinutes: 60, defaultPriceCents: 25000 }).returning();
  return {
    professional, procedure,
    /** A completed (by default) one-hour appointment; callers pick non-overlapping times. */
    async appointment(patientId: string, startsAt: Date, status: (typeof appointments.$inferInsert)['status'] = 'realizado') {
      const [a] = await db.insert(appointments).values({
        clinicId, patientId, procedureId: procedure.id, professionalId: professional.id, startsAt, durationMinutes: 60, status, priceCents: 25000,
      }).returning();
      return a;
    },
  };
}

const FIRST = ['João', 'Maria', 'José', 'Ana', 'Lúcia', 'Pedro', 'Carla', 'Antônio', 'Fernanda', 'Luís', 'Beatriz', 'Gabriel', 'Júlia', 'Rafael', 'Letícia', 'Marcos'];
const LAST = ['Silva', 'Souza', 'Oliveira', 'Conceição', 'Araújo', 'Lima', 'Pereira', 'Gonçalves', 'Ribeiro', 'Carvalho', 'Almeida', 'Nascimento', 'Magalhães', 'Brandão'];

/**
 * n patients for clinic (SQL generate_series: seconds for 100k), each with a primary mobile in
 * patient_phones (+55 11 9 then 8 digits from the row number offset by `phoneBase`), an e-mail, and
 * for one in three a CPF hash (lookups only: the encrypted value is a placeholder). Also, when a
 * catalog is given, up to three completed appointments for two patients in three.
 */
export async function seedManyPatients(
  db: Db, clinicId: string, n: number,
  opts: { phoneBase?: number; catalog?: { procedureId: string; professionalId: string }; rebuildIndexes?: boolean } = {},
) {
  const base = opts.phoneBase ?? 0;
  // Building the trigram index once is much faster than updating it row by row (test databases only).
  const trgm = opts.rebuildIndexes
    ? (await db.execute<{ indexdef: string }>(sql`select indexdef from pg_indexes where indexname = 'patients_search_name_trgm_idx'`))[0]?.indexdef
    : undefined;
  if (trgm) await db.execute(sql`drop index patients_search_name_trgm_idx`);
  const first = sql.raw(`array[${FIRST.map((f) => `'${f}'`).join(',')}]`);
  const last = sql.raw(`array[${LAST.map((f) => `'${f}'`).join(',')}]`);
  await db.execute(sql`
    insert into patients (clinic_id, name, email, phone, whatsapp, cpf_encrypted, cpf_hash, tags, status, classification, created_at)
    select ${clinicId}::uuid,
      (${first})[1 + g % ${FIRST.length}] || ' ' || (${last})[1 + (g / ${FIRST.length}) % ${LAST.length}] || ' ' || (${last})[1 + (g / 7) % ${LAST.length}],
      'paciente' || (g + ${base}) || '@exemplo.com.br',
      '+55119' || lpad((g + ${base})::text, 8, '0'),
      '+55119' || lpad((g + ${base})::text, 8, '0'),
      case when g % 3 = 0 then 'v1.placeholder' end,
      case when g % 3 = 0 then md5(${clinicId} || g::text) end,
      case when g % 10 = 0 then array['vip'] when g % 10 = 1 then array['botox', 'indicação'] else '{}'::text[] end,
      (array['ativo', 'ativo', 'ativo', 'inativo', 'bloqueado'])[1 + g % 5]::patient_status,
      (array['novo', 'bronze', 'prata', 'ouro'])[1 + g % 4]::patient_classification,
      timestamptz '2026-01-01 12:00:00+00' - make_interval(mins => g)
    from generate_series(1, ${n}) g`);
  await db.execute(sql`
    insert into patient_phones (clinic_id, patient_id, number, kind, is_primary)
    select clinic_id, id, phone, 'celular', true from patients where clinic_id = ${clinicId}::uuid and phone is not null
      and not exists (select 1 from patient_phones x where x.patient_id = patients.id)`);
  if (opts.catalog) {
    // Completed visits, one hour apart going back from 2026-01-01 (no double booking for the one professional).
    await db.execute(sql`
      insert into appointments (clinic_id, patient_id, procedure_id, professional_id, starts_at, duration_minutes, status, price_cents)
      select ${clinicId}::uuid, p.id, ${opts.catalog.procedureId}::uuid, ${opts.catalog.professionalId}::uuid,
        timestamptz '2026-01-01 12:00:00+00' - make_interval(hours => (row_number() over (order by p.id, k))::int), 60, 'realizado', 25000
      from patients p cross join generate_series(1, 3) k
      where p.clinic_id = ${clinicId}::uuid and (('x' || substr(p.id::text, 1, 2))::bit(8)::int % 3) <> 0 and k <= 1 + (('x' || substr(p.id::text, 3, 2))::bit(8)::int % 3)`);
  }
  if (trgm) await db.execute(sql.raw(trgm));
  await db.execute(sql`analyze patients`);
  await db.execute(sql`analyze patient_phones`);
  await db.execute(sql`analyze appointments`);
}
