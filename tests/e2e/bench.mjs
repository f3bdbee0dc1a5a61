// Measures the playground in Chromium on this machine (a benchmark, not a
// test): first interactive paint, the time from an edit to the updated
// build view for the seed project, and the gzipped size of what is shipped.
// Needs a release build in dist/ (`./x build`). Run: node tests/e2e/bench.mjs

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, launchBrowser, requireDist, serveStatic } from './support.mjs';

const EDITS = 20;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

await requireDist();
const server = await serveStatic();
const browser = await launchBrowser();
const { page } = browser;
try {
  // First paint and first interactive paint (editor ready, first build shown),
  // timed in the page as soon as the DOM shows them.
  await page.addInitScript(() => {
    const obs = new MutationObserver(() => {
      if (document.querySelector('.summary .mode')?.textContent === 'Built' && document.querySelector('.cm-host')?.layerlabEditor) {
        window.__interactive = performance.now();
        obs.disconnect();
      }
    });
    obs.observe(document, { subtree: true, childList: true, characterData: true });
  });
  const runs = [];
  for (let i = 0; i < 5; i++) {
    await page.evaluate(() => localStorage.clear()).catch(() => {});
    await page.goto(`${server.url}?bench=${i}`);
    await page.waitForFunction(() => window.__interactive, null, { timeout: 30_000 });
    // The first paint can come after the first build is in the DOM.
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 30_000 });
    runs.push(await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      interactive: window.__interactive,
    })));
  }

  // Edits to Program.cs: keystroke -> build view updated. While a build fits
  // in a frame the page rebuilds on every edit (no debounce: app.rs).
  await page.getByRole('button', { name: 'Program.cs', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.cm-host').layerlabEditor.text().includes('WebApplication'));
  const edits = [];
  const engine = [];
  for (let i = 0; i < EDITS; i++) {
    const ms = await page.evaluate(async (n) => {
      const view = document.querySelector('.cm-host').layerlabEditor.view;
      const panel = document.querySelector('#results-panel');
      let last = 0;
      const seen = new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          last = performance.now();
          if (!document.querySelector('.summary .stale')) {
            obs.disconnect();
            resolve();
          }
        });
        obs.observe(panel, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      const t0 = performance.now();
      view.dispatch({ changes: { from: view.state.doc.length, insert: `// edit ${n}\n` }, userEvent: 'input.type' });
      await seen;
      return last - t0;
    }, i);
    edits.push(ms);
    engine.push(await page.evaluate(() => parseFloat(document.querySelector('#engine-time')?.textContent.replace(/[^0-9.]/g, '') ?? 'NaN')));
  }

  // The Build button right after an edit: the committed build and the render.
  const clicks = [];
  for (let i = 0; i < 10; i++) {
    clicks.push(await page.evaluate(async (n) => {
      const view = document.querySelector('.cm-host').layerlabEditor.view;
      view.dispatch({ changes: { from: view.state.doc.length, insert: `// click ${n}\n` }, userEvent: 'input.type' });
      const panel = document.querySelector('#results-panel');
      let last = 0;
      const obs = new MutationObserver(() => { last = performance.now(); });
      obs.observe(panel, { subtree: true, childList: true, characterData: true, attributes: true });
      const t0 = performance.now();
      document.querySelector('.topbar .btn.primary').click();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      obs.disconnect();
      return last - t0;
    }, i));
    // Let the pending preview run before the next round.
    await page.waitForFunction(() => !document.querySelector('.summary .stale'));
    await page.waitForFunction(() => new Promise((r) => setTimeout(() => r(true), 200)));
  }

  const sizes = {};
  for (const name of await readdir(DIST)) {
    if (!/\.(wasm|js)$/.test(name)) continue;
    const bytes = await readFile(path.join(DIST, name));
    sizes[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const wasm = Object.entries(sizes).filter(([n]) => n.endsWith('.wasm'));
  const js = Object.entries(sizes).filter(([n]) => n.endsWith('.js'));

  console.log('LayerLab playground benchmark (Chromium, this machine, release build)');
  console.log(`first contentful paint:         ${fmt(median(runs.map((r) => r.fcp)))} (median of ${runs.length})`);
  console.log(`first interactive paint:        ${fmt(median(runs.map((r) => r.interactive)))} (editor ready and first build shown; runs: ${runs.map((r) => r.interactive.toFixed(0)).join(', ')})`);
  console.log(`edit -> updated build view:     ${fmt(median(edits))} median, ${fmt(Math.max(...edits))} max (${EDITS} edits of Program.cs: engine, render and the task hop)`);
  console.log(`  engine (analysis + build):    ${fmt(median(engine))} median`);
  console.log(`Build click -> view updated:    ${fmt(median(clicks))} median (a committed build: preview + docker build + render)`);
  for (const [name, s] of [...wasm, ...js]) console.log(`${name.padEnd(44)} ${kb(s.raw).padStart(10)} raw ${kb(s.gzip).padStart(10)} gzip`);
  console.log(`wasm gzip total ${kb(wasm.reduce((a, [, s]) => a + s.gzip, 0))} (budget 400 KB), JS gzip total ${kb(js.reduce((a, [, s]) => a + s.gzip, 0))} (budget 150 KB)`);
} finally {
  await browser.close();
  await server.close();
}
