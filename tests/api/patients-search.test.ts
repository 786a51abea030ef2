// Patient search as a receptionist uses it: accents and case, phone formats, CPF, e-mail, filters,
// and keyset pagination that neither repeats nor skips rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { patientPhones, patients } from '../../db/schema';
import { catalogFixture, patientsTestContext, type Client } from '../support/patients';

let ctx: Awaited<ReturnType<typeof patientsTestContext>>;
let api: Client;
const ids: Record<string, string> = {};

const names = async (query: string) => {
  const res = await api.get(`/api/patients?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((p: any) => p.name) as string[];
};

/** Every page of a listing, following nextCursor. */
async function allPages(query: string, limit: number) {
  const out: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: any = await api.get(`/api/patients?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (++pages > 100) throw new Error('too many pages');
  } while (cursor);
  return out;
}

beforeAll(async () => {
  ctx = await patientsTestContext();
  api = ctx.as.staff;
  const people = [
    { name: 'João da Silva', email: 'Joao.Silva@Exemplo.com', cpf: '529.982.247-25', phones: [{ number: '(11) 98765-4321' }, { number: '(11) 3456-7890' }], tags: ['vip'], status: 'ativo' },
    { name: 'JOÃO PEREIRA', phones: [{ number: '21 99876-5432' }], tags: ['botox', 'vip'], status: 'inativo' },
    { name: 'Joana Araújo', email: 'joana@exemplo.com', phones: [{ number: '11 91111-2222' }], tags: ['botox'] },
    { name: 'Maria Joaquina Gonçalves', cpf: '111.444.777-35', status: 'bloqueado' },
    { name: 'Ana Conceição', phones: [{ number: '(19) 3232-4545' }] },
    { name: 'Lúcia 100% Natural_' },
  ];
  for (const p of people) {
    const res = await api.post('/api/patients', p);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[p.name] = res.body.id;
  }
  await ctx.tdb.db.update(patients).set({ classification: 'ouro' }).where(eq(patients.id, ids['Joana Araújo']));
});
afterAll(async () => {
  await ctx?.close();
});

describe('by name', () => {
  it('ignores accents and case, and matches parts of the name', async () => {
    expect(await names('q=joao')).toEqual(['João da Silva', 'JOÃO PEREIRA']);
    expect(await names('q=JOÃO')).toEqual(['João da Silva', 'JOÃO PEREIRA']);
    expect(await names('q=Joao')).toEqual(['João da Silva', 'JOÃO PEREIRA']);
    expect(await names('q=joa')).toEqual(['Joana Araújo', 'João da Silva', 'JOÃO PEREIRA', 'Maria Joaquina Gonçalves']);
    expect(await names('q=conceicao')).toEqual(['Ana Conceição']);
    expect(await names('q=GONCALVES')).toEqual(['Maria Joaquina Gonçalves']);
    expect(await names('name=araujo')).toEqual(['Joana Araújo']);
  });

  it('needs every word, in any order', async () => {
    expect(await names(`q=${encodeURIComponent('silva joão')}`)).toEqual(['João da Silva']);
    expect(await names(`q=${encodeURIComponent('joao  pereira ')}`)).toEqual(['JOÃO PEREIRA']);
    expect(await names(`q=${encodeURIComponent('joão souza')}`)).toEqual([]);
  });

  it('treats % and _ as text, not wildcards', async () => {
    expect(await names(`q=${encodeURIComponent('100%')}`)).toEqual(['Lúcia 100% Natural_']);
    expect(await names(`q=${encodeURIComponent('%')}`)).toEqual(['Lúcia 100% Natural_']);
    expect(await names('q=_')).toEqual(['Lúcia 100% Natural_']);
  });
});

