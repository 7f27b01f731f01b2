// Takes the README's screenshots: a post's four-offer crossover chart, light and dark, at 1280 px,
// from a built site in headless Chromium. Run after a build to refresh them:
//   cargo run --release -- build && node tests/browser/screenshots.mjs public docs
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { serve } from './serve.mjs';

const [site = 'public', out = 'docs'] = process.argv.slice(2);
const POST = '/blog/posts/when-does-serverless-stop-being-cheap/';
// The chart with the most lines, break-evens and labels: the one that shows most of the layout.
const FIGURE = 'figure.be-crossover:has(.be-series-4)';
const MARGIN = 24;

const server = await serve(site);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 1000 });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await page.goto(`http://127.0.0.1:${server.address().port}${POST}`, { waitUntil: 'load' });
    const figure = await page.$(FIGURE);
    if (!figure) throw new Error(`no ${FIGURE} on ${POST}`);
    const box = await figure.boundingBox();
    const file = path.join(out, `screenshot-${scheme}.png`);
    await page.screenshot({
      path: file,
      captureBeyondViewport: true,
      clip: { x: box.x - MARGIN, y: box.y - MARGIN, width: box.width + 2 * MARGIN, height: box.height + 2 * MARGIN },
    });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  server.close();
}
