// The Build view's stage graph (aspnetapp's two stages, an edge from build to
// the final stage, a stage greyed when `--target` does not need it), the
// Layers view's stage picker (the build stage on the sdk's layers), a large
// imported build context kept across a reload (IndexedDB: it does not fit in
// local storage), and the Build button running one build, not two.
// Screenshots: target/e2e/stage-graph.png, stage-layers.png,
// large-context-reload.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocal, tarGz, usePlayground } from './support.mjs';
import { TIMEOUT, shot, typeInEditor, waitFor } from './ui.mjs';

const pg = usePlayground();

/** `n` bytes that do not compress (xorshift32 from `seed`): never valid UTF-8 for long. */
function noise(n, seed) {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  return out;
}

const mode = () => document.querySelector('.summary .mode')?.textContent;
const builds = () => performance.getEntriesByName('layerlab:build', 'measure').length;

test('the stage graph draws aspnetapp: build → final, and greys a stage --target skips', async (t) => {
  const { page } = pg.browser;
  await page.goto(pg.server.url);
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built');

  const stages = page.locator('.stage-graph .graph-node.stage-node');
  assert.equal(await stages.count(), 2);
  assert.deepEqual(await stages.evaluateAll((els) => els.map((e) => e.dataset.stage)), ['build', 'stage-1']);
  const edge = page.locator('.graph-edge[data-from="build"][data-to="stage-1"]');
  assert.equal(await edge.count(), 1, 'an edge from build to the final stage');
  assert.equal((await edge.locator('.edge-label').textContent()).trim(), 'COPY --from');
  assert.equal(await page.locator('.graph-node.target').getAttribute('data-stage'), 'stage-1');
  const build = page.locator('.graph-node[data-stage="build"]');
  assert.match(await build.getAttribute('aria-label'), /^Stage build, FROM mcr\.microsoft\.com\/dotnet\/sdk:8\.0, 8 steps/);
  assert.match(await build.locator('.node-base').textContent(), /^FROM .*dotnet\/sdk:8\.0$/);
  // The build stage is left of the final stage.
  const [bx, fx] = [await build.boundingBox(), await page.locator('.graph-node[data-stage="stage-1"]').boundingBox()];
  assert.ok(bx.x + bx.width <= fx.x, 'left to right by dependency');

  // Keyboard: the stage box after the build controls takes the focus
  // (tabindex 0), and Enter shows its steps.
  await page.getByLabel('Target stage (--target)').focus();
  for (let i = 0; i < 6 && await page.evaluate(() => !document.activeElement?.classList?.contains('graph-node')); i++) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.stage), 'build');
  await page.keyboard.press('Enter');
  await page.locator('section.stage.highlighted[aria-label="Stage build"]').waitFor();
  assert.equal(await build.getAttribute('aria-pressed'), 'true');
  assert.ok(await page.locator('#stage-steps-build').evaluate((el) => {
    const r = el.getBoundingClientRect();
    const pane = el.closest('.view')?.parentElement ?? document.documentElement;
    const p = pane.getBoundingClientRect();
    return r.top < p.bottom && r.bottom > p.top;
  }), 'the build stage\'s steps are scrolled into view');
  // A click picks the other stage.
  await page.locator('.graph-node[data-stage="stage-1"]').click();
  await page.locator('section.stage.highlighted[aria-label="Stage stage-1"]').waitFor();
  assert.equal(await page.locator('section.stage.highlighted').count(), 1);

  // --target build: the final stage is not needed, greyed with the reason.
  await page.getByLabel('Target stage (--target)').selectOption('build');
  await waitFor(page, () => document.querySelector('.graph-node[data-stage="stage-1"]')?.classList.contains('skipped'));
  const skipped = page.locator('.graph-node.skipped[data-stage="stage-1"]');
  assert.equal(await skipped.locator('.node-status').textContent(), 'not needed for target build');
  assert.match(await skipped.getAttribute('aria-label'), /skipped: not needed for target build/);
  assert.equal(await page.locator('.graph-node.target').getAttribute('data-stage'), 'build');
  assert.ok((await edge.getAttribute('class')).includes('inactive'), 'the edge to a skipped stage is greyed');
  await page.locator('.stage-graph').scrollIntoViewIfNeeded();
  await shot(page, t, 'stage-graph.png');
  await page.getByLabel('Target stage (--target)').selectOption('');
  await waitFor(page, () => !document.querySelector('.graph-node.skipped'));
});

