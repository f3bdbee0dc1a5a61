// Share links, embed mode and archive import: a link made by the Share button
// reproduces the project and the view in a fresh pg.browser; `?embed=1` shows the
// editor and one view; a .tar.gz picked in the file dialog becomes the project;
// a project too large for a link gets a clear message instead.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocal, launchBrowser, tarGz, usePlayground } from './support.mjs';
import { editorText, shot, typeInEditor, waitFor } from './ui.mjs';

const pg = usePlayground();
let link;

test('a share link reproduces the files, the run line and the view', async (t) => {
  const { page } = pg.browser;
  await page.goto(pg.server.url);
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
  await typeInEditor(page, 'LABEL shared="yes"\n');
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByLabel('docker run command line').fill('docker run --rm -p 5000:80 aspnetapp');
  await page.getByRole('button', { name: 'Share' }).click();
  const field = page.getByLabel('Share link');
  await field.waitFor();
  link = await field.inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#v1:[A-Za-z0-9_-]+$/);
  assert.match(await page.locator('.dialog').textContent(), /format v1/);
  assert.match(await page.getByLabel('Embed snippet').inputValue(), /<iframe src="[^"]*\?embed=1&amp;view=run#v1:|<iframe src="[^"]*\?embed=1&view=run#v1:/);
  await shot(page, t, 'share-dialog.png');
  await page.keyboard.press('Escape');
  await waitFor(page, () => document.querySelector('.dialog') === null);

  // A fresh browser (empty storage) opens the link.
  const other = await launchBrowser();
  try {
    await other.page.goto(link);
    await waitFor(other.page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().length > 0);
    assert.ok((await editorText(other.page)).endsWith('LABEL shared="yes"\n'));
    assert.equal(await other.page.getByLabel('docker run command line').inputValue(), 'docker run --rm -p 5000:80 aspnetapp');
    await other.page.locator('.warning-box').waitFor();
    // The fragment is dropped once loaded: local storage keeps later edits.
    await waitFor(other.page, () => location.hash === '');
    await shot(other.page, t, 'share-opened.png');
    assert.deepEqual(other.errors, []);
    assert.deepEqual(other.requests.filter((u) => !isLocal(u)), []);
  } finally {
    await other.close();
  }
});

test('a damaged link says so and shows the default sample', async (t) => {
  const other = await launchBrowser();
  try {
    await other.page.goto(`${pg.server.url}#v1:AAAA`);
    await other.page.locator('.notice.error').waitFor();
    assert.match(await other.page.locator('.notice.error').textContent(), /could not be opened.*damaged/);
    assert.ok((await editorText(other.page)).includes('RUN dotnet restore'));
    // Only the fragment changes: the open page reads the new link.
    await other.page.goto(`${pg.server.url}#v7:AAAA`);
    await waitFor(other.page, () => /another version of LayerLab/.test(document.querySelector('.notice.error')?.textContent ?? ''));
  } finally {
    await other.close();
  }
});

test('a share link pasted into a tab already open loads its project', async () => {
  const other = await launchBrowser();
  try {
    await other.page.goto(pg.server.url);
    await waitFor(other.page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
    assert.ok(!(await editorText(other.page)).includes('LABEL shared="yes"'));
    // Only the fragment changes: no page load.
    const fragment = link.split('#')[1];
    await other.page.evaluate((f) => { location.hash = f; }, fragment);
    await waitFor(other.page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().endsWith('LABEL shared="yes"\n'));
    assert.equal(await other.page.getByLabel('docker run command line').inputValue(), 'docker run --rm -p 5000:80 aspnetapp');
    await waitFor(other.page, () => location.hash === '');
    // A damaged one says so and keeps the project.
    await other.page.evaluate(() => { location.hash = 'v1:AAAA'; });
    await other.page.locator('.notice.error').waitFor();
    assert.match(await other.page.locator('.notice.error').textContent(), /could not be opened.*Your project is unchanged/);
    assert.ok((await editorText(other.page)).endsWith('LABEL shared="yes"\n'));
    assert.deepEqual(other.errors, []);
  } finally {
    await other.close();
  }
});

test('embed mode shows the editor and one view, sized for an iframe', async (t) => {
  const frag = link.slice(link.indexOf('#'));
  const other = await launchBrowser({ viewport: { width: 900, height: 480 } });
  try {
    await other.page.goto(`${pg.server.url}?embed=1&view=run${frag}`);
    await other.page.locator('.run-view').waitFor();
    assert.equal(await other.page.locator('.files').count(), 0, 'no file tree');
    assert.equal(await other.page.locator('.statusbar').count(), 0, 'no status bar');
    assert.ok(await other.page.getByRole('link', { name: /Open in LayerLab/ }).isVisible());
    assert.ok((await editorText(other.page)).includes('LABEL shared="yes"'));
    // Embedding never writes the learner's own storage, nor drops the fragment.
    assert.equal(await other.page.evaluate(() => localStorage.getItem('layerlab.project')), null);
    assert.ok(await other.page.evaluate(() => location.hash.startsWith('#v1:')));
    await shot(other.page, t, 'embed.png');
  } finally {
    await other.close();
  }
});

test('importing a .tar.gz replaces the project', async (t) => {
  const { page } = pg.browser;
  const archive = tarGz({
    'hello/Dockerfile': 'FROM alpine:3.20\nCOPY hello.sh /usr/local/bin/\nCMD ["hello.sh"]\n',
    'hello/hello.sh': '#!/bin/sh\necho hello\n',
  });
  await page.getByLabel('Import a .tar or .tar.gz build context').setInputFiles({
    name: 'hello.tar.gz',
    mimeType: 'application/gzip',
    buffer: archive,
  });
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().startsWith('FROM alpine:3.20'));
  await page.getByRole('tab', { name: 'Build' }).click();
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
  assert.ok(await page.getByRole('button', { name: 'hello.sh', exact: true }).isVisible());
  assert.ok(await page.getByText('$ docker build -t hello .').isVisible());
  assert.match(await page.locator('.notice').textContent(), /Imported hello\.tar\.gz: 2 files/);
  await shot(page, t, 'import.png');

  // Dropping an archive on the build context imports it too.
  const dropped = tarGz({ 'Dockerfile': 'FROM busybox:1.36\nCOPY a.txt /\n', 'a.txt': 'a\n' });
  await page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'dropped.tgz', { type: 'application/gzip' }));
    document.querySelector('.files').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, dropped.toString('base64'));
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().startsWith('FROM busybox'));
  assert.ok(await page.getByText('$ docker build -t dropped .').isVisible());
});

