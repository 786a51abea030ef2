/// <reference lib="dom" />
// Campanhas (/campanhas) in Debian's Chromium on the seeded demo clinic, after what `npm start` does
// (past campaigns replayed, the model trained, today's scores): the at-risk list is sorted by risk with
// its reasons, the minimum-risk and name filters narrow it, the CSV link downloads the list as CSV, the
// Campanhas tab shows an inserted campaign's lift and interval, the Modelo tab the version and its
// calibration, and the patient page the "Risco e valor" card. Screenshots at 1440×900 go to /tmp/camp-*.png.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { startStack } from '../support/stack';
import { insertCampaign, type TargetPlan } from '../support/reactivation';
import { clinics, patientScores, patients } from '../../db/schema';
import { DEMO_CLINIC_NAME } from '../../db/seed';
import { prepareDemoReactivation } from '../../services/reactivation/demo';
import { liftWithInterval } from '../../domain/lifetime';
import { SCORE_FEATURE_NAMES } from '../../domain/patient-score';
import { addLocalDays, localDate } from '../../domain/timezone';
import { percentAlive } from '../../web/src/lib/campaigns';

const shot = (name: string) => `/tmp/camp-${name}.png`;

describe('Campanhas in the browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let clinicId: string;
  let demo: Awaited<ReturnType<typeof prepareDemoReactivation>>;

  beforeAll(async () => {
    stack = await startStack();
    const [c] = await stack.db.select().from(clinics).where(eq(clinics.name, DEMO_CLINIC_NAME));
    clinicId = c.id;
    demo = await prepareDemoReactivation(stack.db, clinicId, new Date());

    // A campaign with a known result: 40 contacted (14 came back, R$ 200 each), 10 held out (1 came back).
    const today = localDate(new Date(), c.timezone);
    const some = await stack.db.select({ id: patients.id }).from(patients).where(eq(patients.clinicId, clinicId)).limit(50);
    const features = SCORE_FEATURE_NAMES.map(() => 0.5);
    const plans: TargetPlan[] = some.map((p, i) => i < 40
      ? { patientId: p.id, arm: 'contacted', features, outcome: i < 14 ? 'voltou' : 'nao_voltou', revenueCents: 20_000, seq: 9 }
      : { patientId: p.id, arm: 'control', features, outcome: i === 40 ? 'voltou' : 'nao_voltou', revenueCents: 20_000 });
    await insertCampaign(stack.db, clinicId, addLocalDays(today, -50), plans);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'pt-BR', acceptDownloads: true });
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

  it('lists the patients at risk, highest first, each with her reasons, value and last visit', async () => {
    await page.getByRole('link', { name: 'Campanhas' }).first().click();
    await page.waitForURL(`${stack.webUrl}/campanhas`);
    expect(await page.title()).toBe('Campanhas · Tigre CRM');
    const rows = page.getByTestId('risk-row');
    await rows.first().waitFor();
    const risks = (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-risk')))));
    expect(risks.length).toBe(50);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    // The first rows are the database's riskiest patients.
    // By default the patients who came at least once (the leads who never came are one tick away).
    const visited = await stack.db.select({ risk: patientScores.risk }).from(patientScores)
      .where(and(eq(patientScores.clinicId, clinicId), isNotNull(patientScores.lastVisitAt))).orderBy(desc(patientScores.risk));
    expect(risks[0]).toBe(visited[0].risk);
    const first = rows.first();
    expect(await first.getByTestId('risk-factors').locator('li').count()).toBeGreaterThan(0);
    expect(await first.getByTestId('risk-factors').textContent()).toMatch(/\S/);
    expect(await first.locator('td').nth(3).textContent()).toMatch(/R\$/);
    expect(await page.getByTestId('risk-count').textContent()).toContain(`${visited.length} pacientes que já vieram`);
    expect(await rows.locator('text=Nunca veio').count()).toBe(0);
    await page.screenshot({ path: shot('risk-1440') });
  });

  it('filters by minimum risk and name', async () => {
    await page.getByTestId('filter-risk').fill('80');
    await Promise.all([page.waitForURL(/risco=80/), page.getByTestId('apply-filters').click()]);
    const risks = await page.getByTestId('risk-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-risk'))));
    expect(risks.length).toBeGreaterThan(0);
    expect(risks.every((r) => r >= 80)).toBe(true);
    const name = (await page.getByTestId('risk-row').first().locator('a.patient-link').textContent())!.trim();
    await page.getByTestId('filter-name').fill(name.split(' ')[0].toUpperCase());
    await Promise.all([page.waitForURL(/nome=/), page.getByTestId('apply-filters').click()]);
    expect(await page.getByTestId('risk-row').first().locator('a.patient-link').textContent()).toContain(name.split(' ')[0]);
    // Ticking "Incluir quem nunca veio" brings the leads in.
    await page.goto(`${stack.webUrl}/campanhas`);
    await page.getByTestId('filter-never').check();
    await Promise.all([page.waitForURL(/nunca=1/), page.getByTestId('apply-filters').click()]);
    expect(await page.getByTestId('risk-count').textContent()).toContain(`${demo.scoring.scored} pacientes`);
    // A name nobody has: the empty state, in pt-BR.
    await page.goto(`${stack.webUrl}/campanhas?nome=zzzz-ninguem`);
    expect(await page.getByTestId('risk-empty').textContent()).toContain('Nenhuma paciente com esses filtros');
    // A bad minimum risk is said so, and the list shows everyone.
    await page.goto(`${stack.webUrl}/campanhas?risco=abc`);
    expect(await page.locator('.field-error').textContent()).toContain('O risco mínimo deve ser um número inteiro de 0 a 100');
    expect(await page.getByTestId('risk-row').count()).toBe(50);
  });

  it('the CSV link downloads the filtered list as CSV', async () => {
    await page.goto(`${stack.webUrl}/campanhas?risco=70`);
    const href = await page.getByTestId('csv-export').getAttribute('href');
    expect(href).toBe('/campanhas/exportar?risco=70');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^pacientes-em-risco-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await download.path();
    const text = fs.readFileSync(file!, 'utf8').replace(/^\uFEFF/, '');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^Paciente;Telefone;Última visita;Dias sem vir;Risco \(0–100\);/);
    const rows = lines.slice(1).map((l) => l.split(';'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => Number(r[4]) >= 70)).toBe(true);
    expect(rows[0][7]).toMatch(/^\d+,\d{2}$/);
    // Through the web server the content type is CSV too.
    const res = await page.request.get(`${stack.webUrl}${href}`);
    expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('the Campanhas tab shows the inserted campaign\'s lift with its interval, and the explanation', async () => {
    await page.getByTestId('tab-campanhas').click();
    await page.waitForURL(/aba=campanhas/);
    expect(await page.getByTestId('holdout-explainer').textContent()).toContain('grupo de controle');
    const day = addLocalDays(localDate(new Date(), 'America/Sao_Paulo'), -50);
    const row = page.locator(`[data-testid=campaign-row][data-day="${day}"]`);
    await row.waitFor();
    const expected = liftWithInterval({ contacted: { n: 40, returned: 14 }, control: { n: 10, returned: 1 } });
    const pp = (x: number) => (Math.round(x * 1000) / 10).toLocaleString('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const lift = await row.getByTestId('campaign-lift').textContent();
    expect(lift).toContain('+25,0 p.p.');
    expect(lift).toContain(`de ${expected.low! < 0 ? '−' : '+'}${pp(Math.abs(expected.low!))} a +${pp(expected.high!)} p.p.`);
    expect(await row.textContent()).toMatch(/R\$\s2\.800,00/);
    expect(await page.getByTestId('total-lift').textContent()).toMatch(/p\.p\.$/);
    expect(await page.getByTestId('lift-verdict').textContent()).toMatch(/campanhas encerradas|campanha encerrada/);
    await page.screenshot({ path: shot('campaigns-1440'), fullPage: true });
  });

  it('the Modelo tab shows the trained version, its AUC and calibration', async () => {
    await page.getByTestId('tab-modelo').click();
    await page.waitForURL(/aba=modelo/);
    if (demo.training?.trained) {
      expect(await page.getByTestId('model-latest').textContent()).toContain(`v${demo.training.version}`);
      expect(await page.locator('[data-testid=calibration-chart] circle').count()).toBeGreaterThan(0);
    } else {
      expect(await page.getByTestId('model-empty').textContent()).toContain('Nenhum modelo treinado ainda');
    }
    await page.screenshot({ path: shot('model-1440'), fullPage: true });
  });

  it('the Fidelidade tab shows the points of the period, the chart by month, the members per tier and the rewards, as the API counts them', async () => {
    await page.goto(`${stack.webUrl}/campanhas`);
    await page.getByTestId('tab-fidelidade').click();
    await page.waitForURL(/aba=fidelidade/);
    const login = await fetch(`${stack.apiUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stack.demo) });
    const { token } = await login.json() as { token: string };
    const today = localDate(new Date(), 'America/Sao_Paulo');
    const api = await (await fetch(`${stack.apiUrl}/api/loyalty/overview?from=${addLocalDays(today, -364)}&to=${today}`, { headers: { authorization: `Bearer ${token}` } })).json();
    const int = (n: number) => n.toLocaleString('pt-BR');
    expect(await page.getByTestId('loyalty-issued').textContent()).toBe(int(api.totals.creditados.points));
    expect(await page.getByTestId('loyalty-outstanding').textContent()).toBe(int(api.outstandingPoints));
    expect(api.totals.creditados.points).toBeGreaterThan(0); // the demo clinic's seeded programme
    expect(await page.locator('[data-testid=loyalty-chart] rect.credit').count()).toBe(api.months.length);
    for (const t of api.members) expect(await page.getByTestId(`tier-${t.tier}`).locator('td').first().textContent()).toBe(int(t.members));
    await page.screenshot({ path: shot('loyalty-1440'), fullPage: true });
    await page.getByRole('link', { name: 'Últimos 30 dias' }).click();
    await page.waitForURL(/periodo=30/);
    const month = await (await fetch(`${stack.apiUrl}/api/loyalty/overview?from=${addLocalDays(today, -29)}&to=${today}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(await page.getByTestId('loyalty-issued').textContent()).toBe(int(month.totals.creditados.points));
  });

  it('the patient page shows the "Risco e valor" card', async () => {
    const [s] = await stack.db.select().from(patientScores).where(eq(patientScores.clinicId, clinicId)).orderBy(desc(patientScores.risk)).limit(1);
    await page.goto(`${stack.webUrl}/pacientes/${s.patientId}`);
    const card = page.getByTestId('patient-risk');
    await card.waitFor();
    expect(await card.getByTestId('patient-risk-value').textContent()).toBe(`${s.risk}/100`);
    expect(await card.getByTestId('patient-risk-alive').textContent()).toBe(percentAlive(s.pAlive));
    expect(await card.getByTestId('patient-risk-clv').textContent()).toMatch(/^R\$\s?[\d.]+,\d{2}$/);
    expect(await card.getByTestId('patient-risk-factors').locator('li').count()).toBe(s.factors.length);
    expect(await card.textContent()).toContain(s.modelVersion === null ? 'pontuação base' : `modelo v${s.modelVersion}`);
    // Just before the loyalty card.
    const order = await page.evaluate(() => Array.from(document.querySelectorAll('[data-testid=patient-risk], [data-testid=patient-loyalty]')).map((e) => e.getAttribute('data-testid')));
    expect(order).toEqual(['patient-risk', 'patient-loyalty']);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('patient-1440') });
  });
});
