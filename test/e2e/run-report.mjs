#!/usr/bin/env node
// The HTML report of `cython-lens report --html` as a reader meets it, in Debian's chromium (playwright-core from
// scripts/setup-e2e.sh): the index opens from disk with nothing loaded from elsewhere, its tables sort on a click, a
// function links to its line on the file's page, and a yellow line expands to its reasons.
//
// usage: node test/e2e/run-report.mjs [PATH...] [--out DIR] [--screenshots] [-- CLI OPTIONS]
//   PATH: what to report on (default: examples/); --out: where the report goes (default: test-results/report);
//   --screenshots: also save images/screenshots/project-report.png and project-report-file.png (the README's pictures,
//   taken on a real project: see README "Project report"). Prints one line per check, then "N passed, N failed".
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = path.join(process.env.CYTHON_LENS_CACHE ?? path.join(os.homedir(), '.cache/cython-lens'), 'e2e');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const argv = process.argv.slice(2);
const dd = argv.indexOf('--');
const cliOptions = dd >= 0 ? argv.splice(dd).slice(1) : [];
const opt = (name) => { const i = argv.indexOf(name); if (i < 0) return undefined; const v = argv[i + 1]; argv.splice(i, 2); return v; };
const flag = (name) => { const i = argv.indexOf(name); if (i < 0) return false; argv.splice(i, 1); return true; };
const out = path.resolve(opt('--out') ?? path.join(REPO, 'test-results/report'));
const screenshots = flag('--screenshots');
const paths = argv.length ? argv : [path.join(REPO, 'examples')];

const { chromium } = await import(pathToFileURL(path.join(CACHE, 'node_modules/playwright-core/index.mjs')).href);
fs.rmSync(out, { recursive: true, force: true });
const python = fs.existsSync(path.join(REPO, '.venv/bin/python')) ? path.join(REPO, '.venv/bin/python') : undefined;
try {
  execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'report', '--html', out, ...cliOptions, ...paths],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...(python && !process.env.CYTHON_LENS_PYTHON ? { CYTHON_LENS_PYTHON: python } : {}) } });
} catch (e) {
  if (e.status !== 1) throw e; // 1 = the project has errors: the report is written all the same
}

let passed = 0, failed = 0;
const check = async (name, fn) => {
  try { await fn(); passed++; console.log(`PASS ${name}`); } catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
};
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const requests = [];
page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
const index = pathToFileURL(path.join(out, 'index.html')).href;

await check('the index opens from disk and loads nothing from elsewhere', async () => {
  await page.goto(index);
  const cards = await page.locator('.card').allInnerTexts();
  if (!cards.some((c) => /without the GIL/.test(c))) throw new Error(`summary cards: ${JSON.stringify(cards)}`);
  if (requests.length) throw new Error(`requests: ${requests.join(', ')}`);
});
await check('a click on "total score" sorts the files by it, a second click the other way', async () => {
  const header = page.locator('#files th', { hasText: 'total score' });
  const scores = async () => (await page.locator('#files tbody tr td:nth-child(7)').evaluateAll((tds) => tds.map((t) => Number(t.getAttribute('data-v')))));
  await header.click();
  const up = await scores();
  if (up.join() !== [...up].sort((a, b) => a - b).join()) throw new Error(`not ascending: ${up}`);
  await header.click();
  const down = await scores();
  if (down.join() !== [...down].sort((a, b) => b - a).join()) throw new Error(`not descending: ${down}`);
  if (screenshots) await page.screenshot({ path: path.join(REPO, 'images/screenshots/project-report.png') });
});
await check('a hot function links to its line, which expands to its reasons', async () => {
  await page.goto(index);
  const link = page.locator('#functions tbody a').first();
  const href = await link.getAttribute('href');
  if (!href) throw new Error('no function listed');
  await link.click();
  await page.waitForURL((u) => u.href.includes(href.split('#')[0]));
  const target = page.locator(`[id="${href.split('#')[1]}"]`);
  await target.waitFor({ timeout: 5000 });
  // the function's own line when it is yellow (its header usually is), else the first yellow line of the page
  const own = page.locator(`details[id="${href.split('#')[1]}"]`);
  const yellow = (await own.count()) ? own : page.locator('.src details').first();
  await yellow.locator('summary').click();
  const why = await yellow.locator('.why').innerText();
  if (!/score \d+/.test(why)) throw new Error(`expanded line says ${JSON.stringify(why)}`);
  if (screenshots) {
    await yellow.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(REPO, 'images/screenshots/project-report-file.png') });
  }
});
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
