#!/usr/bin/env node
// Conduit Frontend bench (not a test): first-load bytes per page, time to the first article list, Lighthouse.
//
//   BASE_URL=http://demo.localhost:8000 node bench/frontend.mjs [--runs 10] [--no-lighthouse] [--desktop]
//
// Needs a running site (make run) serving the built app, frontend/node_modules (npm ci in frontend/) and
// Debian's Chromium (CHROME_PATH, default /usr/bin/chromium). Lighthouse runs through
// `npx --yes lighthouse@<pinned>` so it stays out of the app's dependencies (and out of CI installs).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const LIGHTHOUSE = 'lighthouse@12.8.2';
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'frontend', 'package.json'));
const { chromium, request: pwRequest } = require('@playwright/test');

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 10;
const BASE = (process.env.BASE_URL || 'http://demo.localhost:8000').replace(/\/$/, '');
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const DESKTOP = args.includes('--desktop'); // Lighthouse's desktop preset instead of its default (mobile, 4x CPU slowdown)

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = n => `${(n / 1024).toFixed(1)} KB`;

/** Node cannot resolve *.localhost (Chromium does): API calls go to 127.0.0.1 with the site's Host header. */
function direct(path) {
  const u = new URL(path, BASE);
  const headers = {};
  if (u.hostname.endsWith('.localhost')) {
    headers.Host = u.host;
    u.hostname = '127.0.0.1';
  }
  return { url: u.toString(), headers };
}

async function seed() {
  const api = await pwRequest.newContext();
  const name = `bench${Date.now().toString(36)}`;
  const reg = direct('/api/users');
  const res = await api.post(reg.url, { headers: reg.headers, data: { user: { username: name, email: `${name}@example.com`, password: 'bench-pass-123' } } });
  if (!res.ok()) throw new Error(`register: ${res.status()} ${await res.text()}`);
  const token = (await res.json()).user.token;
  let slug = '';
  for (let i = 0; i < 12; i++) {
    const p = direct('/api/articles');
    const body = `## Section ${i}\n\nSome *markdown* text for the bench article ${i}.\n\n- one\n- two\n`;
    const r = await api.post(p.url, {
      headers: { ...p.headers, Authorization: `Token ${token}` },
      data: { article: { title: `Bench article ${name} ${i}`, description: `About ${i}`, body, tagList: ['bench'] } },
    });
    slug = (await r.json()).article.slug;
  }
  await api.dispose();
  return { username: name, slug };
}

async function firstLoadBytes(browser, pages) {
  const rows = [];
  for (const [label, path] of pages) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = new Map();
    page.on('response', async r => {
      const url = new URL(r.url());
      const type = r.request().resourceType();
      if (url.pathname.startsWith('/api/') || !['document', 'script', 'stylesheet'].includes(type)) return;
      try {
        const body = await r.body();
        seen.set(r.url(), { type, raw: body.length, gz: gzipSync(body, { level: 9 }).length });
      } catch {
        /* redirects have no body */
      }
    });
    await page.goto(BASE + path, { waitUntil: 'networkidle' });
    const sum = t => [...seen.values()].filter(x => x.type === t).reduce((a, x) => a + x.gz, 0);
    rows.push({ label, path, html: sum('document'), js: sum('script'), css: sum('stylesheet') });
    await context.close();
  }
  return rows;
}

async function timeToList(browser) {
  const times = [];
  const nav = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const context = await browser.newContext(); // a cold cache each time
    // stamp the moment the first article preview enters the DOM, in the page itself (not a CDP round trip later)
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('.article-preview h1')) {
          window.__firstList = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    await page.goto(BASE + '/', { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__firstList !== undefined);
    const t = await page.evaluate(() => window.__firstList); // ms since navigation start
    const n = await page.evaluate(() => {
      const e = performance.getEntriesByType('navigation')[0];
      return { ttfb: e.responseStart - e.startTime, dcl: e.domContentLoadedEventEnd - e.startTime };
    });
    if (i > 0) {
      times.push(t); // the first run warms the server
      nav.push(n);
    }
    await context.close();
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), ttfb: median(nav.map(n => n.ttfb)), dcl: median(nav.map(n => n.dcl)) };
}

function lighthouse(path) {
  const dir = mkdtempSync(join(tmpdir(), 'conduit-lh-'));
  const out = join(dir, 'report.json');
  try {
    execFileSync(
      'npx',
      ['--yes', LIGHTHOUSE, BASE + path, '--quiet', '--only-categories=performance,accessibility', '--output=json',
        `--output-path=${out}`, '--chrome-flags=--headless=new --no-sandbox --disable-gpu', '--max-wait-for-load=30000',
        ...(DESKTOP ? ['--preset=desktop'] : [])],
      { env: { ...process.env, CHROME_PATH: CHROME }, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 },
    );
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const score = c => Math.round(report.categories[c].score * 100);
    const audits = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift'];
    const failed = Object.values(report.audits)
      .filter(a => a.score !== null && a.score < 1 && report.categories.accessibility.auditRefs.some(r => r.id === a.id && r.weight > 0))
      .map(a => a.id);
    return { performance: score('performance'), accessibility: score('accessibility'), metrics: Object.fromEntries(audits.map(a => [a, report.audits[a].displayValue])), a11yFailed: failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { username, slug } = await seed();
const browser = await chromium.launch({ executablePath: CHROME });
const pages = [
  ['home', '/'],
  ['article', `/article/${slug}`],
  ['profile', `/profile/${username}`],
  ['search', '/search?q=bench+article&mode=text'],
  ['login', '/login'],
];
console.log(`Conduit Frontend bench against ${BASE} (Chromium ${browser.version()})\n`);
console.log('first load, gzipped (level 9) bytes of the HTML, JS and CSS the page fetched:');
console.log('page      html      js        css       total');
for (const r of await firstLoadBytes(browser, pages)) {
  console.log(`${r.label.padEnd(9)} ${kb(r.html).padEnd(9)} ${kb(r.js).padEnd(9)} ${kb(r.css).padEnd(9)} ${kb(r.html + r.js + r.css)}`);
}
const t = await timeToList(browser);
console.log(`\ntime to the first article list on / (cold context, median of ${RUNS}): ${t.median.toFixed(0)} ms ` +
  `(min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)}; TTFB ${t.ttfb.toFixed(1)} ms, DOMContentLoaded ${t.dcl.toFixed(0)} ms)`);
await browser.close();

if (!args.includes('--no-lighthouse')) {
  console.log(`\nLighthouse (${LIGHTHOUSE}, ${DESKTOP ? 'desktop preset' : 'default: mobile emulation, simulated slow 4G, 4x CPU slowdown'}):`);
  for (const [label, path] of [pages[0], pages[1]]) {
    const r = lighthouse(path);
    console.log(`${label.padEnd(9)} performance ${r.performance}  accessibility ${r.accessibility}  ${JSON.stringify(r.metrics)}` +
      (r.a11yFailed.length ? `  a11y audits not passed: ${r.a11yFailed.join(', ')}` : ''));
  }
}
