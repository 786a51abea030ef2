/// <reference lib="dom" />
// Pesquisa & Feedback (/feedback) as a receptionist uses it, in Debian's Chromium, on the seeded demo
// clinic: the NPS shown is the API's for the same period, a professional's filter changes it to hers, a
// detractor is marked "contatado" with a note (kept in the database), and a period without surveys says
// so. Screenshots at 1440×900 and 390×844 go to /tmp/fb-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, gte, isNotNull } from 'drizzle-orm';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { startStack } from '../support/stack';
import { coupons, feedbackResponses, npsSurveys, upsellOffers } from '../../db/schema';

const shot = (name: string) => `/tmp/fb-${name}.png`;

/** "40", "−12", "—" as the page writes an NPS → the number (null for "—"). */
function nps(text: string | null): number | null {
  const t = (text ?? '').trim();
  if (t === '—') return null;
  return Number(t.replace('−', '-'));
}

interface Summary {
  from: string; to: string; sent: number; answered: number; nps: number | null; detractors: number;
  byProfessional: { id: string; name: string; answered: number; nps: number | null }[];
}

describe('Pesquisa & Feedback in the browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;

  const summary = async (query: Record<string, string>): Promise<Summary> => {
    const res = await fetch(`${stack.apiUrl}/api/feedback/summary?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Summary;
  };
  const period = async () => {
    const p = page.getByTestId('feedback-period');
    return { from: (await p.getAttribute('data-from'))!, to: (await p.getAttribute('data-to'))! };
  };

  beforeAll(async () => {
    stack = await startStack();
    const login = await fetch(`${stack.apiUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stack.demo) });
    token = ((await login.json()) as { token: string }).token;

    // The demo has surveys, comments and reviews; give it one of each of the rest so that every section shows rows.
    const since = new Date(Date.now() - 60 * 86_400_000);
    const recent = (cls: string) => stack.db.select().from(npsSurveys)
      .where(and(eq(npsSurveys.npsClass, cls), eq(npsSurveys.lateAnswer, false), isNotNull(npsSurveys.sentAt), gte(npsSurveys.sentAt, since)))
      .orderBy(desc(npsSurveys.sentAt)).limit(1);
    const [detractor] = await recent('detractor');
    const [neutral] = await recent('neutral');
    const [promoter] = await recent('promoter');
    await stack.db.insert(coupons).values({
      clinicId: detractor.clinicId, code: 'VOLTA-DEMO01', patientId: detractor.patientId, percentOff: 15, origin: 'nps_detractor', surveyId: detractor.id,
      validUntil: new Date(Date.now() + 30 * 86_400_000), createdAt: new Date(detractor.answeredAt!.getTime() + 60_000),
    });
    await stack.db.insert(feedbackResponses).values({
      clinicId: neutral.clinicId, surveyId: neutral.id, appointmentId: neutral.appointmentId, patientId: neutral.patientId,
      aspects: ['pontualidade', 'preco'], comment: 'Esperei uns 20 minutos para ser atendida.', createdAt: new Date(neutral.answeredAt!.getTime() + 120_000),
    });
    await stack.db.insert(upsellOffers).values({
      clinicId: promoter.clinicId, patientId: promoter.patientId, seq: 1, workflowId: `upsell:${promoter.patientId}:1`, surveyId: promoter.id, status: 'enviada',
      reasonText: 'Fez limpeza de pele há 2 meses: a hidratação facial costuma vir em seguida.', sentAt: promoter.answeredAt, createdAt: promoter.answeredAt!,
      expiresAt: new Date(Date.now() + 5 * 86_400_000),
    });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'pt-BR' });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs in and shows the NPS the API computes for the same period', async () => {
    await page.goto(`${stack.webUrl}/login`);
    await page.fill('#email', stack.demo.email);
    await page.fill('#password', stack.demo.password);
    await Promise.all([page.waitForURL(`${stack.webUrl}/`), page.click('button[type=submit]')]);

    await page.goto(`${stack.webUrl}/feedback`);
    expect(await page.title()).toBe('Pesquisa & Feedback · Tigre CRM');
    const p = await period();
    // The default period: the last 90 days up to today.
    expect((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000).toBe(89);
    const api = await summary(p);
    expect(api.answered).toBeGreaterThan(0);
    expect(nps(await page.getByTestId('kpi-nps-value').textContent())).toBe(api.nps);
    expect(await page.getByTestId('kpi-answered-value').textContent()).toMatch(new RegExp(`^${api.answered}\\s*/\\s*${api.sent}$`));
    expect(await page.getByTestId('kpi-detractors').textContent()).toMatch(new RegExp(`^${api.detractors}\\b`));
    expect(await page.locator('[data-testid=nps-trend] circle').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=by-profissional] tbody tr').count()).toBe(api.byProfessional.length);
    await page.screenshot({ path: shot('overview-1440'), fullPage: true });
  });

  it("filters by a professional: the figure becomes hers, as the API says", async () => {
    const p = await period();
    const all = await summary(p);
    // A professional with answers whose NPS differs from the clinic's, so the change shows.
    const pro = all.byProfessional.find((g) => g.answered > 0 && g.nps !== all.nps) ?? all.byProfessional[0];
    await page.getByTestId('filter-professional').selectOption(pro.id);
    await Promise.all([page.waitForURL(/profissional=/), page.getByTestId('apply-filters').click()]);
    const hers = await summary({ ...p, professionalId: pro.id });
    expect(hers.nps).toBe(pro.nps);
    await expect.poll(async () => nps(await page.getByTestId('kpi-nps-value').textContent())).toBe(hers.nps);
    expect(await page.getByTestId('feedback-period').textContent()).toContain(pro.name);
    expect(new URL(page.url()).searchParams.get('profissional')).toBe(pro.id);
    // The address is shareable: opened afresh it shows the same figure.
    await page.reload();
    expect(nps(await page.getByTestId('kpi-nps-value').textContent())).toBe(hers.nps);
  });

  it('marks an open detractor "contatado" with a note, and the note is kept', async () => {
    await page.goto(`${stack.webUrl}/feedback?aba=detratores`);
    const open = page.locator('li[data-testid^="detractor-"].fu-aberto').first();
    await open.waitFor();
    const id = (await open.getAttribute('data-testid'))!.replace('detractor-', '');
    const row = page.getByTestId(`detractor-${id}`);
    // A note too long for the API (the field's own limit taken away): its pt-BR message, in the row, and nothing saved.
    await row.locator('textarea[name=note]').evaluate((el) => el.removeAttribute('maxlength'));
    await row.locator('textarea[name=note]').fill('x'.repeat(1001));
    await row.getByRole('button', { name: 'Salvar' }).click();
    await expect.poll(() => row.getByTestId('follow-up-message').textContent()).toContain('Dados inválidos');
    expect(await row.getByTestId('follow-up-note-error').textContent()).toBe('A anotação deve ter no máximo 1000 caracteres.');
    expect(await row.getByTestId('follow-up-status').textContent()).toBe('Aberto');
    expect((await stack.db.select().from(npsSurveys).where(eq(npsSurveys.id, id)))[0].followUpStatus).toBe('aberto');

    await row.getByLabel('Contatado').check();
    await row.locator('textarea[name=note]').fill('Liguei, pedi desculpas e remarquei um retorno sem custo.');
    await row.getByRole('button', { name: 'Salvar' }).click();
    await expect.poll(() => row.getByTestId('follow-up-status').textContent()).toBe('Contatado');
    expect(await row.getByTestId('follow-up-message').textContent()).toContain('Acompanhamento salvo');
    expect(await row.getByTestId('follow-up-note').textContent()).toContain('Liguei, pedi desculpas');
    await row.screenshot({ path: shot('detractor-row-1440') });

    const [saved] = await stack.db.select().from(npsSurveys).where(eq(npsSurveys.id, id));
    expect(saved).toMatchObject({ followUpStatus: 'contatado', followUpNote: 'Liguei, pedi desculpas e remarquei um retorno sem custo.' });
    expect(saved.followUpAt).not.toBeNull();
    // The coupon issued to a detractor shows in her row.
    expect(await page.locator('li[data-testid^="detractor-"]', { hasText: 'VOLTA-DEMO01' }).count()).toBe(1);
    await page.screenshot({ path: shot('detractors-1440'), fullPage: true });
  });

  it('a period without surveys shows the empty state in Portuguese', async () => {
    await page.goto(`${stack.webUrl}/feedback`);
    await page.fill('input[name=de]', '2001-01-01');
    await page.fill('input[name=ate]', '2001-03-31');
    await Promise.all([page.waitForURL(/de=2001-01-01/), page.getByTestId('apply-filters').click()]);
    const empty = page.getByTestId('feedback-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('Nenhuma pesquisa enviada neste período');
    expect(await page.getByTestId('feedback-period').textContent()).toContain('01/01/2001 a 31/03/2001');
    expect((await summary({ from: '2001-01-01', to: '2001-03-31' })).sent).toBe(0);
    expect(await page.getByTestId('kpi-nps').count()).toBe(0);
    await page.screenshot({ path: shot('empty-1440') });
  });

  it('the other sections render (screenshots)', async () => {
    for (const tab of ['comentarios', 'formularios', 'avaliacoes', 'ofertas', 'cupons']) {
      await page.goto(`${stack.webUrl}/feedback?aba=${tab}`);
      expect(await page.locator(`[data-testid=tab-${tab}][aria-current=page]`).count()).toBe(1);
      expect(await page.locator('main').textContent()).not.toMatch(/undefined|null|NaN/);
      await page.screenshot({ path: shot(`${tab}-1440`), fullPage: true });
    }
    expect(await page.getByTestId('coupons-table').textContent()).toContain('VOLTA-DEMO01');
  });

  it('is usable on a 390px phone: nothing wider than the screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-BR', storageState: await context.storageState() });
    const m = hydrating(await phone.newPage());
    m.setDefaultTimeout(15_000);
    for (const tab of ['visao-geral', 'detratores', 'comentarios', 'ofertas', 'cupons']) {
      await m.goto(`${stack.webUrl}/feedback?aba=${tab}`);
      await m.screenshot({ path: shot(`${tab}-390`) });
      await m.screenshot({ path: shot(`${tab}-390-full`), fullPage: true });
      // Whatever sticks out to the right of the screen (none should).
      const wider = await m.evaluate(() => {
        const width = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll('main *'))
          .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.data-table-wrap, .tabs'))
          .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} → ${Math.round(el.getBoundingClientRect().right)}px`);
      });
      expect(wider, tab).toEqual([]);
      expect(await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), tab).toBeLessThanOrEqual(0);
      if (tab === 'detratores') await m.locator('li[data-testid^="detractor-"]').first().screenshot({ path: shot('detractor-row-390') });
      if (tab === 'visao-geral') await m.getByTestId('by-procedimento').screenshot({ path: shot('by-procedure-390') });
    }
    await phone.close();
  });
});
