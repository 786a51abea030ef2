/// <reference lib="dom" />
// The dashboard as a person uses it, in Debian's Chromium: sign in (wrong password first), read the KPIs,
// open a module, sign out. The stack is the real one: seeded database, rollup through Temporal, API, built web.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { clinicMemberships, clinics, payments, users } from '../../db/schema';
import { startStack } from '../support/stack';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshot = path.join(root, 'test-results', 'dashboard.png');


/** "R$ 1.234,56" (Intl puts a no-break space after R$) → 123456 centavos. */
function centavos(text: string): number {
  const m = /R\$\s*([\d.]+),(\d{2})/.exec(text);
  if (!m) throw new Error(`not a BRL amount: ${JSON.stringify(text)}`);
  return Number(m[1]!.replace(/\./g, '') + m[2]);
}

function integer(text: string): number {
  return Number(text.replace(/\D/g, ''));
}

describe('dashboard in the browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    // adapter-node assumes https unless ORIGIN is set; over plain http every form post would then be refused.
    const probe = await fetch(`${stack.webUrl}/login`, {
      method: 'POST',
      headers: { origin: stack.webUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=&password=',
      redirect: 'manual',
    });
    if (probe.status === 403) throw new Error(`the web app refuses its own form posts: start it with ORIGIN=${stack.webUrl}`);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'pt-BR', acceptDownloads: true });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses a wrong password with the pt-BR message', async () => {
    await page.goto(`${stack.webUrl}/`);
    await page.waitForURL(/\/login/);
    expect(await page.title()).toBe('Entrar · Tigre CRM');

    await page.fill('#email', stack.demo.email);
    await page.fill('#password', 'senha-errada-123');
    await page.click('button[type=submit]');

    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect((await error.textContent())?.trim()).toBe('E-mail ou senha inválidos.');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('signs the demo admin in and shows the KPIs of the last 30 days', async () => {
    await page.fill('#email', stack.demo.email);
    await page.fill('#password', stack.demo.password);
    await Promise.all([page.waitForURL(`${stack.webUrl}/`), page.click('button[type=submit]')]);

    expect(await page.title()).toBe('Painel · Tigre CRM');
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Olá, /);
    expect(await page.locator('nav[aria-label="Período"] a[aria-current="page"]').textContent()).toBe('30 dias');

    const revenue = (await page.getByTestId('kpi-revenue-value').textContent()) ?? '';
    expect(revenue).toMatch(/^R\$\s[\d.]+,\d{2}$/);
    expect(centavos(revenue)).toBeGreaterThan(0);
    expect(centavos((await page.getByTestId('kpi-average-ticket-value').textContent()) ?? '')).toBeGreaterThan(0);
    expect(integer((await page.getByTestId('kpi-appointments-value').textContent()) ?? '')).toBeGreaterThan(0);
    expect(integer((await page.getByTestId('kpi-completed-value').textContent()) ?? '')).toBeGreaterThan(0);
    for (const kpi of ['no-shows', 'conversions', 'new-patients']) {
      await expect(page.getByTestId(`kpi-${kpi}-value`).textContent()).resolves.toMatch(/^\d[\d.]*$/);
    }

    await expect(page.getByTestId('computed-at').textContent()).resolves.toMatch(/Atualizado em \d{2}\/\d{2}\/\d{4} às \d{2}:\d{2} · hoje em tempo real/);
    // Every card says what it counts: a tooltip and the card's accessible description (domain/kpis.ts).
    for (const kpi of ['revenue', 'average-ticket', 'appointments', 'completed', 'no-shows', 'conversions', 'new-patients']) {
      const card = page.getByTestId(`kpi-${kpi}`);
      const title = (await card.getAttribute('title')) ?? '';
      expect(title.length, kpi).toBeGreaterThan(20);
      const described = await card.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
      expect(described, kpi).toBe(title);
    }
    expect(await page.getByTestId('kpi-revenue').getAttribute('title')).toContain('reembolsos');
    // Net revenue shows what came in and what went back; conversions are a share of the period's leads.
    const revenueNote = (await page.getByTestId('kpi-revenue').locator('.note').textContent()) ?? '';
    expect(revenueNote).toMatch(/R\$\s[\d.]+,\d{2} recebidos/);
    const gross = centavos(revenueNote);
    const refunds = /− (R\$\s[\d.]+,\d{2}) em reembolsos/.exec(revenueNote);
    expect(centavos(revenue)).toBe(gross - (refunds ? centavos(refunds[1]!) : 0));
    await expect(page.getByTestId('kpi-conversions').locator('.note').textContent()).resolves.toMatch(/^de \d+ leads \(\d+(,\d)?\s?%\)$/);
    expect(await page.locator('[data-testid=revenue-chart] rect').count()).toBeGreaterThan(0);
    // The admin sees every module, Administração included.
    expect(await page.locator('nav[aria-label="Módulos"] a').allTextContents()).toEqual(
      expect.arrayContaining(['Pacientes', 'Agendamentos', 'Chat Anna', 'Lembretes', 'Pagamentos', 'Pesquisa & Feedback', 'Relatórios', 'Administração'].map((l) => expect.stringContaining(l))),
    );

    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
  });

  it('lists last month’s commissions of the demo history and offers to close the month by its name', async () => {
    const now = new Date();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
    const month = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
    const name = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'][last.getUTCMonth()];
    await page.goto(`${stack.webUrl}/pagamentos/comissoes?mes=${month}`);
    const rows = page.locator('[data-testid=commissions-table] tbody tr');
    expect(await rows.count()).toBe(3);
    for (const text of await rows.allTextContents()) expect(centavos(text)).toBeGreaterThan(0);
    expect((await page.getByRole('button', { name: /^Fechar / }).textContent())?.trim()).toBe(`Fechar ${name} de ${last.getUTCFullYear()}`);
    await page.screenshot({ path: path.join(root, 'test-results', 'commissions.png'), fullPage: true });
  });

  it('opens a module page from the navigation', async () => {
    await Promise.all([
      page.waitForURL(`${stack.webUrl}/pacientes`),
      page.locator('nav[aria-label="Módulos"]').getByRole('link', { name: 'Pacientes' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Pacientes');
    // The demo clinic's patients are listed, with CPFs masked.
    await page.locator('main table tbody tr').first().waitFor();
    expect(await page.locator('main table tbody tr').count()).toBeGreaterThan(5);
    expect(await page.locator('main').textContent()).not.toMatch(/\d{3}\.\d{3}\.\d{3}-\d{2}/);
    await page.waitForFunction(() => document.title === 'Pacientes · Tigre CRM');
  });

  it("shows a professional's reviews from the patients on her page", async () => {
    await page.goto(`${stack.webUrl}/admin/profissionais`);
    const first = page.locator('main a[href^="/admin/profissionais/"]').first();
    await Promise.all([page.waitForURL(/\/admin\/profissionais\/[0-9a-f-]{36}$/), first.click()]);
    const reviews = page.getByTestId('professional-reviews');
    await reviews.waitFor();
    // The demo's promoters reviewed the professionals: an average out of 5 and the latest comments.
    expect(await reviews.textContent()).toMatch(/★ \d,\d · \d+ avaliaç/);
    await reviews.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(root, 'test-results', 'professional-reviews.png') });
  });

  it('Administração → Pós-atendimento: saves the survey and coupon settings, refuses a bad value, and edits a text with a gendered preview', async () => {
    const [member] = await stack.db.select({ clinicId: clinicMemberships.clinicId }).from(clinicMemberships)
      .innerJoin(users, eq(users.id, clinicMemberships.userId)).where(eq(users.email, stack.demo.email));
    const clinicSettings = async () => (await stack.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, member!.clinicId)))[0]!.s;
    await page.goto(`${stack.webUrl}/admin/pos-atendimento`);
    await page.fill('#npsDelayHours', '6');
    await page.selectOption('#couponKind', 'cents');
    await page.fill('#couponAmount', '50,00');
    await page.fill('#couponValidityDays', '45');
    await Promise.all([page.waitForURL(/aviso=salvo/), page.getByTestId('save-after-visit').click()]);
    expect(await page.getByRole('status').textContent()).toContain('Configurações do pós-atendimento salvas');
    const saved = await clinicSettings();
    expect(saved).toMatchObject({ npsDelayHours: 6, afterVisit: { detractorCoupon: { discount: { cents: 5000 }, validityDays: 45 } } });
    expect((await page.locator('#coupon-title + p').textContent())?.replace(/\s/g, ' ')).toContain('R$ 50,00 por 45 dias');

    await page.fill('#npsReminderHours', '0');
    await page.getByTestId('save-after-visit').click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.locator('#npsReminderHours ~ .error').textContent()).toContain('entre 1 e 720');
    expect((await clinicSettings()).afterVisit).toEqual(saved.afterVisit);

    await page.goto(`${stack.webUrl}/admin/pos-atendimento?texto=thanks`);
    const body = page.getByTestId('text-body');
    await body.fill('{Obrigada|Obrigado|Valeu}, {paciente}! Foi um prazer cuidar de você na {clinica}.');
    await expect.poll(() => page.getByTestId('text-preview').textContent()).toMatch(/^Obrigada, Maria! Foi um prazer cuidar de você na .+\.$/);
    await page.getByTestId('preview-gender').selectOption('M');
    await expect.poll(() => page.getByTestId('text-preview').textContent()).toMatch(/^Obrigado, Maria!/);
    await Promise.all([page.waitForURL(/aviso=texto-salvo/), page.getByTestId('save-text').click()]);
    expect((await clinicSettings()).afterVisit?.texts?.thanks).toBe('{Obrigada|Obrigado|Valeu}, {paciente}! Foi um prazer cuidar de você na {clinica}.');
    expect(await page.locator('nav[aria-label="Textos"] [aria-current="page"]').textContent()).toContain('da clínica');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(root, 'test-results', 'admin-after-visit.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });

    // An apology without the coupon is flagged in the preview and refused on save, in pt-BR.
    await page.goto(`${stack.webUrl}/admin/pos-atendimento?texto=apology`);
    await page.getByTestId('text-body').fill('Desculpe, {nome}.');
    await expect.poll(() => page.getByTestId('text-problems').textContent()).toContain('precisa conter {cupom}');
    await page.getByTestId('save-text').click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().textContent()).toContain('{nome} não existe');
    expect((await clinicSettings()).afterVisit?.texts?.apology).toBeUndefined();
  });

  it('Administração → Fidelidade e reativação: saves the programme, adds a reward, refuses a bad holdout, in pt-BR', async () => {
    const [member] = await stack.db.select({ clinicId: clinicMemberships.clinicId }).from(clinicMemberships)
      .innerJoin(users, eq(users.id, clinicMemberships.userId)).where(eq(users.email, stack.demo.email));
    const clinicSettings = async () => (await stack.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, member!.clinicId)))[0]!.s;
    await page.goto(`${stack.webUrl}/admin/fidelidade`);
    expect(await page.getByTestId('rewards-table').textContent()).toContain('R$ 50 de desconto');
    await page.fill('#pointsPerReal', '1,5');
    await page.fill('#ouro', '2500');
    await Promise.all([page.waitForURL(/aviso=pontos/), page.getByTestId('save-points').click()]);
    expect(await clinicSettings()).toMatchObject({ loyaltyPointsPerReal: 1.5, loyalty: { pointsPerReal: 1.5, tiers: { ouro: 2500 } } });

    await page.fill('#name', 'Máscara de LED cortesia');
    await page.fill('#pointsRequired', '700');
    await page.selectOption('#kind', 'percent');
    await page.fill('#amount', '100');
    await Promise.all([page.waitForURL(/aviso=recompensa/), page.getByTestId('add-reward').click()]);
    expect(await page.getByTestId('rewards-table').textContent()).toContain('Máscara de LED cortesia');
    expect(await page.getByTestId('rewards-table').textContent()).toContain('cortesia (100%)');
    await expect.poll(() => page.inputValue('#name')).toBe(''); // an empty form for the next one

    const before = (await clinicSettings()).reactivation;
    await page.fill('#holdoutPercent', '200');
    await page.getByTestId('save-reactivation').click();
    await page.locator('#holdoutPercent ~ .error').waitFor();
    expect(await page.locator('#holdoutPercent ~ .error').textContent()).toContain('de 0% a 50%');
    expect((await clinicSettings()).reactivation).toEqual(before);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(root, 'test-results', 'admin-loyalty.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('exports the payments as Excel from Pagamentos: the download opens with its rows and typed cells', async () => {
    await page.goto(`${stack.webUrl}/pagamentos`);
    const link = page.getByTestId('export-pagamentos-xlsx');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(root, 'test-results', 'payments-export.png') });
    await page.setViewportSize({ width: 1366, height: 900 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^pagamentos-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(7).value).toBe('Valor (R$)');
    const [member] = await stack.db.select({ clinicId: clinicMemberships.clinicId }).from(clinicMemberships)
      .innerJoin(users, eq(users.id, clinicMemberships.userId)).where(eq(users.email, stack.demo.email));
    const [{ n }] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(payments).where(eq(payments.clinicId, member!.clinicId));
    expect(ws.rowCount - 1).toBe(n);
    expect(typeof ws.getRow(2).getCell(7).value).toBe('number');
    expect(ws.getRow(2).getCell(1).value).toBeInstanceOf(Date);
  });

  it('signs out back to the login page, and the dashboard asks to sign in again', async () => {
    await Promise.all([page.waitForURL(/\/login\?saiu=1$/), page.getByRole('button', { name: 'Sair' }).first().click()]);
    await expect(page.getByText('Você saiu da sua conta.').isVisible()).resolves.toBe(true);

    await page.goto(`${stack.webUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
