/// <reference lib="dom" />
// A new WhatsApp number talks to Anna through the simulator page, in Debian's Chromium, against the real
// stack (seeded database, Temporal worker with the local outbox, API, built web app): her greeting comes
// back in the phone thread, the quick reply confirms the number, and three slots arrive as buttons.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { startStack } from '../support/stack';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-results');


describe('simulator: a new number talks to Anna', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'pt-BR' });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(20_000);
    fs.mkdirSync(shots, { recursive: true });
    await page.goto(`${stack.webUrl}/login`);
    await page.fill('#email', stack.demo.email);
    await page.fill('#password', stack.demo.password);
    await Promise.all([page.waitForURL(`${stack.webUrl}/`), page.click('button[type=submit]')]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('greets, confirms the number by quick reply and offers three slots', async () => {
    await page.goto(`${stack.webUrl}/simulador`);
    await page.getByTestId('lead-from').fill('(11) 97777-0101');
    await page.getByLabel('Nome do perfil (opcional)').fill('Mariana');
    await page.getByTestId('lead-text').fill('Oi, quero fazer botox semana que vem de manhã');
    await Promise.all([page.waitForURL(/numero=%2B5511977770101/), page.getByTestId('lead-send').click()]);
    await expect(page.getByTestId('thread-number').textContent()).resolves.toContain('97777-0101');
    // Anna's greeting arrives (the page refreshes the thread every 2 s).
    const greeting = page.getByTestId('msg-outbound').first();
    await greeting.waitFor();
    expect(await greeting.textContent()).toMatch(/Anna/);
    // She asks to confirm the number with quick replies; one click answers.
    const confirm = page.getByTestId('quick-Sim, pode ser este');
    await confirm.waitFor();
    await confirm.click();
    await page.getByTestId('quick-1').or(page.locator('[data-testid^="quick-"]').nth(2)).first().waitFor();
    const outbound = await page.getByTestId('msg-outbound').allTextContents();
    expect(outbound.at(-1)).toMatch(/horários/i);
    expect(await page.locator('[data-testid^="quick-"]').count()).toBe(3);
    await page.screenshot({ path: path.join(shots, 'simulator-lead.png'), fullPage: true });
  }, 90_000);
});
