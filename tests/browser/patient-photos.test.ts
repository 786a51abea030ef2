/// <reference lib="dom" />
// Before/after photos on the patient's page, in Debian's Chromium against the real stack (seeded database,
// API with the local storage, built web app): a text file named .jpg is refused in pt-BR; a JPEG with the
// patient's consent shows as a thumbnail (loaded through the web server's signed-link pass-through) with
// its badges; consent is revoked; the photo is deleted after a confirmation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq, gte, isNull } from 'drizzle-orm';
import { type Browser, type Page } from 'playwright-core';
import { hydrating, launchChromium } from '../support/browser';
import { clinicMemberships, coupons, loyaltyAccounts, patientPhotos, patients, rewards, users } from '../../db/schema';
import { startStack } from '../support/stack';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshot = path.join(root, 'test-results', 'patient-photos.png');


describe('patient photos in the browser', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let page: Page;
  let patientId: string;
  let files: string;

  beforeAll(async () => {
    stack = await startStack();
    const [p] = await stack.db.select({ id: patients.id }).from(patients)
      .innerJoin(clinicMemberships, eq(clinicMemberships.clinicId, patients.clinicId))
      .innerJoin(users, eq(users.id, clinicMemberships.userId))
      .where(and(eq(users.email, stack.demo.email), isNull(patients.deletedAt))).limit(1);
    patientId = p!.id;
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-photo-upload-'));
    await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#d4a373' } })
      .withExif({ IFD0: { Make: 'TigreCam' } }).jpeg().toFile(path.join(files, 'depois.jpg'));
    fs.writeFileSync(path.join(files, 'texto.jpg'), 'isto é um texto, não uma foto');
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'pt-BR' });
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
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  it('refuses a text file named .jpg with the pt-BR message', async () => {
    await page.goto(`${stack.webUrl}/pacientes/${patientId}`);
    await expect(page.locator('#photos-title').textContent()).resolves.toBe('Fotos (antes/depois)');
    await page.setInputFiles('#photo-file', path.join(files, 'texto.jpg'));
    await page.getByTestId('photo-upload').locator('button[type=submit]').click();
    await page.getByText('O arquivo não é uma foto em JPEG, PNG, HEIC ou WebP.').waitFor();
    expect(await stack.db.select().from(patientPhotos).where(eq(patientPhotos.patientId, patientId))).toHaveLength(0);
  });

  it('uploads a consented "depois" photo, shows it with its badges, revokes the consent, deletes it', async () => {
    await page.goto(`${stack.webUrl}/pacientes/${patientId}`);
    const form = page.getByTestId('photo-upload');
    await page.setInputFiles('#photo-file', path.join(files, 'depois.jpg'));
    await form.locator('input[name=kind][value=depois]').check();
    await form.locator('input[name=publicityConsent]').check();
    await form.locator('select[name=consentSource]').selectOption('termo assinado');
    await form.locator('button[type=submit]').click();
    await page.getByText('Foto enviada.').waitFor();
    // The form is empty again for the next photo.
    await expect.poll(() => page.locator('#photo-file').evaluate((el: HTMLInputElement) => el.files?.length ?? 0)).toBe(0);
    expect(await form.locator('input[name=publicityConsent]').isChecked()).toBe(false);

    const photo = page.getByTestId('patient-photos').locator('li');
    await expect(photo.count()).resolves.toBe(1);
    await expect(photo.locator('.badge').allTextContents()).resolves.toEqual(['Depois', 'Divulgação autorizada', 'Sem identificação']);
    const img = photo.locator('img');
    expect(await img.getAttribute('src')).toMatch(/^\/api\/files\/photos\/photos%2F.+\?exp=\d+&sig=/);
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(1200);
    const [row] = await stack.db.select().from(patientPhotos).where(eq(patientPhotos.patientId, patientId));
    expect(row).toMatchObject({ kind: 'depois', publicityConsent: true, consentSource: 'termo assinado', width: 1200, height: 900 });
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.locator('#fotos').screenshot({ path: screenshot });

    await photo.getByRole('button', { name: 'Revogar consentimento' }).click();
    await page.getByText('Consentimento revogado: a foto não aparece mais em mensagens.').waitFor();
    await expect(photo.locator('.badge').nth(1).textContent()).resolves.toMatch(/^Consentimento revogado em \d{2}\/\d{2}\/\d{4}/);

    await photo.getByRole('link', { name: 'Excluir' }).click();
    await page.getByTestId('confirm-photo-delete').click();
    await page.getByText('Foto excluída.').waitFor();
    await page.getByText('Ainda não há fotos de antes/depois.').waitFor();
    const [gone] = await stack.db.select().from(patientPhotos).where(eq(patientPhotos.id, row!.id));
    expect(gone!.deletedAt).not.toBeNull();
  });

  it('shows the loyalty balance and tier, redeems a reward for a coupon, and the balance goes down by its points', async () => {
    // A demo patient with enough points for the cheapest reward.
    const [acc] = await stack.db.select({ patientId: loyaltyAccounts.patientId, balance: loyaltyAccounts.balance }).from(loyaltyAccounts)
      .innerJoin(patients, eq(patients.id, loyaltyAccounts.patientId))
      .where(and(isNull(patients.deletedAt), gte(loyaltyAccounts.balance, 300))).orderBy(desc(loyaltyAccounts.balance)).limit(1);
    expect(acc).toBeDefined();
    await page.goto(`${stack.webUrl}/pacientes/${acc!.patientId}`);
    const card = page.getByTestId('patient-loyalty');
    expect((await page.getByTestId('loyalty-balance').textContent())?.replace(/\D/g, '')).toBe(String(acc!.balance));
    expect(await page.getByTestId('loyalty-tier').textContent()).toMatch(/^(Bronze|Prata|Ouro|Platina)$/);
    // The first reward she can still redeem (some demo rewards are once per patient and already used).
    const button = card.locator('button[data-testid^="redeem-"]:not([disabled])').first();
    const rewardId = (await button.getAttribute('data-testid'))!.replace('redeem-', '');
    const [reward] = await stack.db.select().from(rewards).where(eq(rewards.id, rewardId));
    await card.scrollIntoViewIfNeeded();
    await Promise.all([page.waitForURL(/aviso=resgatado/), button.click()]);
    const code = await page.getByTestId('loyalty-coupon').textContent();
    expect(code).toMatch(/^PONTOS-/);
    expect((await page.getByTestId('loyalty-balance').textContent())?.replace(/\D/g, '')).toBe(String(acc!.balance - reward!.pointsRequired));
    expect(await page.getByTestId('loyalty-history').locator('tbody tr').first().textContent()).toContain(`cupom ${code}`);
    const [c] = await stack.db.select().from(coupons).where(eq(coupons.code, code!));
    expect(c).toMatchObject({ origin: 'loyalty', patientId: acc!.patientId });
    await card.screenshot({ path: path.join(process.cwd(), 'test-results', 'patient-loyalty.png') });
  });
});
