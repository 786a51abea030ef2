/// <reference lib="dom" />
// The patient's signed pages after the visit on a phone (390×844), in Debian's Chromium, against the real
// stack (seeded database, Temporal worker, API, built web app): the one-tap survey (a 9 with a comment,
// thanks, then "já respondida" on reload, a tampered link, a late answer), the review it leads to (4 stars),
// the neutrals' form (an empty answer refused inline, then an aspect), and the upsell's booking link (a slot
// taken meanwhile refreshes the list; a tap books; the confirmation shows date, time and address).
// Screenshots land in /tmp/shots/ to look at the layout.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { type Browser, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { loadEnv, secrets } from '../../config/env';
import {
  appointments, clinics, coupons, feedbackResponses, npsSurveys, patients, procedures, professionalProcedures, professionals, reviews, upsellOffers,
} from '../../db/schema';
import { signPatientLink, type PatientLinkKind } from '../../domain/signed-links';
import { startStack } from '../support/stack';

const SHOTS = '/tmp/shots';
const DAY = 86_400_000;
const secret = secrets(loadEnv({ NODE_ENV: 'test' })).linkSecret;
const PATHS: Record<PatientLinkKind, string> = { nps: 'nps', feedback: 'feedback', review: 'avaliar', booking: 'agendar' };


