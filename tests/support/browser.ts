/// <reference lib="dom" />
// Shared set-up of the browser tests: Debian's Chromium through playwright-core, and pages whose
// goto/reload wait until SvelteKit has hydrated. The `load` event fires before SvelteKit's module
// script has attached the click handlers, so a click right after page.goto() can hit a server-rendered
// button with no handler (seen under CI load: "Pagar com Pix" did nothing). The root layout marks
// <html data-hydrated> once it is mounted; these helpers wait for it on every HTML document.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p)) ?? '/usr/lib/chromium/chromium';
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Waits until the current document is hydrated (a no-op for non-HTML responses such as a PDF). */
export async function hydrated(page: Page, timeout = 15_000): Promise<void> {
  const isHtml = await page.evaluate(() => document.contentType === 'text/html').catch(() => false);
  if (!isHtml) return;
  await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout });
}

/** Makes page.goto and page.reload return only once SvelteKit has hydrated the page. */
export function hydrating(page: Page): Page {
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    await hydrated(page);
    return response;
  };
  page.reload = async (options) => {
    const response = await reload(options);
    await hydrated(page);
    return response;
  };
  return page;
}
