/// <reference lib="dom" />
// The reminders UI as a person uses it, in Debian's Chromium, on the real stack: a seeded patient with an
// upcoming appointment got the 24h WhatsApp reminder (local outbox) and her journey runs on the worker;
// in /simulador the receptionist finds her, sees the reminder in a phone-like thread, answers "1" as the
// patient, sees the reply in the thread and the appointment confirmed by the journey; /lembretes shows
// the editor with the live preview and the report; a cancellation notice arrives live in the header bell.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import pino from 'pino';
import { eq, sql } from 'drizzle-orm';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { loadEnv } from '../../config/env';
import { appointments } from '../../db/schema';
import { createMessageSender } from '../../services/messaging/sender';
import { appointmentJourney } from '../../workflows/appointment';
import { appointmentWorkflowId } from '../../workflows/definitions';
import { startStack } from '../support/stack';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-results');


interface Target { appointmentId: string; patientId: string; clinicId: string; name: string; whatsapp: string; startsAt: Date; professionalId: string; durationMinutes: number }

describe('reminders simulator in the browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  let connection: Connection;
  let target: Target;

  beforeAll(async () => {
    stack = await startStack();
    // A patient whose next open appointment is more than a day away (the journey waits for its 24h step).
    const rows = await stack.db.execute<{ appointment_id: string; patient_id: string; clinic_id: string; name: string; whatsapp: string; starts_at: string; professional_id: string; duration_minutes: number }>(sql`
      select * from (
        select distinct on (a.patient_id) a.id as appointment_id, a.patient_id, a.clinic_id, p.name, p.whatsapp, a.starts_at, a.professional_id, a.duration_minutes, a.status
        from appointments a join patients p on p.id = a.patient_id
        where a.status in ('agendado', 'confirmado') and a.starts_at + make_interval(mins => a.duration_minutes) > now()
          and p.whatsapp is not null and p.deleted_at is null
          and (select count(*) from patients q where q.whatsapp = p.whatsapp or q.phone = p.whatsapp) = 1
        order by a.patient_id, a.starts_at
      ) x where x.status = 'agendado' and x.starts_at > now() + interval '26 hours' order by x.starts_at limit 1`);
    const r = [...rows][0];
    if (!r) throw new Error('the demo seed has no patient with an upcoming appointment');
    target = {
      appointmentId: r.appointment_id, patientId: r.patient_id, clinicId: r.clinic_id, name: r.name, whatsapp: r.whatsapp,
      startsAt: new Date(r.starts_at), professionalId: r.professional_id, durationMinutes: Number(r.duration_minutes),
    };
    // The 24h reminder as the journey sends it (the stack's worker has no message sender): through the local outbox.
    const sender = createMessageSender({ db: stack.db, env: loadEnv({ NODE_ENV: 'test' }), log: pino({ level: 'silent' }) });
    await sender.send({
      clinicId: target.clinicId, patientId: target.patientId, appointmentId: target.appointmentId, channel: 'whatsapp', to: target.whatsapp,
      body: `Olá, ${target.name.split(' ')[0]}! 😊 Passando para lembrar do seu horário na Clínica Bella Pele.\n\nResponda *1* para confirmar ou *2* para cancelar.`,
      templateKey: 'reminder_24h', quickReplies: ['1', '2'], purpose: 'transactional', idempotencyKey: `browser-test:${target.appointmentId}:24h`,
    });
    connection = await Connection.connect({ address: inject('temporalAddress') });
    const client = new Client({ connection });
    await client.workflow.start(appointmentJourney, {
      workflowId: appointmentWorkflowId(target.appointmentId), taskQueue: stack.taskQueue,
      args: [{
        clinicId: target.clinicId, patientId: target.patientId, appointmentId: target.appointmentId, professionalId: target.professionalId,
        startsAt: target.startsAt.toISOString(), durationMinutes: target.durationMinutes, status: 'agendado',
      }],
    }).catch((err) => {
      // A stack that starts the journeys itself already did.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'pt-BR' });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (connection && target) {
      await new Client({ connection }).workflow.getHandle(appointmentWorkflowId(target.appointmentId)).terminate('test over').catch(() => {});
    }
    await connection?.close();
    await stack?.stop();
  });

  it('answers "1" as the patient and sees the reply in the thread; the journey confirms the appointment', async () => {
    await page.goto(`${stack.webUrl}/login`);
    await page.fill('#email', stack.demo.email);
    await page.fill('#password', stack.demo.password);
    await Promise.all([page.waitForURL(`${stack.webUrl}/`), page.click('button[type=submit]')]);

    await Promise.all([page.waitForURL(`${stack.webUrl}/simulador`), page.locator('nav[aria-label="Módulos"]').getByRole('link', { name: 'Simulador' }).click()]);
    await page.fill('#busca', target.name);
    await Promise.all([page.waitForURL(/busca=/), page.press('#busca', 'Enter')]);
    await page.locator(`[data-testid=patient-results] a[href="/simulador?paciente=${target.patientId}"]`).click();
    await page.waitForURL(new RegExp(`paciente=${target.patientId}`));
    await expect(page.getByTestId('thread-patient').textContent()).resolves.toBe(target.name);
    const outbound = page.getByTestId('msg-outbound');
    await outbound.first().waitFor();
    expect(await outbound.last().textContent()).toContain('Responda *1* para confirmar');
    expect(await page.getByTestId('quick-1').isVisible()).toBe(true);

    await page.fill('[data-testid=reply-text]', '1');
    await page.click('[data-testid=reply-send]');
    const reply = page.getByTestId('msg-inbound').locator('p', { hasText: /^1$/ });
    await reply.first().waitFor();
    await expect(page.getByTestId('reply-outcome').textContent()).resolves.toContain('Entregue à jornada');
    expect(await page.inputValue('[data-testid=reply-text]')).toBe('');

    // The journey applied the answer (the DB is the truth).
    let status = '';
    for (let i = 0; i < 120 && status !== 'confirmado'; i++) {
      [{ status }] = await stack.db.select({ status: appointments.status }).from(appointments).where(eq(appointments.id, target.appointmentId));
      if (status !== 'confirmado') await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe('confirmado');
    // The thread keeps refreshing by itself (poll every 2 s): the reply bubble shows what the system did with it.
    await page.waitForFunction(() => Array.from(document.querySelectorAll("[data-testid=msg-inbound]")).some((e) => e.textContent?.includes('Entregue à jornada')));

    // Beside the phone: the journey's own state (query), with the answer and the next step.
    await page.waitForFunction(() => /“1”.*confirmou, aplicada ao agendamento/s.test(document.querySelector('[data-testid=journey-state]')?.textContent ?? ''));
    const journey = (await page.getByTestId('journey-state').textContent()) ?? '';
    expect(journey).toContain('Próximo passo');
    expect(journey).toContain('Lembrete 24 h antes');
    expect(await page.getByTestId('journey-state').getByRole('link', { name: /Ver no Temporal/ }).getAttribute('href'))
      .toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(appointmentWorkflowId(target.appointmentId))}`);

    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'simulator.png'), fullPage: true });
  }, 60_000);

  it('works without JavaScript: the reply form posts and the thread reloads; the preview renders on the server', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'pt-BR', javaScriptEnabled: false });
    const plain = await context.newPage();
    plain.setDefaultTimeout(15_000);
    await plain.goto(`${stack.webUrl}/login`);
    await plain.fill('#email', stack.demo.email);
    await plain.fill('#password', stack.demo.password);
    await Promise.all([plain.waitForURL(`${stack.webUrl}/`), plain.click('button[type=submit]')]);
    await plain.goto(`${stack.webUrl}/simulador?paciente=${target.patientId}`);
    await plain.fill('[data-testid=reply-text]', 'Qual o endereço?');
    await Promise.all([plain.waitForURL(/resultado=/), plain.click('[data-testid=reply-send]')]);
    expect(await plain.getByTestId('msg-inbound').locator('p', { hasText: 'Qual o endereço?' }).count()).toBe(1);

    await plain.goto(`${stack.webUrl}/lembretes?aba=modelos&etapa=reminder_2h&canal=sms`);
    await plain.fill('[data-testid=template-body]', '{paciente}, hoje às {hora}. {link_cancelar}');
    await plain.getByRole('button', { name: 'Pré-visualizar' }).click();
    await plain.waitForLoadState();
    await expect(plain.getByTestId('template-preview').textContent()).resolves.toMatch(/Maria, hoje às 14:30\. http/);
    await context.close();
  }, 30_000);

  it('answers "2": the journey cancels and the clinic sees the notice live in the header bell', async () => {
    await page.goto(`${stack.webUrl}/simulador?paciente=${target.patientId}`);
    await page.getByTestId('notifications-bell').waitFor();
    // "Qual o endereço?" above was a new subject: Anna answered it (her reply is the last message now), and
    // the reminder's own "2" still reaches the appointment's journey.
    await page.getByTestId('msg-outbound').filter({ hasText: 'Rua' }).first().waitFor();
    await page.fill('[data-testid=reply-text]', '2');
    await page.click('[data-testid=reply-send]');
    await page.getByTestId('msg-inbound').locator('p', { hasText: /^2$/ }).first().waitFor();
    // notifyClinic (activity) writes the notice; the API's stream polls every 3 s; the web passes it through.
    const toast = page.getByTestId('notification-toast');
    await toast.waitFor({ timeout: 20_000 });
    expect(await toast.textContent()).toContain('Agendamento cancelado');
    expect(await toast.textContent()).toContain(target.name);
    expect(await page.getByTestId('notifications-count').textContent()).toBe('1');
    await page.getByTestId('notifications-bell').click();
    expect(await page.locator('#notifications-panel').textContent()).toContain('pelo paciente');
    const [{ status }] = await stack.db.select({ status: appointments.status }).from(appointments).where(eq(appointments.id, target.appointmentId));
    expect(status).toBe('cancelado');
    await page.screenshot({ path: path.join(shots, 'simulator-cancel.png'), fullPage: true });
  }, 40_000);

  it('edits a reminder text with variables and a live preview, and shows the report', async () => {
    await page.goto(`${stack.webUrl}/lembretes?aba=modelos&etapa=reminder_24h&canal=whatsapp`);
    await expect(page.getByTestId('template-preview').textContent()).resolves.toContain('Maria');
    await page.fill('[data-testid=template-body]', 'Oi ');
    await page.getByRole('button', { name: '{paciente}' }).click();
    await page.locator('[data-testid=template-body]').press('End');
    await page.locator('[data-testid=template-body]').pressSequentially(', até amanhã às ');
    await page.getByRole('button', { name: '{hora}' }).click();
    expect(await page.inputValue('[data-testid=template-body]')).toMatch(/^Oi \{paciente\}, até amanhã às \{hora\}$/);
    await page.waitForFunction(() => /^Oi Maria, até amanhã às \d{2}:\d{2}$/.test(document.querySelector('[data-testid=template-preview] .bubble')?.textContent ?? ''));
    await page.getByRole('button', { name: 'Salvar' }).click();
    await expect(page.getByTestId('template-message').textContent()).resolves.toContain('Texto salvo');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'lembretes.png'), fullPage: true });

    await page.goto(`${stack.webUrl}/lembretes?aba=relatorio`);
    const table = page.getByTestId('reminders-report');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(4);
    await expect(page.locator('main').textContent()).resolves.toContain('Taxa de sucesso =');
    await page.screenshot({ path: path.join(shots, 'lembretes-relatorio.png'), fullPage: true });
  }, 30_000);
});