describe('by phone, CPF and e-mail', () => {
  it('finds the same patient whatever the phone format, by any of their phones', async () => {
    for (const q of ['(11) 98765-4321', '11987654321', '+55 11 98765-4321', '5511987654321', '011 98765 4321', '+5511987654321', '(11) 3456-7890', '1134567890']) {
      expect(await names(`q=${encodeURIComponent(q)}`), q).toEqual(['João da Silva']);
    }
    expect(await names(`phone=${encodeURIComponent('(11) 98765-4321')}`)).toEqual(['João da Silva']);
    expect(await names(`q=${encodeURIComponent('(11) 98765-0000')}`)).toEqual([]);
  });

  it('finds by the last digits of a phone', async () => {
    expect(await names('q=4545')).toEqual(['Ana Conceição']);
  });

  it('finds by CPF formatted or not, and never by an invalid one', async () => {
    for (const q of ['529.982.247-25', '52998224725', '529 982 247 25']) expect(await names(`q=${encodeURIComponent(q)}`), q).toEqual(['João da Silva']);
    expect(await names('cpf=111.444.777-35')).toEqual(['Maria Joaquina Gonçalves']);
    const bad = await api.get('/api/patients?cpf=529.982.247-24');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.cpf[0]).toMatch(/CPF inválido/);
  });

  it('finds by e-mail without regard to case', async () => {
    expect(await names(`q=${encodeURIComponent('JOAO.SILVA@exemplo.COM')}`)).toEqual(['João da Silva']);
    expect(await names(`email=${encodeURIComponent('Joana@Exemplo.com')}`)).toEqual(['Joana Araújo']);
  });

  it('shows the list item shape: primary phone in E.164 and formatted, CPF masked', async () => {
    const res = await api.get('/api/patients?q=52998224725');
    expect(res.body.items[0]).toMatchObject({
      id: ids['João da Silva'], phone: '+5511987654321', phoneFormatted: '(11) 98765-4321', cpfMasked: '***.982.247-**',
      email: 'joao.silva@exemplo.com', status: 'ativo', classification: 'novo', tags: ['vip'], lastVisitAt: null, procedureCount: 0,
    });
    expect(res.body.items[0].cpf).toBeUndefined();
    expect(res.body.nextCursor).toBeNull();
  });
});

