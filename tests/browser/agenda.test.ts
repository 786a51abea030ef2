/// <reference lib="dom" />
// The agenda as the receptionist uses it, in Debian's Chromium on the real stack (seeded clinic, API,
// Temporal, built web): book through the wizard (patient → procedure → any professional → first free
// slot → confirm), find the new appointment highlighted in the week view, open it, confirm it; and see
// it change live when it is cancelled elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { startStack } from '../support/stack';
import { eq } from 'drizzle-orm';
import { appointments } from '../../db/schema';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-results');


/** Waits until SvelteKit has hydrated the page, so typing is not undone by hydration. */
async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
}

describe('agenda in the browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  let booked: { id: string; patient: string; procedure: string } | null = null;

  beforeAll(async () => {
    stack = await startStack();
    const probe = await fetch(`${stack.webUrl}/login`, {
      method: 'POST',
      headers: { origin: stack.webUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=&password=',
      redirect: 'manual',
    });
    if (probe.status === 403) throw new Error(`the web app refuses its own form posts: start it with ORIGIN=${stack.webUrl}`);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(20_000);
    fs.mkdirSync(shots, { recursive: true });

    await page.goto(`${stack.webUrl}/login`);
    await settled(page);
    await page.fill('#email', stack.demo.email);
    await page.fill('#password', stack.demo.password);
    await Promise.all([page.waitForURL(`${stack.webUrl}/`), page.click('button[type=submit]')]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('books an appointment through the wizard', async () => {
    await page.goto(`${stack.webUrl}/agenda`);
    await settled(page);
    expect(await page.title()).toBe('Agenda · Tigre CRM');
    await Promise.all([page.waitForURL(/\/agenda\/novo$/), page.getByTestId('new-appointment').click()]);
    await settled(page);

    // 1. Patient: search "a", take the first one found.
    await page.getByTestId('patient-search').fill('a');
    await Promise.all([page.waitForURL(/busca=a/), page.getByTestId('patient-search').press('Enter')]);
    const firstPatient = page.getByTestId('patient-choice').first();
    const patientName = ((await firstPatient.locator('strong').textContent()) ?? '').trim();
    expect(patientName.toLowerCase()).toContain('a');
    await Promise.all([page.waitForURL(/paciente=[0-9a-f-]{36}/), firstPatient.click()]);

    // 2. Procedure: the first one (pre-selected), with its price shown.
    await expect(page.getByTestId('wizard-step').getAttribute('data-step')).resolves.toBe('procedure');
    const firstProcedure = page.locator('label.choice').first();
    expect(await firstProcedure.locator('.price').textContent()).toMatch(/^R\$\s[\d.]+,\d{2}$/);
    const procedureName = ((await firstProcedure.locator('strong').textContent()) ?? '').trim();
    await Promise.all([page.waitForURL(/procedimento=[0-9a-f-]{36}/), page.getByTestId('wizard-next').click()]);

    // 3. "Qualquer profissional".
    await page.getByTestId('professional-any').check();
    await Promise.all([page.waitForURL(/profissional=any/), page.getByTestId('wizard-next').click()]);

    // 4. The first free slot of the next 7 days.
    const slot = page.getByTestId('slot').first();
    await slot.waitFor();
    const startsAt = (await slot.getAttribute('data-starts-at'))!;
    expect(Date.parse(startsAt)).toBeGreaterThan(Date.now());
    await Promise.all([page.waitForURL(/horario=/), slot.click()]);

    // 5. Confirm: the summary names everything and the price.
    const summary = page.getByTestId('wizard-summary');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain(patientName);
    await expect(summary.textContent()).resolves.toContain(procedureName);
    expect(await page.getByTestId('wizard-price').textContent()).toMatch(/^R\$\s[\d.]+,\d{2}$/);
    await settled(page);
    await page.screenshot({ path: path.join(shots, 'agenda-wizard.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/agenda\?visao=semana&data=\d{4}-\d{2}-\d{2}&novo=[0-9a-f-]{36}/), page.getByTestId('wizard-confirm').click()]);
    const id = new URL(page.url()).searchParams.get('novo')!;
    booked = { id, patient: patientName, procedure: procedureName };
  });

  it('shows the new appointment highlighted in the week view', async () => {
    expect(booked).not.toBeNull();
    await settled(page);
    await expect(page.getByTestId('agenda-notice').textContent()).resolves.toContain('Agendamento criado');
    const block = page.locator(`[data-testid=agenda-appointment][data-id="${booked!.id}"]`);
    await block.waitFor();
    expect(await block.getAttribute('class')).toContain('highlight');
    expect(await block.getAttribute('title')).toContain(booked!.patient);
    expect(await block.getAttribute('title')).toContain(booked!.procedure);
    // Seven day columns, Sunday to Saturday.
    expect(await page.getByTestId('agenda-column').count()).toBe(7);
    await expect(page.getByTestId('agenda-range').textContent()).resolves.toMatch(/\d+ de \S+ – \d+ de \S+ de \d{4}/);
    await page.screenshot({ path: path.join(shots, 'agenda-week.png'), fullPage: true });
  });

  it('opens the appointment, confirms it and offers its .ics', async () => {
    const block = page.locator(`[data-testid=agenda-appointment][data-id="${booked!.id}"]`);
    await Promise.all([page.waitForURL(new RegExp(`ag=${booked!.id}`)), block.click()]);
    const drawer = page.getByTestId('appointment-drawer');
    await drawer.waitFor();
    await settled(page);
    await expect(page.getByTestId('appointment-status').textContent()).resolves.toBe('Agendado');
    await expect(page.getByTestId('appointment-patient').textContent()).resolves.toBe(booked!.patient);
    // Admins get the journey in the Temporal Web UI.
    expect(await page.getByTestId('journey-link').getAttribute('href')).toContain(`/workflows/${encodeURIComponent(`appointment:${booked!.id}`)}`);

    await Promise.all([page.waitForURL(/aviso=status-confirmado/), page.getByTestId('status-confirmado').click()]);
    await expect(page.getByTestId('appointment-status').textContent()).resolves.toBe('Confirmado');

    const ics = await page.request.get(`${stack.webUrl}/agenda/${booked!.id}/ics`);
    expect(ics.status()).toBe(200);
    expect(ics.headers()['content-type']).toContain('text/calendar');
    expect(await ics.text()).toContain('BEGIN:VEVENT');
  });
  it('updates live when the appointment is cancelled elsewhere (a patient by link, the worker): no reload', async () => {
    await page.goto(`${stack.webUrl}/agenda`);
    const block = page.locator(`[data-testid=agenda-appointment][data-id="${booked!.id}"]`);
    await block.waitFor();
    await settled(page);
    const marker = await page.evaluate(() => { (window as unknown as { __same: number }).__same = 42; return 42; });
    await stack.db.update(appointments).set({ status: 'cancelado', cancelReason: 'Cancelado pelo paciente (link)', cancelledAt: new Date() }).where(eq(appointments.id, booked!.id));
    // The week view leaves cancelled appointments out: it vanishes without a reload.
    await expect.poll(async () => block.count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('live-refreshed').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __same?: number }).__same)).toBe(marker); // the same page, not a reload
  });
});
