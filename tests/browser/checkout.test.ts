/// <reference lib="dom" />
// The local checkout as a patient uses it, in Debian's Chromium: staff create a charge through the API,
// the patient opens /p/pagar/{checkout} on a phone-sized screen, pays with Pix and sees the approval;
// the payment is approved in the database.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { type Browser, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { startStack } from '../support/stack';
import { patients, payments } from '../../db/schema';


describe('local checkout in the browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    const login = await fetch(`${stack.apiUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stack.demo) });
    token = ((await login.json()) as { token: string }).token;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-BR' });
    page = hydrating(await context.newPage());
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('pays a payment link with Pix and shows "Pagamento aprovado"', async () => {
    const [patient] = await stack.db.select({ id: patients.id }).from(patients).limit(1);
    const res = await fetch(`${stack.apiUrl}/api/payments`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ patientId: patient.id, amountCents: 15000, description: 'Limpeza de pele', methods: ['card', 'pix'] }),
    });
    expect(res.status).toBe(201);
    const { payment, checkout } = (await res.json()) as { payment: { id: string }; checkout: { id: string; url: string } };
    expect(checkout.url).toContain(`/p/pagar/${checkout.id}`);

    await page.goto(`${stack.webUrl}/p/pagar/${checkout.id}`);
    await expect.poll(() => page.getByTestId('pay-title').textContent()).toBe('Pagamento');
    expect((await page.getByTestId('pay-amount').textContent())?.replace(/\s/g, ' ')).toBe('R$ 150,00');
    await page.getByTestId('show-pix').click();
    expect(await page.getByTestId('pix-code').inputValue()).toMatch(/^000201/);
    await page.getByTestId('pay-pix').click();
    await expect.poll(() => page.getByTestId('pay-title').textContent()).toBe('Pagamento aprovado');
    expect(await page.getByTestId('pay-status').getAttribute('data-status')).toBe('pago');

    const [row] = await stack.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ status: 'aprovado', method: 'pix' });

    // Reloading the page keeps showing the approval; the buttons are gone.
    await page.reload();
    expect(await page.getByTestId('pay-title').textContent()).toBe('Pagamento aprovado');
    expect(await page.getByTestId('pay-pix').count()).toBe(0);
  });

  it('staff see the paid charge in Pagamentos, with totals and a receipt link', async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(`${stack.webUrl}/login`);
    await page.fill('#email', stack.demo.email);
    await page.fill('#password', stack.demo.password);
    await Promise.all([page.waitForURL(`${stack.webUrl}/`), page.click('button[type=submit]')]);
    await page.goto(`${stack.webUrl}/pagamentos?status=aprovado&forma=pix`);
    const row = page.getByTestId('payments-table').locator('tr', { hasText: 'Limpeza de pele' }).first();
    expect(await row.textContent()).toContain('Pago');
    expect(await row.getByRole('link', { name: 'Comprovante' }).count()).toBe(1);
    expect(await page.getByTestId('payments-totals').textContent()).toContain('Recebido');
    const href = await row.getByRole('link', { name: 'Comprovante' }).getAttribute('href');
    const pdf = await page.request.get(`${stack.webUrl}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    await row.getByRole('link').first().click();
    await page.waitForURL(/\/pagamentos\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('payment-status').textContent()).toBe('Pago');
    await page.goto(`${stack.webUrl}/pagamentos/planos`);
    expect(await page.getByTestId('plans-table').count()).toBe(1);
    await page.goto(`${stack.webUrl}/pagamentos/comissoes`);
    expect(await page.locator('h1').textContent()).toBe('Comissões');
    expect(await page.getByTestId('commissions-table').count()).toBe(1);
    await page.goto(`${stack.webUrl}/pagamentos/conciliacao`);
    expect(await page.getByTestId('reconciliation-local').textContent()).toContain('Sem Stripe configurado');
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('staff record a payment with a coupon in Pagamentos; the same code a second time is refused in pt-BR', async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    const issued = await fetch(`${stack.apiUrl}/api/coupons`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amountOffCents: 3000, validityDays: 10 }),
    });
    expect(issued.status).toBe(201);
    const { coupon } = (await issued.json()) as { coupon: { id: string; code: string } };
    const record = async () => {
      await page.goto(`${stack.webUrl}/pagamentos`);
      await page.getByTestId('open-manual').click();
      const form = page.locator('form[action="?/manual"]');
      const first = await form.locator('select[name=patientId] option').nth(1).getAttribute('value');
      await form.locator('select[name=patientId]').selectOption(first!);
      await form.locator('input[name=amount]').fill('200,00');
      await form.locator('input[name=description]').fill('Peeling com cupom');
      await form.getByTestId('coupon-code').fill(coupon.code.toLowerCase());
      await form.locator('button[type=submit]').click();
    };
    await record();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Recebimento registrado');
    const [row] = await stack.db.select().from(payments).where(eq(payments.couponId, coupon.id));
    expect(row).toMatchObject({ amountCents: 17000, discountCents: 3000, status: 'aprovado' });
    await page.goto(`${stack.webUrl}/pagamentos`);
    const listed = page.getByTestId('payments-table').locator('tr', { hasText: 'Peeling com cupom' }).first();
    expect((await listed.textContent())?.replace(/\s+/g, ' ')).toContain('cupom −R$ 30,00');
    fs.mkdirSync('/tmp/shots', { recursive: true });
    await page.screenshot({ path: '/tmp/shots/pagamentos-cupom.png' });

    await record();
    await expect.poll(() => page.getByTestId('payments-error').textContent()).toContain('já foi usado');
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('an unknown link says so', async () => {
    await page.goto(`${stack.webUrl}/p/pagar/00000000-0000-4000-8000-000000000000`);
    expect(await page.getByTestId('pay-title').textContent()).toBe('Link de pagamento inválido');
  });
});
