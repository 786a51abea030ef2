// Name search order and paging across its steps (api/patients/search.ts nameSearch): names starting
// with the first word come first, then the names containing it, each in name order. Several words
// with few matches: all sorted at once (step 0); else the prefix range, then the "contains" step,
// which walks the name index (common word) or falls back to the trigram index (rare word, past
// NAME_WALK_ROWS patients in name order). Expected pages are computed here from the names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patients } from '../../db/schema';
import { FEW_ROWS, NAME_WALK_ROWS } from '../../services/patients/search';
import { patientsTestContext, type Client } from '../support/patients';

let ctx: Awaited<ReturnType<typeof patientsTestContext>>;
let api: Client;
/** Every live patient of clinic A: id and name. */
const everyone: { id: string; name: string }[] = [];

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const byKey = (a: { key: string; id: string }, b: { key: string; id: string }) =>
  (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What the API should list for q (name words), in order. */
function expected(q: string, order: 'asc' | 'desc') {
  const words = fold(q).split(/\s+/).filter(Boolean);
  const rows = everyone.map((p) => ({ ...p, key: fold(p.name) })).filter((p) => words.every((w) => p.key.includes(w)));
  const part = (starts: boolean) => {
    const list = rows.filter((p) => p.key.startsWith(words[0]) === starts).sort(byKey);
    return order === 'desc' ? list.reverse() : list;
  };
  return [...part(true), ...part(false)].map((p) => p.id);
}

async function allPages(query: string, limit: number) {
  const out: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: any = await api.get(`/api/patients?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    out.push(...res.body.items.map((p: any) => p.id));
    cursor = res.body.nextCursor;
    if (++pages > 200) throw new Error('too many pages');
  } while (cursor);
  return out;
}

beforeAll(async () => {
  ctx = await patientsTestContext();
  api = ctx.as.staff;
  const db = ctx.tdb.db;
  const clinicId = ctx.a.clinic.id;
  const pad = (i: number) => String(i).padStart(5, '0');
  const names: string[] = [];
  // More than NAME_WALK_ROWS names sorting before the rare ones; "silva" in 1 of 5 of them.
  for (let i = 0; i < NAME_WALK_ROWS + 300; i++) names.push(i % 5 === 0 ? `Bruna Silva ${pad(i)}` : `Bruna Souza ${pad(i)}`);
  names.push(
    'Silvana Prado', 'Silva Júnior', 'SILVA Antunes', 'Sílvia Mendes', 'Ana Silveira', 'Silva Júnior',
    'Raríssima Souza', 'Zélia Raríssima 1', 'Zélia Raríssima 2', 'Zélia Raríssima 2', 'Zuleide da RARISSIMA',
    'Ana Paula Silva', 'Paula Silva Ana',
  );
  for (let i = 0; i < names.length; i += 1000) {
    const rows = await db.insert(patients).values(names.slice(i, i + 1000).map((name) => ({ clinicId, name })))
      .returning({ id: patients.id, name: patients.name });
    everyone.push(...rows);
  }
  // Neither a deleted patient nor another clinic's shows up.
  await db.insert(patients).values([
    { clinicId, name: 'Raríssima Apagada', deletedAt: new Date() },
    { clinicId: ctx.b.clinic.id, name: 'Raríssima Outra Clínica' },
    { clinicId: ctx.b.clinic.id, name: 'Zélia Raríssima Outra' },
  ]);
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

describe('name search order', () => {
  it('lists names starting with the first word first, then the names containing it, each in name order', async () => {
    const res = await api.get('/api/patients?q=silva&limit=8');
    expect(res.body.items.map((p: any) => p.name)).toEqual([
      'SILVA Antunes', 'Silva Júnior', 'Silva Júnior', 'Silvana Prado',
      'Ana Paula Silva', 'Bruna Silva 00000', 'Bruna Silva 00005', 'Bruna Silva 00010',
    ]);
    expect(res.body.items.map((p: any) => p.id)).toEqual(expected('silva', 'asc').slice(0, 8));
  });

  it.each([
    ['silva', 'asc'], ['silva', 'desc'], ['rarissima', 'asc'], ['rarissima', 'desc'], ['RARÍSSIMA zelia', 'asc'],
    ['ana silva', 'asc'], ['ana silva', 'desc'], ['silv', 'asc'], ['zzz', 'asc'],
    // Several words with more than FEW_ROWS matches: steps 1–3 after step 0.
    ['bruna silva', 'asc'], ['bruna silva', 'desc'], ['silva bruna', 'asc'],
  ] as const)('q=%s order=%s: every match once, in order, through pages of 1, 7 and 100', async (q, order) => {
    const want = expected(q, order);
    if (q !== 'zzz') expect(want.length).toBeGreaterThan(0);
    if (q.includes('bruna')) expect(want.length).toBeGreaterThan(FEW_ROWS);
    const query = `q=${encodeURIComponent(q)}&order=${order}`;
    for (const limit of want.length > 100 ? [7, 100] : [1, 7, 100]) {
      expect(await allPages(query, limit), `limit ${limit}`).toEqual(want);
    }
  });

  it('finds a rare word in names sorting after more than NAME_WALK_ROWS others (trigram step)', async () => {
    const res = await api.get('/api/patients?q=rarissima&limit=3');
    expect(res.body.items.map((p: any) => p.name)).toEqual(['Raríssima Souza', 'Zélia Raríssima 1', 'Zélia Raríssima 2']);
    expect(res.body.nextCursor).not.toBeNull();
  });
});
