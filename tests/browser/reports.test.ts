/// <reference lib="dom" />
// Relatórios (/relatorios) in Debian's Chromium on the seeded demo clinic: the monthly report of last month
// with its chart and the comparison table (figures as the API has them), the PDF download read back, the
// procedures and professionals tables, and the forecast with its bands and backtest.
// Screenshots at 1440×900 go to /tmp/rel-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { PDFParse } from 'pdf-parse';
import fs from 'node:fs';
import { hydrating, launchChromium } from '../support/browser';
import { startStack } from '../support/stack';

const shot = (name: string) => `/tmp/rel-${name}.png`;
const brl = (cents: number) => new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(cents / 100);

describe('Relatórios in the browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  let token: string;
  const api = async (path: string) => (await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

  beforeAll(async () => {
    stack = await startStack();
    const login = await fetch(`${stack.apiUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stack.demo) });
    token = ((await login.json()) as { token: string }).token;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'pt-BR', acceptDownloads: true });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(15_000);
    await page.goto(`${stack.webUrl}/login`);
    await page.fill('#email', stack.demo.email);
    await page.fill('#password', stack.demo.password);
    await Promise.all([page.waitForURL(`${stack.webUrl}/`), page.click('button[type=submit]')]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("last month's report: the cards, the daily chart and the comparison, as the API counts them; the PDF downloads with the same net revenue", async () => {
    const now = new Date();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 7);
    const report = await api(`/api/reports/monthly?month=${last}`);
    await page.goto(`${stack.webUrl}/relatorios?mes=${last}`);
    expect(await page.getByTestId('month-title').textContent()).toMatch(/ de \d{4}$/);
    expect((await page.getByTestId('kpi-revenue').textContent())!.replace(/\s/g, ' ')).toContain(brl(report.current.figures.revenueCents).replace(/\s/g, ' '));
    expect(report.current.figures.revenueCents).toBeGreaterThan(0); // the demo has a history
    expect(await page.locator('[data-testid=monthly-chart] svg rect').count()).toBeGreaterThan(10);
    expect(await page.getByTestId('monthly-table').locator('tbody tr').count()).toBeGreaterThan(10);
    await page.screenshot({ path: shot('monthly-1440'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`relatorio-mensal-${last}.pdf`);
    const text = (await new PDFParse({ data: new Uint8Array(fs.readFileSync((await download.path())!)) }).getText()).text.replace(/\s+/g, ' ');
    expect(text).toContain(`Faturamento líquido ${brl(report.current.figures.revenueCents).replace(/\s/g, ' ')}`);
    expect(text).toContain('Clínica Bella Pele');
  });

  it('an admin turns on the monthly e-mail: a bad address is refused in place, then it saves', async () => {
    await page.goto(`${stack.webUrl}/relatorios`);
    await page.getByTestId('report-email-enabled').check();
    await page.getByTestId('report-email-recipients').fill('dona@clinica');
    await page.getByTestId('report-email-save').click();
    await expect.poll(async () => page.getByTestId('report-email-message').textContent()).toContain('E-mail inválido');
    await page.getByTestId('report-email-recipients').fill('dona@bellapele.com.br\ngerente@bellapele.com.br');
    await page.getByTestId('report-email-save').click();
    await expect.poll(async () => page.getByTestId('report-email-message').textContent()).toContain('Envio automático ligado');
    expect((await api('/api/admin/report-settings')).monthlyEmail).toEqual({ enabled: true, recipients: ['dona@bellapele.com.br', 'gerente@bellapele.com.br'] });
  });

  it('the procedures and professionals tables, with bars', async () => {
    await page.goto(`${stack.webUrl}/relatorios?aba=procedimentos&dias=90`);
    expect(await page.getByTestId('procedure-row').count()).toBeGreaterThan(3);
    await page.screenshot({ path: shot('procedures-1440'), fullPage: true });
    await page.getByTestId('tab-profissionais').click();
    await page.waitForURL(/aba=profissionais/);
    expect(await page.getByTestId('professional-row').count()).toBe(3);
    await page.screenshot({ path: shot('professionals-1440'), fullPage: true });
  });

  it('the cohorts heatmap and the funnel, as the API counts them', async () => {
    await page.goto(`${stack.webUrl}/relatorios?aba=coortes`);
    const cohorts = await api('/api/reports/cohorts');
    expect(cohorts.rows.length).toBeGreaterThan(0);
    expect(await page.getByTestId('cohort-heatmap').locator('tbody tr').count()).toBe(cohorts.rows.length + 1);
    await page.screenshot({ path: shot('cohorts-1440'), fullPage: true });
    await page.goto(`${stack.webUrl}/relatorios?aba=funil&dias=90`);
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Sao_Paulo' });
    const from = new Date(Date.parse(`${today}T12:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    const funnel = await api(`/api/reports/funnel?from=${from}&to=${today}`);
    for (const st of funnel.steps) expect(await page.getByTestId(`funnel-${st.key}`).locator('.f-count').textContent()).toBe(st.count.toLocaleString('pt-BR'));
    await page.screenshot({ path: shot('funnel-1440'), fullPage: true });
  });

  it('the forecast: bands, the agenda, the backtest against the seasonal naïve', async () => {
    await page.goto(`${stack.webUrl}/relatorios?aba=previsoes&indicador=agendamentos&dias=30`);
    const f = await api('/api/reports/forecast?metric=appointments&horizon=30');
    expect(f.days).toHaveLength(30);
    await page.getByTestId('forecast-chart').waitFor();
    expect(await page.locator('[data-testid=forecast-chart] polygon').count()).toBe(2);
    expect(await page.getByTestId('forecast-total').textContent()).toBe(Math.round(f.totals.mean).toLocaleString('pt-BR'));
    if (f.backtest) expect(await page.getByTestId('forecast-mase').textContent()).toBe(f.backtest.mase.toLocaleString('pt-BR', { maximumFractionDigits: 2 }));
    await page.screenshot({ path: shot('forecast-1440'), fullPage: true });
  });
});
