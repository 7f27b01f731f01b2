// Checks a built site in real headless Chromium and with two HTML validators:
//   - axe-core on every page, light and dark, 1280 and 360 px wide: no violations;
//   - the figures on the same pages: chart text at 11 CSS px or more, break-even and guide labels
//     clear of each other, of the markers and of every line (measured with getBBox), no page
//     wider than the window, every table scroller that overflows reachable by keyboard and
//     announced by its hint line (and no hint where the table fits);
//   - html-validate (recommended rules less stylistic ones, below) and the Nu validator: no errors.
// Usage: node tests/browser/check.mjs public   (after `npm ci` in tests/browser)
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { HtmlValidate, FileSystemConfigLoader } from 'html-validate';
import { serve } from './serve.mjs';

const require = createRequire(import.meta.url);
const site = path.resolve(process.argv[2] ?? 'public');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const failures = [];
let passed = 0;

function record(what, problems) {
  if (problems.length === 0) {
    passed += 1;
  } else {
    failures.push(`${what}:\n  ${problems.join('\n  ')}`);
  }
}

async function htmlFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await htmlFiles(full));
    else if (entry.name.endsWith('.html')) out.push(full);
  }
  return out.sort();
}

/** Runs in the page: problems with the figures as drawn. */
function figureProblems() {
  const problems = [];
  if (document.documentElement.scrollWidth > innerWidth + 1) {
    problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${innerWidth}px window`);
  }
  for (const wrap of document.querySelectorAll('.be-table-wrap')) {
    const overflows = wrap.scrollWidth > wrap.clientWidth + 1;
    if (overflows && wrap.tabIndex !== 0) {
      problems.push('a table scrolls but a keyboard cannot reach it');
    }
    const hint = wrap.previousElementSibling;
    const shown = hint?.matches('.be-scroll-hint') && hint.getBoundingClientRect().height > 0;
    if (overflows !== Boolean(shown)) {
      problems.push(`a table ${overflows ? 'scrolls without' : 'fits but shows'} its "scroll sideways" hint`);
    }
  }
  for (const svg of document.querySelectorAll('svg.be-chart')) {
    if (svg.getBoundingClientRect().width === 0) continue; // the other layout
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < 11) problems.push(`"${text.textContent}" is ${px.toFixed(1)}px`);
    }
    const labels = [...svg.querySelectorAll('.be-breakeven-label, .be-guide-label')].map((t) => [t.textContent, t.getBBox()]);
    const hit = (b, x, y) => x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height;
    const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    labels.forEach(([name, box], i) => {
      labels.slice(i + 1).forEach(([other, b]) => overlap(box, b) && problems.push(`"${name}" overlaps "${other}"`));
      for (const c of svg.querySelectorAll('circle.be-breakeven')) {
        if (overlap(box, c.getBBox())) problems.push(`"${name}" covers a marker`);
      }
      for (const line of svg.querySelectorAll('polyline.be-series, line.be-guide')) {
        const length = line.getTotalLength();
        for (let d = 0; d <= length; d += 1) {
          const p = line.getPointAtLength(d);
          if (hit(box, p.x, p.y)) { problems.push(`"${name}" covers a line`); break; }
        }
      }
    });
  }
  return problems;
}

async function browserChecks(pages, origin) {
  const browser = await puppeteer.launch({
    executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  try {
    const page = await browser.newPage();
    for (const file of pages) {
      const url = origin + '/' + path.relative(site, file).replace(/index\.html$/, '');
      for (const scheme of ['light', 'dark']) {
        for (const width of [1280, 360]) {
          await page.setViewport({ width, height: 900 });
          await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
          await page.goto(url, { waitUntil: 'load' });
          await page.evaluate(axeSource);
          const result = await page.evaluate(() => axe.run(document));
          const where = `${url.slice(origin.length)} ${scheme} ${width}px`;
          record(`axe ${where}`, result.violations.map((v) =>
            `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0].target.join(' ')}${v.nodes[0].any[0] ? ': ' + v.nodes[0].any[0].message : ''})`));
          record(`figures ${where}`, await page.evaluate(figureProblems));
        }
      }
    }
  } finally {
    await browser.close();
  }
}

// html-validate's recommended rules, less four that are about how markup is written rather
// than what it means: charts carry their colours as inline `style` custom properties with
// fallbacks, the doctype is lower case, prose keeps the author's line ends (trailing spaces
// included), and a long post title is valid (search engines cut it).
const HTML_VALIDATE = {
  root: true,
  extends: ['html-validate:recommended'],
  rules: {
    'no-inline-style': 'off',
    'doctype-style': 'off',
    'no-trailing-whitespace': 'off',
    'long-title': 'off',
  },
};

async function htmlValidate(pages) {
  const validator = new HtmlValidate(new FileSystemConfigLoader(HTML_VALIDATE));
  for (const file of pages) {
    const report = await validator.validateFile(file);
    const errors = report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
    record(`html-validate ${path.relative(site, file)}`, errors);
  }
}

function nuValidator() {
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', site], { stdio: 'pipe' });
    record('Nu validator', []);
  } catch (e) {
    record('Nu validator', String(e.stderr).trim().split('\n'));
  }
}

const pages = await htmlFiles(site);
const server = await serve(site);
try {
  await browserChecks(pages, `http://127.0.0.1:${server.address().port}`);
} finally {
  server.close();
}
await htmlValidate(pages);
nuValidator();
for (const f of failures) console.log(`FAILED ${f}`);
console.log(`browser checks of ${pages.length} pages: ${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
