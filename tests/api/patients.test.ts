// Patients CRUD through the real app: validation (nothing written on bad input), duplicates, CPF
// masking/reveal, soft delete, tenancy, roles, audit, timeline and classification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, conversations, npsSurveys, patients, payments, procedures } from '../../db/schema';
import { withClinic } from '../../db/tenancy';
import { refreshClassifications } from '../../services/patients/records';
import { catalogFixture, patientsTestContext } from '../support/patients';

let ctx: Awaited<ReturnType<typeof patientsTestContext>>;
const CPF = '529.982.247-25';
const CPF2 = '111.444.777-35';

const count = async (clinicId: string) =>
  (await ctx.tdb.db.select({ n: sql<number>`count(*)::int` }).from(patients).where(eq(patients.clinicId, clinicId)))[0].n;

const maria = {
  name: 'Maria da Conceição',
  email: 'Maria.Conceicao@Exemplo.com.br',
  cpf: CPF,
  birthDate: '1988-04-12',
  gender: 'F',
  tags: ['VIP', 'botox', 'vip '],
  phones: [{ number: '(11) 3456-7890', kind: 'residencial' }, { number: '11 98765-4321', isPrimary: true }],
  addresses: [{ street: 'Av. Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'sp', postalCode: '01310-100' }],
  notes: 'Prefere horários pela manhã.',
};

beforeAll(async () => {
  ctx = await patientsTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe('create', () => {
  it('creates a patient with phones, address, tags; CPF masked; whatsapp from the primary mobile; audited without the CPF', async () => {
    const res = await ctx.as.staff.post('/api/patients', maria);
    expect(res.status).toBe(201);
    const p = res.body;
    expect(p).toMatchObject({
      name: 'Maria da Conceição', email: 'maria.conceicao@exemplo.com.br', cpfMasked: '***.982.247-**', birthDate: '1988-04-12', gender: 'F',
      status: 'ativo', classification: 'novo', tags: ['VIP', 'botox'], phone: '+5511987654321', phoneFormatted: '(11) 98765-4321',
      whatsapp: '+5511987654321', procedureCount: 0, lastVisitAt: null,
    });
    expect(p.cpf).toBeUndefined();
    expect(p.phones).toEqual([
      expect.objectContaining({ number: '+5511987654321', kind: 'celular', isPrimary: true, formatted: '(11) 98765-4321' }),
      expect.objectContaining({ number: '+551134567890', kind: 'residencial', isPrimary: false }),
    ]);
    expect(p.addresses).toEqual([expect.objectContaining({ state: 'SP', postalCode: '01310100', postalCodeFormatted: '01310-100', isPrimary: true, kind: 'residencial' })]);
    const [row] = await ctx.tdb.db.select().from(patients).where(eq(patients.id, p.id));
    expect(row.cpfEncrypted).toMatch(/^v1\./);
    expect(row.cpfEncrypted).not.toContain('52998224725');
    const [audit] = await ctx.tdb.db.select().from(auditLog).where(and(eq(auditLog.entity, 'patient'), eq(auditLog.entityId, p.id)));
    expect(audit.action).toBe('create');
    expect(JSON.stringify(audit.after)).not.toContain('52998224725');
  });

  it('makes the first phone primary when none is marked, and leaves whatsapp empty without a mobile', async () => {
    const res = await ctx.as.staff.post('/api/patients', { name: 'Pedro Álvares', phones: [{ number: '+55 21 3333-4444' }, { number: '(21) 2222-3333' }] });
    expect(res.status).toBe(201);
    expect(res.body.phones.map((ph: any) => [ph.number, ph.isPrimary, ph.kind])).toEqual([['+552133334444', true, 'residencial'], ['+552122223333', false, 'residencial']]);
    expect(res.body.whatsapp).toBeNull();
    expect(res.body.phone).toBe('+552133334444');
  });

  it.each([
    ['CPF check digits', { cpf: '529.982.247-24' }, 'cpf', /CPF inválido/],
    ['CPF repeated digits', { cpf: '111.111.111-11' }, 'cpf', /CPF inválido/],
    ['phone', { phones: [{ number: '12345' }] }, 'phones.0.number', /Telefone inválido/],
    ['phone area code', { phones: [{ number: '(20) 98765-4321' }] }, 'phones.0.number', /Telefone inválido/],
    ['e-mail', { email: 'maria@' }, 'email', /e-mail válido/],
    ['CEP', { addresses: [{ street: 'Rua A', city: 'Campinas', state: 'SP', postalCode: '1310-100' }] }, 'addresses.0.postalCode', /CEP inválido/],
    ['UF', { addresses: [{ street: 'Rua A', city: 'Campinas', state: 'XX' }] }, 'addresses.0.state', /UF inválida/],
    ['missing city', { addresses: [{ street: 'Rua A', state: 'SP' }] }, 'addresses.0.city', /./],
    ['birth date', { birthDate: '1990-02-30' }, 'birthDate', /Data inválida/],
    ['birth date in the future', { birthDate: '2999-01-01' }, 'birthDate', /futuro/],
    ['status', { status: 'sumido' }, 'status', /Status/],
    ['unknown field', { apelido: 'Mari' }, 'apelido', /não permitido/],
    ['two primary phones', { phones: [{ number: '11987650001', isPrimary: true }, { number: '11987650002', isPrimary: true }] }, 'phones', /principal/],
    ['same phone twice', { phones: [{ number: '11987650001' }, { number: '(11) 98765-0001' }] }, 'phones.1.number', /repetido/],
    ['name', { name: 'A' }, 'name', /ao menos 2/],
  ])('refuses an invalid %s with 400, the field and a pt-BR message, and writes nothing', async (_label, patch, field, message) => {
    const before = await count(ctx.a.clinic.id);
    const res = await ctx.as.staff.post('/api/patients', { name: 'Paciente Teste', ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields[field]?.join(' ')).toMatch(message);
    expect(await count(ctx.a.clinic.id)).toBe(before);
  });

  it('refuses a favourite procedure of another clinic (or unknown) with 400', async () => {
    const [other] = await ctx.tdb.db.insert(procedures).values({ clinicId: ctx.b.clinic.id, name: 'Peeling', category: 'facial', durationMinutes: 30, defaultPriceCents: 1000 }).returning();
    const before = await count(ctx.a.clinic.id);
    const res = await ctx.as.staff.post('/api/patients', { name: 'Paciente Teste', favoriteProcedureId: other.id });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.favoriteProcedureId).toEqual(['Procedimento não encontrado nesta clínica.']);
    expect(await count(ctx.a.clinic.id)).toBe(before);
  });

  it('answers 409 naming the field for a duplicate CPF or phone in the same clinic, but not across clinics', async () => {
    const cpfDup = await ctx.as.staff.post('/api/patients', { name: 'Outra Maria', cpf: '52998224725' });
    expect(cpfDup.status).toBe(409);
    expect(cpfDup.body.error.fields.cpf[0]).toMatch(/CPF já cadastrado.*Maria da Conceição/);
    const phoneDup = await ctx.as.staff.post('/api/patients', { name: 'Outra Maria', phones: [{ number: '+55 11 98765-4321' }] });
    expect(phoneDup.status).toBe(409);
    expect(phoneDup.body.error.fields['phones.0.number'][0]).toMatch(/já cadastrado/);
    const inB = await ctx.bs.staff.post('/api/patients', { name: 'Maria em B', cpf: CPF, phones: [{ number: '11987654321' }] });
    expect(inB.status).toBe(201);
  });

  it('counts a WhatsApp-only patient (created from a conversation) as a duplicate phone', async () => {
    await ctx.tdb.db.insert(patients).values({ clinicId: ctx.a.clinic.id, name: 'Lead do WhatsApp', whatsapp: '+5511966665555' });
    const res = await ctx.as.staff.post('/api/patients', { name: 'Mesma Pessoa', phones: [{ number: '(11) 96666-5555' }] });
    expect(res.status).toBe(409);
    expect(res.body.error.fields['phones.0.number'][0]).toMatch(/Lead do WhatsApp/);
  });

  it('is refused to the view role (403)', async () => {
    const res = await ctx.as.view.post('/api/patients', { name: 'Sem Permissão' });
    expect(res.status).toBe(403);
  });
});

describe('read, reveal, edit, delete', () => {
  let id: string;
  beforeAll(async () => {
    const res = await ctx.as.staff.post('/api/patients', { name: 'Joana Prado', cpf: CPF2, phones: [{ number: '11 91234-5678' }], tags: ['retorno'] });
    id = res.body.id;
  });

  it('gets the patient with the CPF masked; any member can read', async () => {
    const res = await ctx.as.view.get(`/api/patients/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.cpfMasked).toBe('***.444.777-**');
    expect(res.body.cpf).toBeUndefined();
    expect(res.body.classificationBasis).toEqual({ totalSpentCents: 0, visitsLast12Months: 0, computed: 'novo' });
  });

  it('reveals the CPF to staff with ?revealCpf=1 and audits it; refuses view', async () => {
    const res = await ctx.as.staff.get(`/api/patients/${id}?revealCpf=1`);
    expect(res.status).toBe(200);
    expect(res.body.cpf).toBe('11144477735');
    const reveals = await ctx.tdb.db.select().from(auditLog).where(and(eq(auditLog.action, 'reveal'), eq(auditLog.entityId, id)));
    expect(reveals).toHaveLength(1);
    const denied = await ctx.as.view.get(`/api/patients/${id}?revealCpf=1`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/CPF/);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await ctx.as.staff.get('/api/patients/nao-e-uuid')).status).toBe(400);
    const res = await ctx.as.staff.get('/api/patients/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Paciente não encontrado.');
  });

  it('edits fields and replaces phones and addresses when given; audited with before/after', async () => {
    const res = await ctx.as.staff.patch(`/api/patients/${id}`, {
      name: 'Joana Prado Lima', status: 'inativo',
      phones: [{ number: '(11) 3111-2222', kind: 'comercial' }, { number: '(11) 97777-8888', isPrimary: true }],
      addresses: [{ street: 'Rua Augusta', city: 'São Paulo', state: 'SP', postalCode: '01305000' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Joana Prado Lima', status: 'inativo', phone: '+5511977778888', tags: ['retorno'], cpfMasked: '***.444.777-**' });
    expect(res.body.phones).toHaveLength(2);
    expect(res.body.addresses).toEqual([expect.objectContaining({ street: 'Rua Augusta', postalCode: '01305000' })]);
    const [audit] = await ctx.tdb.db.select().from(auditLog).where(and(eq(auditLog.action, 'update'), eq(auditLog.entityId, id)));
    expect((audit.before as any).name).toBe('Joana Prado');
    expect((audit.after as any).name).toBe('Joana Prado Lima');
  });

  it('keeps phones when the body does not mention them, and clears the CPF with null', async () => {
    const res = await ctx.as.staff.patch(`/api/patients/${id}`, { cpf: null, notes: 'Sem CPF' });
    expect(res.status).toBe(200);
    expect(res.body.cpfMasked).toBeNull();
    expect(res.body.phones).toHaveLength(2);
    const [row] = await ctx.tdb.db.select().from(patients).where(eq(patients.id, id));
    expect(row.cpfHash).toBeNull();
    expect(row.cpfEncrypted).toBeNull();
  });

  it('refuses an invalid edit with 400 and changes nothing (phones included)', async () => {
    const before = await ctx.as.staff.get(`/api/patients/${id}`);
    for (const bad of [
      { name: 'Nome Novo', phones: [{ number: '999' }] },
      { name: 'Nome Novo', email: 'sem-arroba' },
      { name: 'Nome Novo', addresses: [{ street: 'Rua B', city: 'Rio', state: 'RJ', postalCode: 'abc' }] },
      { name: 'Nome Novo', cpf: '123.456.789-00' },
      {},
    ]) {
      const res = await ctx.as.staff.patch(`/api/patients/${id}`, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const after = await ctx.as.staff.get(`/api/patients/${id}`);
    expect(after.body).toEqual(before.body);
  });

  it('refuses an edit to a CPF or phone of another patient with 409', async () => {
    const cpf = await ctx.as.staff.patch(`/api/patients/${id}`, { cpf: CPF });
    expect(cpf.status).toBe(409);
    expect(cpf.body.error.fields.cpf).toBeDefined();
    const phone = await ctx.as.staff.patch(`/api/patients/${id}`, { phones: [{ number: '11987654321' }] });
    expect(phone.status).toBe(409);
    // its own numbers are not duplicates
    const own = await ctx.as.staff.patch(`/api/patients/${id}`, { phones: [{ number: '(11) 97777-8888' }] });
    expect(own.status).toBe(200);
  });

  it('soft deletes: 204, then 404 everywhere, gone from lists; the row stays for the history; the CPF can be reused', async () => {
    const created = await ctx.as.staff.post('/api/patients', { name: 'Apagar Depois', cpf: '390.533.447-05', phones: [{ number: '11 95555-0000' }] });
    expect(created.status).toBe(201);
    const pid = created.body.id;
    const del = await ctx.as.staff.del(`/api/patients/${pid}`);
    expect(del.status).toBe(204);
    expect((await ctx.as.staff.get(`/api/patients/${pid}`)).status).toBe(404);
    expect((await ctx.as.staff.patch(`/api/patients/${pid}`, { name: 'Volta' })).status).toBe(404);
    expect((await ctx.as.staff.del(`/api/patients/${pid}`)).status).toBe(404);
    expect((await ctx.as.staff.get(`/api/patients/${pid}/timeline`)).status).toBe(404);
    const list = await ctx.as.staff.get('/api/patients?q=apagar');
    expect(list.body.items).toEqual([]);
    const byPhone = await ctx.as.staff.get('/api/patients?q=11955550000');
    expect(byPhone.body.items).toEqual([]);
    const [row] = await ctx.tdb.db.select().from(patients).where(eq(patients.id, pid));
    expect(row.deletedAt).toBeInstanceOf(Date);
    const [audit] = await ctx.tdb.db.select().from(auditLog).where(and(eq(auditLog.action, 'delete'), eq(auditLog.entityId, pid)));
    expect((audit.before as any).name).toBe('Apagar Depois');
    const again = await ctx.as.staff.post('/api/patients', { name: 'Apagar Depois (novo cadastro)', cpf: '39053344705', phones: [{ number: '11 95555-0000' }] });
    expect(again.status).toBe(201);
  });
});

describe('tenancy', () => {
  it("answers 404 for clinic B's patient on every route and changes nothing", async () => {
    const inB = await ctx.bs.staff.post('/api/patients', { name: 'Paciente de B', cpf: '714.602.380-01', phones: [{ number: '31 98888-7777' }] });
    expect(inB.status).toBe(201);
    const id = inB.body.id;
    expect((await ctx.as.staff.get(`/api/patients/${id}`)).status).toBe(404);
    expect((await ctx.as.staff.get(`/api/patients/${id}?revealCpf=1`)).status).toBe(404);
    expect((await ctx.as.staff.patch(`/api/patients/${id}`, { name: 'Invadido' })).status).toBe(404);
    expect((await ctx.as.staff.del(`/api/patients/${id}`)).status).toBe(404);
    expect((await ctx.as.staff.get(`/api/patients/${id}/timeline`)).status).toBe(404);
    const still = await ctx.bs.staff.get(`/api/patients/${id}`);
    expect(still.body.name).toBe('Paciente de B');
    // A's search never returns B's rows, whatever the way in.
    for (const q of ['Paciente de B', 'paciente', '31988887777', '714.602.380-01']) {
      const res = await ctx.as.staff.get(`/api/patients?q=${encodeURIComponent(q)}`);
      expect(res.body.items.map((p: any) => p.id), q).not.toContain(id);
    }
    expect((await ctx.as.staff.get('/api/patients?cpf=71460238001')).body.items).toEqual([]);
    // ... while the same CPF and phone are free to register in A.
    const inA = await ctx.as.staff.post('/api/patients', { name: 'Homônimo em A', cpf: '714.602.380-01', phones: [{ number: '31 98888-7777' }] });
    expect(inA.status).toBe(201);
  });
});

describe('timeline and classification', () => {
  it('merges appointments, payments, NPS and conversations newest first, with names and journeys, keyset-paginated', async () => {
    const created = await ctx.as.staff.post('/api/patients', { name: 'Helena Timeline', phones: [{ number: '11 94444-3333' }] });
    const id = created.body.id;
    const clinicId = ctx.a.clinic.id;
    const cat = await catalogFixture(ctx.tdb.db, clinicId);
    const t0 = Date.parse('2026-02-01T13:00:00Z');
    const h = (n: number) => new Date(t0 + n * 3600_000);
    const a1 = await cat.appointment(id, h(0));
    const a2 = await cat.appointment(id, h(48), 'cancelado');
    await ctx.tdb.db.insert(payments).values({ clinicId, patientId: id, appointmentId: a1.id, amountCents: 25000, method: 'pix', status: 'aprovado', processedAt: h(1), createdAt: h(1) });
    await ctx.tdb.db.insert(npsSurveys).values({ clinicId, patientId: id, appointmentId: a1.id, score: 10, answered: true, comment: 'Amei!', sentAt: h(25), answeredAt: h(26), status: 'respondida', npsClass: 'promoter', workflowId: `nps:${a1.id}` });
    await ctx.tdb.db.insert(conversations).values({ clinicId, patientId: id, patientWhatsapp: '+5511944443333', startedAt: h(-24), lastMessageAt: h(-23), workflowId: `lead:${clinicId}:+5511944443333`, status: 'convertida', convertedAppointmentId: a1.id });

    const all = await ctx.as.view.get(`/api/patients/${id}/timeline`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((i: any) => i.type)).toEqual(['appointment', 'nps', 'payment', 'appointment', 'conversation']);
    const [cancelled, nps, payment, done, conversation] = all.body.items;
    expect(cancelled).toMatchObject({ id: a2.id, at: h(48).toISOString(), journey: { kind: 'appointment', workflowId: `appointment:${a2.id}` } });
    expect(done.appointment).toMatchObject({ status: 'realizado', procedure: { name: 'Limpeza de pele' }, professional: { name: 'Dra. Helena Prado' } });
    expect(done.title).toBe('Limpeza de pele com Dra. Helena Prado (realizado)');
    expect(nps).toMatchObject({ nps: { score: 10, comment: 'Amei!', answered: true }, journey: { kind: 'nps', workflowId: `nps:${a1.id}` } });
    expect(payment).toMatchObject({ payment: { amountCents: 25000, method: 'pix', status: 'aprovado' }, title: 'Pagamento de R$ 250,00 via pix (aprovado)' });
    expect(conversation).toMatchObject({ journey: { kind: 'lead', workflowId: `lead:${clinicId}:+5511944443333` }, conversation: { status: 'convertida', messageCount: 0 } });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await ctx.as.staff.get(`/api/patients/${id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i: any) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: any) => i.id));

    const onlyPayments = await ctx.as.staff.get(`/api/patients/${id}/timeline?types=payment,nps`);
    expect(onlyPayments.body.items.map((i: any) => i.type)).toEqual(['nps', 'payment']);
    expect((await ctx.as.staff.get(`/api/patients/${id}/timeline?cursor=lixo`)).status).toBe(400);
    expect((await ctx.as.staff.get(`/api/patients/${id}/timeline?types=email`)).status).toBe(400);

    // The list and the detail show the last visit (the completed one) and the classification basis.
    const detail = await ctx.as.staff.get(`/api/patients/${id}`);
    expect(detail.body.lastVisitAt).toBe(h(0).toISOString());
    expect(detail.body.classificationBasis.totalSpentCents).toBe(25000);
  });

  it('publishes the classification rule and its thresholds', async () => {
    const res = await ctx.as.view.get('/api/patients/classification-rule');
    expect(res.status).toBe(200);
    expect(res.body.thresholds).toEqual({
      ouro: { minSpentCents: 500000, minVisits: 8 }, prata: { minSpentCents: 200000, minVisits: 4 }, bronze: { minSpentCents: 1, minVisits: 1 },
    });
    expect(res.body.rule).toMatch(/^A classificação considera/);
  });

  it('refreshClassifications stores the computed level for the modules that change spend or visits', async () => {
    const created = await ctx.as.staff.post('/api/patients', { name: 'Cliente Fiel' });
    const id = created.body.id;
    const clinicId = ctx.a.clinic.id;
    const now = new Date('2026-03-01T12:00:00Z');
    await ctx.tdb.db.insert(payments).values({ clinicId, patientId: id, amountCents: 210000, method: 'cartao', status: 'aprovado', processedAt: now });
    await ctx.tdb.db.insert(payments).values({ clinicId, patientId: id, amountCents: 900000, method: 'cartao', status: 'reembolsado', processedAt: now });
    const changed = await withClinic(ctx.tdb.db, clinicId, (tx) => refreshClassifications(tx, [id], now));
    expect(changed).toEqual([{ id, from: 'novo', to: 'prata' }]);
    expect((await ctx.as.staff.get(`/api/patients/${id}`)).body.classification).toBe('prata');
  });
});

describe('OpenAPI', () => {
  it('documents the patient routes, the multipart import and the event stream', async () => {
    const res = await ctx.t.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc: any = await res.json();
    for (const path of ['/api/patients', '/api/patients/{id}', '/api/patients/{id}/timeline', '/api/patients/import', '/api/patients/import/preview', '/api/patients/classification-rule']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/patients/import'].post.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(doc.paths['/api/patients/import'].post.responses['200'].content)).toEqual(['application/json', 'text/event-stream']);
  });
});