test("the Layers view's stage picker shows the build stage's layers", async (t) => {
  const { page } = pg.browser;
  await page.getByRole('tab', { name: 'Layers' }).click();
  await page.locator('.layers-view').waitFor();
  const picker = page.getByLabel('Stage whose layers are shown');
  assert.equal(await picker.inputValue(), 'stage-1', 'the image built is shown first');
  assert.match(await page.locator('.layer.base').first().textContent(), /from mcr\.microsoft\.com\/dotnet\/aspnet:8\.0/);

  await picker.selectOption('build');
  await page.locator('.stage-layers[data-stage="build"]').waitFor();
  const base = page.locator('.stage-layers .layer.base');
  assert.ok(await base.count() >= 2, 'the sdk\'s layers');
  for (const text of await base.locator('.layer-src').allTextContents()) {
    assert.equal(text, 'from mcr.microsoft.com/dotnet/sdk:8.0');
  }
  const own = page.locator('.stage-layers .layer.own');
  assert.ok(await own.count() >= 4, 'the build stage\'s own layers');
  const sln = own.filter({ has: page.locator('.layer-cmd', { hasText: 'COPY *.sln' }) });
  await sln.locator('summary').click();
  assert.equal((await sln.locator('summary').textContent()).trim(), 'Files: 1 added');
  assert.equal(await sln.locator('.change code').textContent(), '/source/aspnetapp.sln');
  assert.ok(await own.filter({ has: page.locator('.layer-cmd', { hasText: 'dotnet publish' }) }).count() === 1);
  assert.match(await page.locator('.stage-note').textContent(), /intermediate stage/);
  await shot(page, t, 'stage-layers.png');

  await picker.selectOption('stage-1');
  await waitFor(page, () => !document.querySelector('.stage-layers'));
  assert.match(await page.locator('.layer.base').first().textContent(), /aspnet:8\.0/);
});

test('the Build button and Ctrl+Enter run one build each', async () => {
  const { page } = pg.browser;
  await page.getByRole('tab', { name: 'Build' }).click();
  await page.getByRole('button', { name: 'Program.cs', exact: true }).click();
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().includes('WebApplication'));

  for (const press of ['button', 'keys']) {
    // An edit: its live preview (one build) is shown first.
    await typeInEditor(page, `// ${press}\n`);
    await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Preview'
      && !document.querySelector('.summary .stale'));
    const before = await page.evaluate(builds);
    if (press === 'button') {
      await page.locator('.topbar .btn.primary').click();
    } else {
      await page.keyboard.press('Control+Enter');
    }
    await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
    // Longer than the edit debounce: a second build would have run by now.
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(builds) - before, 1, `${press}: one build`);
    assert.equal(await page.evaluate(mode), 'Built');
    // The steps and the CLI's output are that one build's.
    const id = (await page.locator('.summary .image-id').textContent()).match(/sha256:([0-9a-f]{12})/)[1];
    assert.match(await page.locator('.progress pre').textContent(), new RegExp(`writing image sha256:${id}`));
  }
});

test('a large imported context (> 6 MB) survives a reload', async (t) => {
  const { page } = pg.browser;
  const files = { 'big/Dockerfile': 'FROM alpine:3.20\nWORKDIR /data\nCOPY . .\n' };
  for (let i = 0; i < 7; i++) files[`big/blob-${i}.bin`] = noise(1 << 20, 0x9e3779b9 + i);
  const archive = tarGz(files);
  assert.ok(archive.length > 6 * 1024 * 1024, `the archive is ${archive.length} bytes`);
  await page.getByLabel('Import a .tar or .tar.gz build context').setInputFiles({
    name: 'big.tar.gz',
    mimeType: 'application/gzip',
    buffer: archive,
  });
  await waitFor(page, () => /Imported big\.tar\.gz: 8 files/.test(document.querySelector('.notice')?.textContent ?? ''));
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().startsWith('FROM alpine:3.20'));
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built', undefined, 60_000);
  // Too large for local storage: kept in IndexedDB, local storage says so.
  await waitFor(page, () => localStorage.getItem('layerlab.project') === 'indexeddb:v1', undefined, 60_000);
  assert.equal(await page.locator('.notice.error').count(), 0, 'no storage error');

  await page.reload();
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().startsWith('FROM alpine:3.20'), undefined, 60_000);
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built', undefined, 60_000);
  for (let i = 0; i < 7; i++) {
    assert.ok(await page.getByRole('button', { name: `blob-${i}.bin`, exact: true }).isVisible(), `blob-${i}.bin is back`);
  }
  await page.getByRole('button', { name: 'blob-6.bin', exact: true }).click();
  await waitFor(page, () => document.querySelector('.editor-pane .pane-title .path')?.textContent === 'blob-6.bin');
  assert.equal(await page.locator('.editor-pane .pane-title .muted').textContent(), 'binary, 1048576 bytes');
  assert.ok(await page.getByText('$ docker build -t big .').isVisible());
  assert.equal(await page.locator('.notice.error').count(), 0, 'no storage error after the reload');
  await shot(page, t, 'large-context-reload.png');

  // A small project again: back in local storage, the large copy dropped.
  await page.getByLabel('Sample project').selectOption('python');
  await waitFor(page, () => (localStorage.getItem('layerlab.project') ?? '').startsWith('v1:'), undefined, TIMEOUT);
  await page.reload();
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
  assert.equal(await page.getByLabel('Sample project').inputValue(), 'python');
});

test('no errors in the page, no request outside 127.0.0.1', () => {
  assert.deepEqual(pg.browser.errors, []);
  assert.deepEqual(pg.browser.requests.filter((u) => !isLocal(u)), []);
});