describe('the patient pages after the visit in the browser (phone)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  /** Seeded surveys still waiting for a score whose visit has no review yet. */
  let open: { id: string; appointmentId: string }[];
  let expired: { id: string };
  let forForm: { id: string; appointmentId: string };

  const link = (kind: PatientLinkKind, id: string, exp = Date.now() + DAY) => `${stack.webUrl}/p/${PATHS[kind]}/${signPatientLink(secret, kind, id, exp)}`;
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  const fitsThePhone = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  const title = () => page.getByTestId('link-title').textContent();

  beforeAll(async () => {
    stack = await startStack();
    const db = stack.db;
    open = await db.select({ id: npsSurveys.id, appointmentId: npsSurveys.appointmentId }).from(npsSurveys)
      .leftJoin(reviews, eq(reviews.appointmentId, npsSurveys.appointmentId))
      .where(and(eq(npsSurveys.status, 'enviada'), isNull(npsSurveys.score), isNull(reviews.id)))
      .orderBy(asc(npsSurveys.sentAt)).limit(2);
    const [late] = await db.select({ id: npsSurveys.id }).from(npsSurveys)
      .where(and(eq(npsSurveys.status, 'sem_resposta'), isNull(npsSurveys.score))).limit(1);
    const [form] = await db.select({ id: npsSurveys.id, appointmentId: npsSurveys.appointmentId }).from(npsSurveys)
      .leftJoin(feedbackResponses, eq(feedbackResponses.surveyId, npsSurveys.id))
      .where(and(eq(npsSurveys.status, 'respondida'), isNull(feedbackResponses.id))).limit(1);
    if (open.length < 2 || !late || !form) throw new Error('the demo seed has no open, expired or answered surveys');
    expired = late;
    forForm = form;

    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'pt-BR',
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
    });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the survey: a tap on 9 and a comment, thanks with the review invitation; a reload shows it answered; a tampered or expired link says so', async () => {
    const s = open[0]!;
    const url = link('nps', s.id);
    await page.goto(url);
    await expect(title()).resolves.toBe('Pesquisa de satisfação');
    await expect(page.getByTestId('nps-question').textContent()).resolves.toMatch(/^De 0 a 10, quanto você recomendaria .+ a amigos e familiares, pensando no seu atendimento de .+ com .+\?$/);
    // Eleven buttons, each named for screen readers, each big enough for a thumb, nothing wider than the phone.
    await expect(page.getByRole('radio').count()).resolves.toBe(11);
    await expect(page.getByRole('radio', { name: 'Nota 0, nada provável' }).count()).resolves.toBe(1);
    for (const n of [0, 5, 6, 10]) {
      const box = (await page.getByTestId(`score-${n}`).boundingBox())!;
      expect(box.width, `score ${n}`).toBeGreaterThanOrEqual(44);
      expect(box.height, `score ${n}`).toBeGreaterThanOrEqual(48);
    }
    expect(await fitsThePhone()).toBe(true);
    await shot('nps-form');
    // A smaller phone (360 px): still one screen wide, still thumb-sized.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await fitsThePhone()).toBe(true);
    for (const n of [0, 10]) expect((await page.getByTestId(`score-${n}`).boundingBox())!.width).toBeGreaterThanOrEqual(44);
    await shot('nps-form-360');
    await page.setViewportSize({ width: 390, height: 844 });

    await page.getByTestId('score-9').tap();
    await expect(page.getByRole('radio', { name: 'Nota 9' }).isChecked()).resolves.toBe(true);
    await page.fill('#comment', 'Atendimento ótimo, a Dra. foi muito atenciosa!');
    await expect(page.getByTestId('comment-count').textContent()).resolves.toBe('46/2000');
    await shot('nps-chosen');
    await page.getByTestId('nps-submit').tap();
    await page.getByText('Obrigado pela resposta!').waitFor();
    await expect(page.getByTestId('nps-score').textContent()).resolves.toBe('9');
    await expect(page.getByTestId('nps-next').getAttribute('data-kind')).resolves.toBe('review');
    await shot('nps-thanks');
    const [row] = await stack.db.select().from(npsSurveys).where(eq(npsSurveys.id, s.id));
    expect(row).toMatchObject({ score: 9, npsClass: 'promoter', answeredVia: 'link', comment: 'Atendimento ótimo, a Dra. foi muito atenciosa!', status: 'respondida' });

    await page.goto(url);
    await expect(title()).resolves.toBe('Pesquisa já respondida');
    await expect(page.getByTestId('nps-score').textContent()).resolves.toBe('9');
    expect(await page.getByRole('radio').count()).toBe(0);
    await shot('nps-already');

    await page.goto(url.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')));
    await expect(title()).resolves.toBe('Link inválido');
    await expect(page.getByTestId('link-error').getAttribute('data-code')).resolves.toBe('link_invalid');
    await shot('nps-invalid');

    await page.goto(link('nps', s.id, Date.now() - 60_000));
    await expect(title()).resolves.toBe('Link expirado');
    await expect(page.getByTestId('link-error').getAttribute('data-code')).resolves.toBe('link_expired');
  });

  it('the review the survey leads to: 4 stars (by keyboard after a tap) and a comment, thanks, the row stored', async () => {
    const s = open[0]!;
    await page.goto(link('nps', s.id));
    await page.getByRole('link', { name: 'Avaliar o atendimento' }).tap();
    await page.waitForURL(/\/p\/avaliar\//);
    await expect(title()).resolves.toBe('Avalie seu atendimento');
    expect(await fitsThePhone()).toBe(true);
    await shot('review-form');

    await page.getByTestId('review-submit').tap();
    await expect(page.getByTestId('rating-error').textContent()).resolves.toBe('Escolha de 1 a 5 estrelas.');
    await page.getByTestId('star-5').tap();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('radio', { name: '4 estrelas, muito bom' }).isChecked()).resolves.toBe(true);
    await expect(page.getByTestId('rating-word').textContent()).resolves.toMatch(/Muito bom/);
    await page.fill('#comment', 'Voltarei com certeza.');
    await shot('review-chosen');
    await page.getByTestId('review-submit').tap();
    await page.getByText('Avaliação enviada').waitFor();
    await expect(page.getByTestId('review-stars').getAttribute('data-rating')).resolves.toBe('4');
    await shot('review-thanks');
    const [rev] = await stack.db.select().from(reviews).where(eq(reviews.appointmentId, s.appointmentId));
    expect(rev).toMatchObject({ rating: 4, comment: 'Voltarei com certeza.' });
  });

  it('an expired survey still takes a late score and says thanks', async () => {
    await page.goto(link('nps', expired.id));
    await page.getByTestId('nps-closed').waitFor();
    await shot('nps-late-form');
    await page.getByTestId('score-3').tap();
    await page.getByTestId('nps-submit').tap();
    await page.getByText('Obrigado pela resposta!').waitFor();
    await expect(page.getByTestId('nps-done').getAttribute('data-outcome')).resolves.toBe('late');
    await expect(page.getByTestId('nps-message').textContent()).resolves.toMatch(/sua nota foi registrada/);
    await shot('nps-late-thanks');
    const [row] = await stack.db.select().from(npsSurveys).where(eq(npsSurveys.id, expired.id));
    expect(row).toMatchObject({ score: 3, lateAnswer: true, status: 'sem_resposta' });
  });

  it('without JavaScript the survey still takes a score (a plain form post)', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'pt-BR', javaScriptEnabled: false });
    const plain = await context.newPage();
    try {
      await plain.goto(link('nps', open[1]!.id));
      await plain.getByTestId('nps-submit').tap();
      await expect(plain.getByTestId('score-error').textContent()).resolves.toBe('Escolha uma nota de 0 a 10.');
      await plain.getByTestId('score-7').tap();
      await plain.fill('#comment', 'Poderia ser mais pontual.');
      await plain.getByTestId('nps-submit').tap();
      await plain.getByText('Obrigado pela resposta!').waitFor();
      await expect(plain.getByTestId('nps-next').getAttribute('data-kind')).resolves.toBe('feedback');
      const [row] = await stack.db.select().from(npsSurveys).where(eq(npsSurveys.id, open[1]!.id));
      expect(row).toMatchObject({ score: 7, npsClass: 'neutral', comment: 'Poderia ser mais pontual.' });
    } finally {
      await context.close();
    }
  });

  it('the feedback form: nothing chosen is refused inline; an aspect and a comment are stored', async () => {
    await page.goto(link('feedback', forForm.id));
    await expect(title()).resolves.toBe('Ajude-nos a melhorar');
    const labels = await page.getByTestId('aspects').locator('label').allTextContents();
    expect(labels.map((l) => l.trim())).toEqual(['Atendimento', 'Pontualidade', 'Resultado', 'Preço', 'Limpeza']);
    expect(await fitsThePhone()).toBe(true);

    await page.getByTestId('feedback-submit').tap();
    await expect(page.getByTestId('aspects-error').textContent()).resolves.toBe('Escolha ao menos uma opção ou escreva um comentário.');
    expect(await stack.db.select().from(feedbackResponses).where(eq(feedbackResponses.surveyId, forForm.id))).toHaveLength(0);
    await shot('feedback-error');

    await page.getByText('Pontualidade').tap();
    await page.getByText('Preço').tap();
    await page.fill('#comment', 'Esperei 20 minutos para ser atendida.');
    await page.getByTestId('feedback-submit').tap();
    await page.getByText('Resposta enviada').waitFor();
    await shot('feedback-thanks');
    const rows = await stack.db.select().from(feedbackResponses).where(eq(feedbackResponses.surveyId, forForm.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ aspects: ['pontualidade', 'preco'], comment: 'Esperei 20 minutos para ser atendida.' });

    await page.reload();
    await expect(title()).resolves.toBe('Formulário já respondido');
  });

  it('the booking link: a slot taken meanwhile refreshes the list; a tap books; the confirmation shows when and where', async () => {
    const db = stack.db;
    const [clinic] = await db.select({ id: clinics.id }).from(clinics).limit(1);
    await db.update(clinics).set({ address: 'Rua Augusta, 1500 - Consolação, São Paulo - SP' }).where(eq(clinics.id, clinic!.id));
    const [pp] = await db.select({ procedureId: procedures.id, name: procedures.name }).from(professionalProcedures)
      .innerJoin(procedures, eq(procedures.id, professionalProcedures.procedureId))
      .innerJoin(professionals, eq(professionals.id, professionalProcedures.professionalId))
      .where(and(eq(procedures.clinicId, clinic!.id), eq(procedures.active, true), eq(professionals.active, true)))
      .orderBy(asc(procedures.name)).limit(1);
    const two = await db.select({ id: patients.id }).from(patients)
      .where(and(eq(patients.clinicId, clinic!.id), sql`${patients.status} <> 'bloqueado'`)).orderBy(asc(patients.createdAt)).limit(2);
    const offer = async (patientId: string, seq: number) => {
      const expiresAt = new Date(Date.now() + 14 * DAY);
      const [o] = await db.insert(upsellOffers).values({
        clinicId: clinic!.id, patientId, seq, workflowId: `upsell:${patientId}:${seq}`, procedureId: pp!.procedureId, status: 'enviada', sentAt: new Date(), expiresAt,
      }).returning();
      const [c] = await db.insert(coupons).values({
        clinicId: clinic!.id, code: `MAIS-TESTE${seq}`, patientId, percentOff: 10, validUntil: expiresAt, origin: 'upsell', upsellOfferId: o!.id,
      }).returning();
      await db.update(upsellOffers).set({ couponId: c!.id }).where(eq(upsellOffers.id, o!.id));
      return { id: o!.id, patientId, token: signPatientLink(secret, 'booking', o!.id, expiresAt.getTime()) };
    };
    const mine = await offer(two[0]!.id, 91);
    const other = await offer(two[1]!.id, 92);

    await page.goto(`${stack.webUrl}/p/agendar/${mine.token}`);
    await expect(title()).resolves.toBe('Agende seu horário');
    await expect(page.getByTestId('offer').textContent()).resolves.toContain(pp!.name);
    await expect(page.getByTestId('offer-discount').textContent()).resolves.toBe('10% de desconto');
    await expect(page.getByTestId('offer-coupon').textContent()).resolves.toBe('Seu cupom: MAIS-TESTE91');
    await expect(page.getByTestId('offer-price').textContent()).resolves.toMatch(/^\s*De R\$\s[\d.]+,\d{2} por R\$\s[\d.]+,\d{2}\s*$/);
    await expect(page.locator('.day h2').first().textContent()).resolves.toMatch(/^(Segunda|Terça|Quarta|Quinta|Sexta)-feira, \d{2}\/\d{2}\/\d{4}$|^(Sábado|Domingo), \d{2}\/\d{2}\/\d{4}$/);
    expect(await fitsThePhone()).toBe(true);
    await shot('booking-offer');

    // Someone else books the first slot in the meantime (through the API, as another offer's link).
    const first = page.getByTestId('slot').first();
    const firstAt = (await first.getAttribute('data-starts-at'))!;
    const firstValue = (await first.getAttribute('value'))!;
    const taken = await fetch(`${stack.apiUrl}/api/public/booking/${other.token}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ startsAt: firstAt, professionalId: firstValue.split('|')[1] }),
    });
    expect(taken.status).toBe(200);
    await first.tap();
    await expect(page.getByTestId('booking-error').textContent()).resolves.toBe('Este horário acabou de ser reservado. Escolha outro horário.');
    // The list is fresh: that time with that professional is gone (another professional may still offer the time).
    await expect(page.getByTestId('slot').first().getAttribute('value')).resolves.not.toBe(firstValue);
    await shot('booking-taken');

    const next = page.getByTestId('slot').first();
    const nextAt = (await next.getAttribute('data-starts-at'))!;
    await next.tap();
    await page.getByText('Horário agendado!').waitFor();
    await expect(page.getByTestId('booking-when').textContent()).resolves.toMatch(/^[A-ZÁ][a-zçá]+(-feira)?, \d{2}\/\d{2}\/\d{4} às \d{2}:\d{2}$/);
    await expect(page.getByTestId('booking-address').textContent()).resolves.toContain('Rua Augusta, 1500');
    await shot('booking-confirmed');
    const [appt] = await db.select().from(appointments)
      .where(and(eq(appointments.patientId, mine.patientId), eq(appointments.procedureId, pp!.procedureId), eq(appointments.source, 'link'), sql`${appointments.startsAt} = ${nextAt}::timestamptz`));
    expect(appt).toMatchObject({ status: 'agendado', notes: 'Agendado pelo link da oferta (upsell)' });
    const [o] = await db.select({ appointmentId: upsellOffers.appointmentId }).from(upsellOffers).where(eq(upsellOffers.id, mine.id));
    expect(o!.appointmentId).toBe(appt!.id);

    // Opening the link again shows the booking, not the slots.
    await page.reload();
    await expect(title()).resolves.toBe('Horário já agendado');
    expect(await page.getByTestId('slot').count()).toBe(0);

    // A closed offer says so.
    await db.update(upsellOffers).set({ status: 'ignorou' }).where(eq(upsellOffers.id, other.id));
    await db.update(upsellOffers).set({ appointmentId: null }).where(eq(upsellOffers.id, other.id));
    await page.goto(`${stack.webUrl}/p/agendar/${other.token}`);
    await expect(title()).resolves.toBe('Oferta encerrada');
    await shot('booking-closed');
  });
});
