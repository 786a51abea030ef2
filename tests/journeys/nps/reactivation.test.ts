// The reactivation sweep and journey end to end on the time-skipping server, with the real activities,
// database and outbox: who the sweep picks (and who it never does), the holdout that is never
// contacted, one sweep per clinic-day, the "saudade" message with its coupon and booking link, and each
// ending: booked through another path, ignored after the follow-up, "não tenho interesse", opt-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { appointments, coupons, messageOutbox, patientScores, patients, reactivationCampaigns, reactivationTargets } from '../../../db/schema';
import { assignHoldout } from '../../../domain/lifetime';
import { closeWindows } from '../../../services/reactivation/sweep';
import { DAY, startNpsHarness, type NpsHarness } from './harness';
import { reactivationStateQuery, type ReactivationJourneyResult } from '../../../workflows/definitions';

let h: NpsHarness;
beforeAll(async () => { h = await startNpsHarness(); }, 120_000);
afterAll(async () => { await h?.close(); });

/** A lapsed patient: a realised visit `daysAgo` days ago and a score (the scorer's row) with this risk. */
async function lapsed(o: { risk?: number; daysAgo?: number; marketing?: boolean; whatsapp?: string | null } = {}) {
  const p = await h.patient({ marketing: o.marketing ?? true, ...(o.whatsapp !== undefined ? { whatsapp: o.whatsapp, email: null } : {}) });
  const days = o.daysAgo ?? 200;
  await h.visit(p.id, { agoMs: days * DAY });
  await h.tdb.db.insert(patientScores).values({
    clinicId: h.clinic.clinic.id, patientId: p.id, risk: o.risk ?? 85, pAlive: 0.15, expectedVisits: 0.4, clvCents: 48000, averageTicketCents: 25000,
    lastVisitAt: new Date((await h.env.currentTimeMs()) - days * DAY), daysSinceLastVisit: days, modelVersion: null,
    factors: [{ name: 'timeSinceLastVisit', label: `sem visitas há ${days} dias`, contribution: 1, sign: 1 }], features: [1, 0, days, days, 0.15, 0.4],
    scoredAt: new Date(),
  });
  return p;
}
const sweep = async (atMs?: number) => h.activities.sweepReactivation({ clinicId: h.clinic.clinic.id, at: new Date(atMs ?? (await h.env.currentTimeMs())).toISOString() });
const targetOf = async (patientId: string) => (await h.tdb.db.select().from(reactivationTargets).where(eq(reactivationTargets.patientId, patientId)).orderBy(sql`created_at desc`))[0]!;
const result = (workflowId: string) => h.env.client.workflow.getHandle(workflowId).result() as Promise<ReactivationJourneyResult>;
async function sent(patientId: string, template = 'reactivation') {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const rows = await h.tdb.db.select().from(messageOutbox).where(and(eq(messageOutbox.patientId, patientId), eq(messageOutbox.template, template)));
    if (rows.length) return rows[0]!;
    if (Date.now() > deadline) throw new Error(`no ${template} message for ${patientId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** Clears the clinic's campaigns (and their targets) so a test can sweep again today from a clean history. */
const newDay = () => h.tdb.db.delete(reactivationCampaigns).where(eq(reactivationCampaigns.clinicId, h.clinic.clinic.id));
/** No control group (a test about one patient's journey must not see her drawn into the holdout). */
const withoutHoldout = () => h.tdb.db.execute(sql`update clinics set settings = settings || '{"reactivation": {"holdoutShare": 0}}'::jsonb where id = ${h.clinic.clinic.id}`);
const defaults = () => h.tdb.db.execute(sql`update clinics set settings = settings - 'reactivation' - 'reactivationAfterDays' where id = ${h.clinic.clinic.id}`);
/** Only these patients are scored (the earlier tests' are set back to low risk). */
const only = async (ids: string[]) => {
  await h.tdb.db.update(patientScores).set({ risk: 10 }).where(and(eq(patientScores.clinicId, h.clinic.clinic.id), sql`${patientScores.patientId} not in ${ids.length ? ids : ['00000000-0000-0000-0000-000000000000']}`));
};

describe('reactivation', () => {
  it('sweeps the lapsed, at-risk, consented patients only; holds out a share that is never contacted; once per day', async () => {
    await h.tdb.db.update(patients).set({ name: 'Maria Souza' }).where(eq(patients.clinicId, h.clinic.clinic.id));
    const picked = await Promise.all(Array.from({ length: 24 }, () => lapsed()));
    const low = await lapsed({ risk: 60 });
    const recent = await lapsed({ daysAgo: 30 });
    const noConsent = await lapsed({ marketing: false });
    const booked = await lapsed();
    await h.tdb.db.insert(appointments).values({
      clinicId: h.clinic.clinic.id, patientId: booked.id, procedureId: h.clinic.limpeza.id, professionalId: (await h.tdb.db.select().from(appointments).where(eq(appointments.patientId, booked.id)))[0]!.professionalId,
      startsAt: new Date((await h.env.currentTimeMs()) + 5 * DAY), durationMinutes: 60, priceCents: 25000,
    });
    const deleted = await lapsed();
    await h.tdb.db.update(patients).set({ deletedAt: new Date() }).where(eq(patients.id, deleted.id));
    await h.tdb.db.execute(sql`update clinics set settings = settings || '{"reactivation": {"holdoutShare": 0.25, "dailyLimit": 1000}}'::jsonb where id = ${h.clinic.clinic.id}`);

    const r = await sweep();
    expect(r.created).toBe(true);
    expect(r.eligible).toBe(24);
    // Low risk and a recent visit are filtered before: not even candidates.
    expect(r.skipped.low_risk).toBeUndefined();
    expect(r.skipped.recent_visit).toBeUndefined();
    expect(r.skipped).toMatchObject({ no_consent: 1, open_appointment: 1, deleted: 1 });
    const targets = await h.tdb.db.select().from(reactivationTargets).where(eq(reactivationTargets.campaignId, r.campaignId));
    expect(targets.map((t) => t.patientId).sort()).toEqual(picked.map((p) => p.id).sort());
    for (const t of targets) expect(t.arm).toBe(assignHoldout(t.patientId, `${h.clinic.clinic.id}:${r.day}`, 0.25));
    const control = targets.filter((t) => t.arm === 'control');
    expect(control.length).toBe(r.control);
    expect(r.started).toBe(r.contacted);
    for (const ex of [low, recent, noConsent, booked, deleted]) expect(targets.some((t) => t.patientId === ex.id)).toBe(false);

    // The contacted get the message; the control group never does.
    const contacted = targets.filter((t) => t.arm === 'contacted');
    await sent(contacted[0]!.patientId);
    for (const c of control) {
      expect(await h.tdb.db.select().from(messageOutbox).where(and(eq(messageOutbox.patientId, c.patientId), sql`${messageOutbox.template} like 'reactivation%'`))).toHaveLength(0);
      expect(c.status).toBe('controle');
    }
    // A second sweep the same day changes nothing.
    const again = await sweep();
    expect(again).toMatchObject({ created: false, campaignId: r.campaignId, started: 0 });
    expect(await h.tdb.db.select().from(reactivationTargets).where(eq(reactivationTargets.campaignId, r.campaignId))).toHaveLength(24);

    // Their journeys are left to end (ignored); a control patient who books within the window counts as a return.
    const back = control[0] ?? contacted[0]!;
    const pro = (await h.tdb.db.select().from(appointments).where(eq(appointments.patientId, back.patientId)))[0]!.professionalId;
    await h.tdb.db.insert(appointments).values({
      clinicId: h.clinic.clinic.id, patientId: back.patientId, procedureId: h.clinic.limpeza.id, professionalId: pro,
      startsAt: new Date((await h.env.currentTimeMs()) + 9 * DAY), durationMinutes: 60, priceCents: 25000, createdAt: new Date((await h.env.currentTimeMs()) + 60_000),
    });
    // One at a time: the time-skipping server moves the clock for the result being awaited.
    for (const t of contacted) await result(t.workflowId!);
    const later = new Date((await h.env.currentTimeMs()) + 60 * DAY);
    const closed = await h.tdb.db.transaction((tx) => closeWindows(tx, h.clinic.clinic.id, later));
    expect(closed.closed).toBeGreaterThanOrEqual(control.length);
    const after = await h.tdb.db.select().from(reactivationTargets).where(eq(reactivationTargets.campaignId, r.campaignId));
    expect(after.every((t) => t.outcome !== null)).toBe(true);
    expect(after.find((t) => t.id === back.id)!.outcome).toBe('voltou');
    await h.tdb.db.execute(sql`update clinics set settings = settings - 'reactivation' where id = ${h.clinic.clinic.id}`);
  });

  it('the saudade message names her last visit, carries a coupon and the booking link; a booking by another path ends it as voltou', async () => {
    await newDay();
    const p = await lapsed();
    await only([p.id]);
    await withoutHoldout();
    const r = await sweep();
    await defaults();
    expect(r.contacted).toBe(1);
    const t = await targetOf(p.id);
    const msg = await sent(p.id);
    expect(msg.purpose).toBe('marketing');
    expect(msg.body).toMatch(/^Olá, Mariana! Aqui é da Clínica Bella Pele, e estamos com saudade de você 💛 Faz \d+ meses desde o seu atendimento de Limpeza de pele com a Dra\. Helena Prado \d+\. Para você voltar/);
    const [coupon] = await h.tdb.db.select().from(coupons).where(eq(coupons.id, (await targetOf(p.id)).couponId!));
    expect(coupon).toMatchObject({ origin: 'reactivation', patientId: p.id, percentOff: 15 });
    expect(msg.body).toContain(`*${coupon!.code}*`);
    expect(msg.body).toMatch(/https:\/\/clinica\.test\/p\/agendar\/[\w-]+\.[\w-]+/);

    const pro = (await h.tdb.db.select().from(appointments).where(eq(appointments.patientId, p.id)))[0]!.professionalId;
    const [a] = await h.tdb.db.insert(appointments).values({
      clinicId: h.clinic.clinic.id, patientId: p.id, procedureId: h.clinic.limpeza.id, professionalId: pro,
      startsAt: new Date((await h.env.currentTimeMs()) + 3 * DAY), durationMinutes: 60, priceCents: 25000, createdAt: new Date((await h.env.currentTimeMs()) + 60_000),
    }).returning();
    expect(await result(t.workflowId!)).toMatchObject({ outcome: 'voltou', appointmentId: a!.id });
    expect(await targetOf(p.id)).toMatchObject({ outcome: 'voltou', status: 'encerrada', returnedAppointmentId: a!.id });
    expect(await h.tdb.db.select().from(messageOutbox).where(and(eq(messageOutbox.patientId, p.id), eq(messageOutbox.template, 'reactivation_follow_up')))).toHaveLength(0);
  });

  it('ignored: one follow-up after the clinic\'s days, then nao_voltou when the window closes', async () => {
    await newDay();
    const p = await lapsed();
    await only([p.id]);
    await withoutHoldout();
    await sweep();
    await defaults();
    const t = await targetOf(p.id);
    expect(await result(t.workflowId!)).toMatchObject({ outcome: 'nao_voltou' });
    const templates = (await h.outbox(p.id)).map((m) => m.template);
    expect(templates).toEqual(['reactivation', 'reactivation_follow_up']);
    expect((await h.outbox(p.id))[1]!.body).toContain('responda SAIR');
    expect(await targetOf(p.id)).toMatchObject({ outcome: 'nao_voltou', status: 'encerrada' });
  });

  it('"não tenho interesse" ends it with an acknowledgement and a longer pause; SAIR stops everything', async () => {
    await newDay();
    const p = await lapsed();
    const q = await lapsed();
    await only([p.id, q.id]);
    await h.tdb.db.execute(sql`update clinics set settings = settings || '{"reactivation": {"holdoutShare": 0}}'::jsonb where id = ${h.clinic.clinic.id}`);
    const sweptAt = await h.env.currentTimeMs();
    await sweep(sweptAt);
    const tp = await targetOf(p.id);
    const tq = await targetOf(q.id);
    await sent(p.id);
    await sent(q.id);
    // Both answer before either journey wakes up (awaiting one result lets the test server run the clock).
    const routed = await h.reply(p.whatsapp!, 'Não tenho interesse, obrigada');
    expect(routed?.outcome).toBe('signalled');
    expect((await h.reply(q.whatsapp!, 'SAIR'))?.outcome).toBe('opt_out');
    expect(await result(tp.workflowId!)).toMatchObject({ outcome: 'sem_interesse' });
    expect((await h.outbox(p.id)).map((m) => m.template)).toEqual(['reactivation', 'reactivation_ack']);
    expect(await targetOf(p.id)).toMatchObject({ outcome: 'nao_voltou', status: 'sem_interesse', skipReason: 'sem_interesse' });

    expect(await result(tq.workflowId!)).toMatchObject({ outcome: 'sem_interesse', reason: 'opt_out' });
    // The SAIR reached the journey: it ended there, no follow-up was even attempted.
    expect((await h.outbox(q.id)).map((m) => m.template)).toEqual(['reactivation']);
    expect(await targetOf(q.id)).toMatchObject({ outcome: 'nao_voltou', status: 'sem_interesse', skipReason: 'opt_out' });

    // The next day's sweep picks neither (an open window is over, but the pause holds: cooldown, ×3 after "não tenho interesse").
    // Two days later (by the sweep's clock; the test server's may have run far ahead): a new campaign, history kept.
    const next = await sweep(sweptAt + 2 * DAY);
    expect(next.eligible).toBe(0);
    await h.tdb.db.execute(sql`update clinics set settings = settings - 'reactivation' where id = ${h.clinic.clinic.id}`);
  });

  it('SAIR after the follow-up ends the journey at once, not at the window\'s end; a patient erased mid-journey gets no follow-up', async () => {
    await newDay();
    const p = await lapsed();
    const q = await lapsed();
    await only([p.id, q.id]);
    await withoutHoldout();
    await sweep();
    await defaults();
    const tp = await targetOf(p.id);
    const tq = await targetOf(q.id);
    await sent(p.id);
    await sent(q.id);
    // q is erased (LGPD) before the follow-up; p gets hers and answers SAIR.
    await h.tdb.db.update(patients).set({ deletedAt: new Date() }).where(eq(patients.id, q.id));
    const target = await targetOf(p.id);
    await h.env.sleep(target.followUpAt!.getTime() - (await h.env.currentTimeMs()) + 3_600_000);
    await sent(p.id, 'reactivation_follow_up');
    expect((await h.reply(p.whatsapp!, 'SAIR'))?.outcome).toBe('opt_out');
    const deadline = Date.now() + 20_000;
    let stage = '';
    while (stage !== 'done' && Date.now() < deadline) {
      stage = (await h.env.client.workflow.getHandle(tp.workflowId!).query(reactivationStateQuery)).stage;
      if (stage !== 'done') await new Promise((r) => setTimeout(r, 50));
    }
    expect(stage).toBe('done');
    expect(await h.env.currentTimeMs()).toBeLessThan(target.windowEndsAt.getTime());
    expect(await result(tp.workflowId!)).toMatchObject({ outcome: 'sem_interesse', reason: 'opt_out' });
    expect(await targetOf(p.id)).toMatchObject({ outcome: 'nao_voltou', status: 'sem_interesse', skipReason: 'opt_out' });

    expect(await result(tq.workflowId!)).toMatchObject({ outcome: 'nao_voltou', reason: 'gone' });
    expect((await h.outbox(q.id)).map((m) => m.template)).toEqual(['reactivation']);
    expect(await targetOf(q.id)).toMatchObject({ outcome: 'nao_voltou', status: 'encerrada', skipReason: 'gone' });
  });

  it('corrupted settings fall back to safe defaults and say so; a patient deleted before the send gets nothing', async () => {
    await newDay();
    const p = await lapsed();
    await only([p.id]);
    await h.tdb.db.execute(sql`update clinics set settings = settings || '{"reactivationAfterDays": 500, "reactivation": {"holdoutShare": 2.0}}'::jsonb where id = ${h.clinic.clinic.id}`);
    await h.tdb.db.update(patients).set({ deletedAt: new Date() }).where(eq(patients.id, p.id));
    const r = await sweep();
    expect(r.corrected.sort()).toEqual(['afterDays', 'holdoutShare']);
    expect(r.eligible).toBe(0);
    expect(r.skipped).toMatchObject({ deleted: 1 });
    expect(await h.outbox(p.id)).toHaveLength(0);
    await h.tdb.db.execute(sql`update clinics set settings = settings - 'reactivation' - 'reactivationAfterDays' where id = ${h.clinic.clinic.id}`);
  });
});
