// The browser the end-to-end tests drive: the Chromium that `npm install` brings inside the
// @sparticuz/chromium package (unpacked on first use), or the binary SYNOD_CHROMIUM names.
import bundled from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

export async function launchChromium(): Promise<Browser> {
  const own = process.env.SYNOD_CHROMIUM;
  if (own) return chromium.launch({ executablePath: own, headless: true, args: ['--no-sandbox'] });
  // The package's flags suit its headless-shell build (software GL, no sandbox), except
  // --single-process: in that mode closing a page closes the whole browser.
  const args = bundled.args.filter((a) => a !== '--single-process');
  return chromium.launch({ executablePath: await bundled.executablePath(), headless: true, args });
}
