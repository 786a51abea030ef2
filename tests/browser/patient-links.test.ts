/// <reference lib="dom" />
// The patient's signed links on a phone, in Debian's Chromium, against the real stack (seeded database,
// Temporal worker, API, built web app): confirm a seeded upcoming appointment, open the link again and see
// it already confirmed; cancel another with a reason; a tampered link shows a clear page and changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, gt } from 'drizzle-orm';
import { devices, type Browser, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { loadEnv, secrets } from '../../config/env';
import { appointments } from '../../db/schema';
import { signAppointmentLink } from '../../domain/signed-links';
import { startStack } from '../support/stack';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshot = path.join(root, 'test-results', 'patient-confirm.png');
const secret = secrets(loadEnv({ NODE_ENV: 'test' })).linkSecret;


describe('patient confirm/cancel links in the browser (mobile)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  let upcoming: { id: string; startsAt: Date }[];

  beforeAll(async () => {
    stack = await startStack();
    upcoming = await stack.db.select({ id: appointments.id, startsAt: appointments.startsAt }).from(appointments)
      .where(and(eq(appointments.status, 'agendado'), gt(appointments.startsAt, new Date(Date.now() + 3 * 3_600_000))))
      .orderBy(asc(appointments.startsAt)).limit(2);
    if (upcoming.length < 2) throw new Error('the demo seed has no upcoming agendado appointments');
    browser = await launchChromium();
    const { defaultBrowserType: _ignored, ...phone } = devices['Pixel 5'];
    const context = await browser.newContext({ ...phone, locale: 'pt-BR' });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const link = (a: { id: string; startsAt: Date }, action: 'confirm' | 'cancel') =>
    `${stack.webUrl}/p/c/${signAppointmentLink(secret, { appointmentId: a.id, action, exp: a.startsAt.getTime() })}`;

  it('confirms a seeded upcoming appointment; opening the link again shows it already confirmed', async () => {
    const a = upcoming[0]!;
    await page.goto(link(a, 'confirm'));
    await expect(page.getByTestId('link-title').textContent()).resolves.toBe('Confirme sua presença');
    await expect(page.getByTestId('appointment-summary').textContent()).resolves.toMatch(/\d{2}\/\d{2} às \d{2}:\d{2}/);
    // Mobile-first: the card fits the phone's width, no horizontal scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await page.getByTestId('confirm-button').click();
    await page.getByText('Presença confirmada!').waitFor();
    await expect(page.getByTestId('link-status').getAttribute('data-state')).resolves.toBe('confirmed');
    const [row] = await stack.db.select({ status: appointments.status }).from(appointments).where(eq(appointments.id, a.id));
    expect(row!.status).toBe('confirmado');
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });

    await page.goto(link(a, 'confirm'));
    await expect(page.getByTestId('link-title').textContent()).resolves.toBe('Presença já confirmada');
    expect(await page.getByTestId('confirm-button').count()).toBe(0);
  });

  it('cancels with a reason; a tampered link shows a clear page', async () => {
    const a = upcoming[1]!;
    await page.goto(link(a, 'cancel'));
    await expect(page.getByTestId('link-title').textContent()).resolves.toBe('Cancelar agendamento');
    await page.fill('#reason', 'Imprevisto no trabalho');
    await page.getByTestId('cancel-button').click();
    await page.getByText('Agendamento cancelado').first().waitFor();
    const [row] = await stack.db.select({ status: appointments.status, reason: appointments.cancelReason }).from(appointments).where(eq(appointments.id, a.id));
    expect(row).toEqual({ status: 'cancelado', reason: 'Cancelado pelo paciente (link): Imprevisto no trabalho' });

    const tampered = link(upcoming[0]!, 'cancel').replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    await page.goto(tampered);
    await expect(page.getByTestId('link-title').textContent()).resolves.toBe('Link inválido');
    await expect(page.getByTestId('link-error').getAttribute('data-code')).resolves.toBe('link_invalid');
    const [still] = await stack.db.select({ status: appointments.status }).from(appointments).where(eq(appointments.id, upcoming[0]!.id));
    expect(still!.status).toBe('confirmado');
  });
});