describe('filters', () => {
  it('by tag (all given tags), classification and status, combined with q', async () => {
    expect(await names('tag=vip&sort=name')).toEqual(['João da Silva', 'JOÃO PEREIRA']);
    expect(await names('tag=vip,botox')).toEqual(['JOÃO PEREIRA']);
    expect(await names('tag=vip&tag=botox')).toEqual(['JOÃO PEREIRA']);
    expect(await names('classification=ouro')).toEqual(['Joana Araújo']);
    expect(await names('status=bloqueado')).toEqual(['Maria Joaquina Gonçalves']);
    expect(await names('status=ativo,inativo&q=joao')).toEqual(['João da Silva', 'JOÃO PEREIRA']);
    expect(await names('status=inativo&q=joao')).toEqual(['JOÃO PEREIRA']);
    expect(await names('q=joao&phone=21998765432')).toEqual(['JOÃO PEREIRA']);
  });

  it.each([
    ['status=sumido', 'status.0'],
    ['classification=platina', 'classification.0'],
    ['sort=idade', 'sort'],
    ['order=up', 'order'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['phone=123', 'phone'],
    ['lastVisitFrom=2026-02-30', 'lastVisitFrom'],
    ['lastVisitFrom=2026-03-01&lastVisitTo=2026-02-01', 'lastVisitTo'],
    ['foo=bar', 'foo'],
    ['cursor=nao-e-cursor', 'cursor'],
  ])('refuses %s with 400 on %s', async (query, field) => {
    const res = await api.get(`/api/patients?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[field], JSON.stringify(res.body)).toBeDefined();
  });
});

describe('keyset pagination', () => {
  beforeAll(async () => {
    // Ties on purpose: 12 patients with the same name, 40 with the same creation instant.
    const at = new Date('2025-06-01T12:00:00.123Z');
    const rows = Array.from({ length: 52 }, (_, i) => ({
      clinicId: ctx.a.clinic.id,
      name: i < 12 ? 'Paula Repetida' : `Paciente Lote ${String(i).padStart(3, '0')}`,
      createdAt: i < 40 ? at : new Date(at.getTime() + i * 1000),
    }));
    await ctx.tdb.db.insert(patients).values(rows);
  });

  it.each([
    ['sort=name&order=asc'], ['sort=name&order=desc'], ['sort=createdAt&order=desc'], ['sort=createdAt&order=asc'], ['q=paciente'], ['sort=lastVisit'],
  ])('%s: pages of 7 join up to the full listing, no repeats, no gaps', async (query) => {
    const full = await api.get(`/api/patients?${query}&limit=100`);
    expect(full.body.nextCursor).toBeNull();
    const paged = await allPages(query, 7);
    expect(paged.map((p) => p.id)).toEqual(full.body.items.map((p: any) => p.id));
    expect(new Set(paged.map((p) => p.id)).size).toBe(paged.length);
  });

  it('orders by name without accents, then by id for equal names', async () => {
    const items = (await api.get('/api/patients?sort=name&limit=100')).body.items;
    const keys = items.map((p: any) => p.name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());
    expect(keys).toEqual([...keys].sort());
    const paulas = items.filter((p: any) => p.name === 'Paula Repetida').map((p: any) => p.id);
    expect(paulas).toEqual([...paulas].sort());
  });

  it('a patient created between two page loads, sorting before the cursor, neither repeats nor shifts the next page', async () => {
    const before = (await api.get('/api/patients?sort=name&limit=100')).body.items.map((p: any) => p.id);
    const first = await api.get('/api/patients?sort=name&limit=10');
    const created = await api.post('/api/patients', { name: 'Aaron Antes' });
    const second = await api.get(`/api/patients?sort=name&limit=10&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((p: any) => p.id)).toEqual(before.slice(10, 20));
    expect((await api.get('/api/patients?sort=name&limit=1')).body.items[0].id).toBe(created.body.id);
    await api.del(`/api/patients/${created.body.id}`);
  });

  it('refuses a cursor from another sort order', async () => {
    const first = await api.get('/api/patients?sort=name&limit=5');
    const res = await api.get(`/api/patients?sort=createdAt&limit=5&cursor=${first.body.nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Cursor inválido/);
  });
});

describe('last visit', () => {
  it('sorts by last completed visit (never visited last) and filters by its range in the clinic time zone', async () => {
    const cat = await catalogFixture(ctx.tdb.db, ctx.a.clinic.id);
    const at = (iso: string) => new Date(iso);
    // Silva: visits on 10/01 and 20/02 (last = 20/02). Pereira: 05/02 and a cancelled one later.
    // Joana: 28/02 at 23:30 São Paulo time = 01/03 02:30 UTC, so her last visit is on 28/02 locally.
    await cat.appointment(ids['João da Silva'], at('2026-01-10T13:00:00Z'));
    await cat.appointment(ids['João da Silva'], at('2026-02-20T13:00:00Z'));
    await cat.appointment(ids['JOÃO PEREIRA'], at('2026-02-05T13:00:00Z'));
    await cat.appointment(ids['JOÃO PEREIRA'], at('2026-02-25T13:00:00Z'), 'cancelado');
    await cat.appointment(ids['Joana Araújo'], at('2026-03-01T02:30:00Z'));

    const visited = (await api.get('/api/patients?sort=lastVisit&limit=3')).body.items;
    expect(visited.map((p: any) => [p.name, p.lastVisitAt])).toEqual([
      ['Joana Araújo', '2026-03-01T02:30:00.000Z'], ['João da Silva', '2026-02-20T13:00:00.000Z'], ['JOÃO PEREIRA', '2026-02-05T13:00:00.000Z'],
    ]);
    const asc = (await api.get('/api/patients?sort=lastVisit&order=asc&limit=4')).body.items;
    expect(asc.map((p: any) => p.name).slice(0, 3)).toEqual(['JOÃO PEREIRA', 'João da Silva', 'Joana Araújo']);
    expect(asc[3].lastVisitAt).toBeNull();

    expect(await names('lastVisitFrom=2026-02-01&lastVisitTo=2026-02-28&sort=name')).toEqual(['Joana Araújo', 'João da Silva', 'JOÃO PEREIRA']);
    expect(await names('lastVisitFrom=2026-02-01&lastVisitTo=2026-02-27&sort=name')).toEqual(['João da Silva', 'JOÃO PEREIRA']);
    // Silva came in January too, but his last visit is in February.
    expect(await names('lastVisitTo=2026-01-31')).toEqual([]);
    expect(await names('lastVisitFrom=2026-02-10&sort=lastVisit')).toEqual(['Joana Araújo', 'João da Silva']);
    expect(await names('lastVisitFrom=2026-02-10&q=silva')).toEqual(['João da Silva']);

    // Paging across the boundary between visited and never-visited patients.
    for (const order of ['desc', 'asc']) {
      const full = (await api.get(`/api/patients?sort=lastVisit&order=${order}&limit=100`)).body.items.map((p: any) => p.id);
      expect((await allPages(`sort=lastVisit&order=${order}`, 2)).map((p) => p.id)).toEqual(full);
    }
  });
});

describe('phones table is the source of truth', () => {
  it('finds a patient by a secondary number added later, and by the WhatsApp number', async () => {
    await ctx.tdb.db.insert(patientPhones).values({ clinicId: ctx.a.clinic.id, patientId: ids['Ana Conceição'], number: '+5519981112222', kind: 'celular' });
    expect(await names('q=19981112222')).toEqual(['Ana Conceição']);
  });
});