test('a project too large for a link gets a clear message', async (t) => {
  const { page } = pg.browser;
  // Incompressible text, added as a file through the editor.
  await page.evaluate(() => {
    let x = 2463534242;
    let s = '';
    for (let i = 0; i < 60000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      s += String.fromCharCode(97 + ((x >>> 0) % 26));
    }
    window.bigText = s;
  });
  await page.getByRole('button', { name: 'New file' }).click();
  await page.getByLabel('New file path').fill('big.txt');
  await page.getByLabel('New file path').press('Enter');
  await waitFor(page, () => document.querySelector('.editor-pane .pane-title .path')?.textContent === 'big.txt');
  await page.evaluate(() => {
    const v = document.querySelector('.cm-host').layerlabEditor.view;
    v.dispatch({ changes: { from: 0, insert: window.bigText } });
  });
  await page.getByRole('button', { name: 'Share' }).click();
  await page.locator('.dialog .error-box').waitFor();
  assert.match(await page.locator('.dialog .error-box').textContent(), /too large for a share link.*limited to 16 KB/);
  await shot(page, t, 'share-too-large.png');
  await page.keyboard.press('Escape');
});

test('after the first visit the playground works offline (service worker)', async (t) => {
  const other = await launchBrowser();
  try {
    await other.page.goto(pg.server.url);
    await waitFor(other.page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
    await waitFor(other.page, () => navigator.serviceWorker.controller !== null);
    await waitFor(other.page, () => caches.open('layerlab-v1')
      .then((c) => c.keys())
      .then((keys) => keys.some((r) => r.url.endsWith('.wasm'))
        && keys.some((r) => r.url.includes('editor'))
        // The page itself: reloading offline needs it in the cache too.
        && keys.some((r) => new URL(r.url).pathname === location.pathname)));
    await waitFor(other.page, () => navigator.serviceWorker.controller?.state === 'activated');
    await other.context.setOffline(true);
    const cached = await other.page.evaluate(() => caches.open('layerlab-v1')
      .then((c) => c.keys()).then((ks) => ks.map((r) => new URL(r.url).pathname)));
    // Under load, headless Chromium now and then fails the first offline
    // navigation (net::ERR_FAILED) while it restarts the worker; a second
    // reload must then come from the cache.
    let failed = null;
    await other.page.reload().catch((e) => { failed = e; });
    if (failed) {
      t.diagnostic(`first offline reload failed (${failed.message.split('\n')[0]}); cached: ${cached.join(', ')}`);
      await other.page.reload();
    }
    await waitFor(other.page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
    assert.ok((await editorText(other.page)).includes('RUN dotnet restore'));
    await shot(other.page, t, 'offline.png');
    await other.context.setOffline(false);
  } finally {
    await other.close();
  }
});

test('no errors and no request outside 127.0.0.1', () => {
  assert.deepEqual(pg.browser.errors, []);
  assert.deepEqual(pg.browser.requests.filter((u) => !isLocal(u)), []);
});
