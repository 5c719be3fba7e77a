// What the browser suites share: `synod explore` started on a free port (and stopped), pages
// that record their script errors, and the locators the tests use most.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';

export const ARTIFACTS = 'test/artifacts';

/** A screenshot of the top of the page (the state, actions and properties) as a test artifact. */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
}

export interface Served { url: string; child: ChildProcess }

/** Starts `synod explore ...` on a free port and waits for the URL it prints. */
export function serve(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['bin/synod.js', 'explore', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve({ url: m[0], child });
    });
    child.stderr!.on('data', (d) => { err += d; });
    child.on('exit', (code) => reject(new Error(`synod explore exited with ${code}: ${err}`)));
  });
}

export function stop(s: Served | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    s.child.removeAllListeners('exit');
    s.child.on('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

/** Script errors on each page; every test ends by checking there were none. */
const pageErrors = new WeakMap<Page, string[]>();

/** A fresh page at `url`; `tour` false (the default) marks the first-visit tour as seen. */
export async function open(browser: Browser, url: string, { tour = false } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 780 } });
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  if (!tour) await page.addInitScript(() => localStorage.setItem('synod-tour', 'done'));
  await page.goto(url);
  return page;
}

export async function close(page: Page): Promise<void> {
  expect(pageErrors.get(page)).toEqual([]);
  await page.close();
}

export const take = (page: Page, label: string) => page.locator(`button.action[data-label="${label}"]`).click();
export const current = (page: Page, label: string) => page.locator('#trace li.current', { hasText: label }).waitFor();
export const cell = (page: Page, node: string, field: string) => page.locator(`#state tr[data-key="${node}"] td[data-field="${field}"]`);

/** Switches to a bug variant and checks it, waiting for the violation (its trace then loads). */
export async function checkVariant(page: Page, variant: string): Promise<void> {
  await page.selectOption('#variant', variant);
  await page.waitForURL(new RegExp(`variant=${variant}`));
  await page.locator('#check').click();
  await page.locator('#verdict.verdict-violation').waitFor();
}
