// The seed tutorial's story through the playground's UI, against the release
// build: load, build, edit Program.cs (restore stays CACHED, and the page says
// why the next step ran), edit the csproj (restore re-runs), the layers and
// images, `docker run` with -p 5000:8080 and -p 5000:80, the terminal, the
// anti-pattern sample, the file tree, and no request leaving 127.0.0.1.
// Each test saves a screenshot under target/e2e/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocal, usePlayground } from './support.mjs';
import { TIMEOUT, editorText, shot, stepRow, storedSnapshot, typeInEditor, waitFor } from './ui.mjs';

const pg = usePlayground();

test('loads the tutorial sample and builds it once', async (t) => {
  const { page } = pg.browser;
  await page.goto(pg.server.url);
  await page.locator('h1').waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal((await page.locator('h1').textContent())?.trim(), 'LayerLab');
  assert.match(await page.title(), /LayerLab/);

  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().length > 0);
  const dockerfile = await editorText(page);
  assert.ok(dockerfile.startsWith('# https://hub.docker.com/_/microsoft-dotnet\n'));
  assert.ok(dockerfile.includes('\nRUN dotnet restore\n'), 'the default Dockerfile is the tutorial one');
  assert.equal(await page.locator('.editor-pane .pane-title .path').textContent(), 'Dockerfile');
  // Dockerfile syntax highlighting: keywords are styled spans.
  assert.ok(await page.locator('.cm-content span', { hasText: /^FROM$/ }).count() >= 2, 'FROM is highlighted');
  assert.ok(await page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^19$/ }).count() === 1, 'line numbers');

  // The first build ran at load and was committed: every step ran.
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
  const restore = stepRow(page, 'RUN dotnet restore');
  assert.equal(await restore.locator('.badge').textContent(), 'RUN');
  assert.match(await restore.locator('.reason').textContent(), /cache/i);
  assert.equal(await page.locator('.stage').count(), 2, 'two stages: build and the final one');
  assert.equal(await page.locator('.step').count(), 11);
  assert.ok(await page.getByText('$ docker build -t aspnetapp .').isVisible(), 'the build command is shown');
  // .dockerignore'd files are greyed in the tree.
  assert.ok(await page.locator('.tree .ignored', { hasText: '.dockerignore' }).count() === 1);

  await shot(page, t, 'playground.png');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, t, 'playground-dark.png');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('editing Program.cs keeps restore CACHED and says why the rest runs', async (t) => {
  const { page } = pg.browser;
  await page.getByRole('button', { name: 'Program.cs', exact: true }).click();
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().includes('WebApplication.CreateBuilder'));
  assert.equal(await page.locator('.editor-pane .pane-title .path').textContent(), 'aspnetapp/Program.cs');
  await typeInEditor(page, '// edited in the playground\n');

  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Preview'
    && [...document.querySelectorAll('.step')].some((s) => s.textContent.includes('COPY aspnetapp/. ./aspnetapp/') && s.querySelector('.badge')?.textContent === 'RUN'));
  for (const instr of ['WORKDIR /source', 'COPY *.sln .', 'COPY aspnetapp/*.csproj ./aspnetapp/', 'RUN dotnet restore']) {
    assert.equal(await stepRow(page, instr).locator('.badge').textContent(), 'CACHED', `${instr} is CACHED`);
  }
  const copy = stepRow(page, 'COPY aspnetapp/. ./aspnetapp/');
  assert.match(await copy.locator('.reason').textContent(), /file aspnetapp\/Program\.cs changed/);
  assert.equal(await stepRow(page, 'RUN dotnet publish').locator('.badge').textContent(), 'RUN');

  // The Build button commits the build: the cache now holds the edit.
  await page.locator('.topbar .btn.primary').click();
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
  await shot(page, t, 'edit-program-cs.png');
});

test('editing the csproj re-runs restore', async (t) => {
  const { page } = pg.browser;
  await page.getByRole('button', { name: 'aspnetapp.csproj', exact: true }).click();
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().includes('<Project Sdk'));
  await typeInEditor(page, '<!-- a package would go here -->\n');
  await waitFor(page, () => [...document.querySelectorAll('.step')].some((s) => s.textContent.includes('RUN dotnet restore') && s.querySelector('.badge')?.textContent === 'RUN'));
  assert.match(await stepRow(page, 'COPY aspnetapp/*.csproj').locator('.reason').textContent(), /aspnetapp\/aspnetapp\.csproj changed/);
  assert.match(await stepRow(page, 'RUN dotnet restore').locator('.reason').textContent(), /\[build 4\/8\] COPY aspnetapp\/\*\.csproj/);
  assert.equal(await stepRow(page, 'COPY *.sln .').locator('.badge').textContent(), 'CACHED');
  await shot(page, t, 'edit-csproj.png');
});

test('clicking a step highlights its Dockerfile line', async (t) => {
  const { page } = pg.browser;
  await stepRow(page, 'RUN dotnet restore').locator('.step-main').click();
  await waitFor(page, () => document.querySelector('.editor-pane .pane-title .path')?.textContent === 'Dockerfile');
  await waitFor(page, () => document.querySelector('.cm-step-line')?.textContent === 'RUN dotnet restore');
  assert.equal(await stepRow(page, 'RUN dotnet restore').getAttribute('class').then((c) => c.includes('selected')), true);
  await shot(page, t, 'step-highlight.png');
});

test('lint warnings are underlined, listed, and jump to their line; undo removes them', async (t) => {
  const { page } = pg.browser;
  const view = () => document.querySelector('.cm-host').layerlabEditor.view;
  // Replace "AS build" by "as build" through the editor, as a keystroke would.
  await page.evaluate(() => {
    const v = document.querySelector('.cm-host').layerlabEditor.view;
    const at = v.state.doc.toString().indexOf(' AS build');
    v.dispatch({ changes: { from: at + 1, to: at + 3, insert: 'as' }, userEvent: 'input.type' });
  });
  await waitFor(page, () => [...document.querySelectorAll('.problem')].some((p) => p.textContent.includes('FromAsCasing')));
  await waitFor(page, () => document.querySelector('.cm-lintRange-warning') !== null);
  const problem = page.locator('.problem', { hasText: 'FromAsCasing' });
  assert.match(await problem.textContent(), /Ln 2, Col/);
  assert.ok((await problem.boundingBox()).height >= 16, 'the problem is visible in the list');
  await shot(page, t, 'problems.png');

  await problem.click();
  await waitFor(page, () => {
    const v = document.querySelector('.cm-host').layerlabEditor.view;
    return v.state.doc.lineAt(v.state.selection.main.head).number === 2 && v.hasFocus;
  });
  assert.ok(await page.evaluate(view) !== null);
  // Undo (history) restores the text and the problem goes away.
  await page.keyboard.press('Control+z');
  await waitFor(page, () => document.querySelector('.cm-host').layerlabEditor.text().includes(' AS build'));
  await waitFor(page, () => document.querySelectorAll('.problem').length === 0);
});

test('layers and images: the final image is aspnet:8.0 plus the app, the sdk is not in it', async (t) => {
  const { page } = pg.browser;
  await page.getByRole('tab', { name: 'Layers' }).click();
  await page.locator('.layers-view').waitFor();
  assert.ok(await page.locator('.layer.base').count() >= 2, 'base image layers are marked');
  assert.match(await page.locator('.layer.base').first().textContent(), /from mcr\.microsoft\.com\/dotnet\/aspnet:8\.0/);
  assert.ok(await page.locator('.layer.own').count() >= 1, 'the app layer');
  const sdk = page.locator('.bases li', { hasText: 'dotnet/sdk:8.0' });
  assert.match(await sdk.textContent(), /not in the final image/);
  await shot(page, t, 'layers.png');

  await page.getByRole('tab', { name: 'Images' }).click();
  await page.locator('.images-view').waitFor();
  // The table is `docker images`: the built image (base images stay in the build cache).
  const rows = await page.locator('.images-table tbody tr').allTextContents();
  assert.ok(rows.some((r) => r.includes('aspnetapp:latest')), rows.join('\n'));
  // The picture draws the base images too, their layers shared with aspnetapp.
  const labels = await page.locator('.image-label').allTextContents();
  assert.ok(labels.some((l) => l.includes('mcr.microsoft.com/dotnet/aspnet:8.0')), labels.join('\n'));
  assert.ok(labels.some((l) => l.includes('mcr.microsoft.com/dotnet/sdk:8.0')), labels.join('\n'));
  const app = page.locator('.image-row', { hasText: 'aspnetapp:latest' });
  assert.ok(await app.locator('.segment.shared').count() >= 4, 'aspnet:8.0 layers are drawn as shared in aspnetapp');
  await shot(page, t, 'images.png');
});

test('docker run -p 5000:8080 reaches Kestrel; -p 5000:80 warns', async (t) => {
  const { page } = pg.browser;
  await page.getByRole('tab', { name: 'Run' }).click();
  const input = page.getByLabel('docker run command line');
  assert.equal(await input.inputValue(), 'docker run -it --rm -p 5000:8080 --name aspnetcore_sample aspnetapp');
  await page.locator('.port').first().waitFor();
  assert.match(await page.locator('.port').first().textContent(), /0\.0\.0\.0:5000->8080\/tcp/);
  assert.equal(await page.locator('.port .badge').first().textContent(), 'listening');
  const facts = await page.locator('.facts').textContent();
  assert.match(facts, /\["dotnet","aspnetapp\.dll"\]/);
  assert.match(facts, /\/app/);
  assert.equal(await page.locator('.warning-box').count(), 0);
  await shot(page, t, 'run-5000-8080.png');

  await input.fill('docker run -it --rm -p 5000:80 --name aspnetcore_sample aspnetapp');
  await page.locator('.warning-box').waitFor();
  assert.match(await page.locator('.warning-box').textContent(), /80/);
  assert.equal(await page.locator('.port .badge').first().textContent(), 'nothing listens');
  await shot(page, t, 'run-5000-80.png');
  await input.fill('docker run -it --rm -p 5000:8080 --name aspnetcore_sample aspnetapp');
});

test('terminal: docker build prints BuildKit progress; arrows walk the history', async (t) => {
  const { page } = pg.browser;
  await page.getByRole('tab', { name: 'Terminal' }).click();
  const input = page.getByLabel('Terminal command');
  await input.fill('docker build -t aspnetapp .');
  await input.press('Enter');
  await page.locator('.term-out').first().waitFor();
  const out = await page.locator('.term-out').first().textContent();
  assert.match(out, /#\d+ \[build 5\/8\] RUN dotnet restore/);
  assert.match(out, /naming to docker\.io\/library\/aspnetapp:latest/);
  await input.fill('ls');
  await input.press('Enter');
  await waitFor(page, () => document.querySelectorAll('.term-entry').length === 2);
  assert.match(await page.locator('.term-out').nth(1).textContent(), /aspnetapp\/Program\.cs/);
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'ls');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'docker build -t aspnetapp .');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'ls');

  // The rest of the tutorial, through the docker CLI simulator.
  const run = async (command) => {
    const n = await page.locator('.term-entry').count();
    await input.fill(command);
    await input.press('Enter');
    await waitFor(page, (k) => document.querySelectorAll('.term-entry').length === k + 1, n);
    return page.locator('.term-entry').nth(n).textContent();
  };
  assert.match(await run('docker run -it --rm -p 5000:8080 --name aspnetcore_sample aspnetapp'), /aspnetcore_sample/);
  assert.match(await run('docker ps'), /aspnetapp\s+"dotnet aspnetapp\.dll".*0\.0\.0\.0:5000->8080\/tcp.*aspnetcore_sample/s);
  assert.match(await run('docker exec aspnetcore_sample ls /app'), /aspnetapp\.dll/);
  assert.match(await run('docker history aspnetapp'), /COPY \/app \.\/ # buildkit/);
  assert.match(await run('docker images'), /aspnetapp:latest/);
  assert.match(await run('docker system df -v'), /SHARED SIZE/);
  await run('docker stop aspnetcore_sample');
  assert.doesNotMatch(await run('docker ps -a'), /aspnetcore_sample/, '--rm removed the stopped container');
  await shot(page, t, 'terminal.png');
});

test('file tree: add, rename and delete files; .dockerignore greys them', async (t) => {
  const { page } = pg.browser;
  await page.getByRole('button', { name: 'New file' }).click();
  const name = page.getByLabel('New file path');
  await name.fill('README.md');
  await name.press('Enter');
  await waitFor(page, () => document.querySelector('.editor-pane .pane-title .path')?.textContent === 'README.md');
  assert.ok(await page.locator('.tree .ignored', { hasText: 'README.md' }).count() === 1, 'README.md is .dockerignore\'d');

  await page.getByRole('button', { name: 'Rename README.md' }).click();
  const rename = page.getByLabel('New path for README.md');
  await rename.fill('docs/notes.md');
  await rename.press('Enter');
  await page.getByRole('button', { name: 'notes.md', exact: true }).waitFor();
  assert.equal(await page.locator('.tree .ignored', { hasText: 'notes.md' }).count(), 0, 'docs/notes.md is sent');
  await shot(page, t, 'file-tree.png');

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Delete docs/notes.md' }).click();
  await waitFor(page, () => ![...document.querySelectorAll('.tree .file')].some((b) => b.textContent === 'notes.md'));
});

test('the anti-pattern sample re-runs restore on a Program.cs edit', async (t) => {
  const { page } = pg.browser;
  await page.getByRole('tab', { name: 'Build' }).click();
  await page.getByLabel('Sample project').selectOption('aspnetapp-antipattern');
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().includes('COPY . .'));
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built'
    && document.querySelector('.step .instr')?.textContent.includes('sdk:8.0'));
  await page.getByRole('button', { name: 'Program.cs', exact: true }).click();
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().includes('WebApplication'));
  await typeInEditor(page, '// any edit\n');
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Preview'
    && [...document.querySelectorAll('.step')].some((s) => s.textContent.includes('RUN dotnet restore') && s.querySelector('.badge')?.textContent === 'RUN'));
  assert.match(await stepRow(page, 'COPY . .').locator('.reason').textContent(), /Program\.cs changed/);
  await shot(page, t, 'antipattern.png');
});

test('a reload keeps the project (local storage)', async () => {
  const { page } = pg.browser;
  // The save is debounced: poll until storage holds the edit.
  const saved = async () => (await storedSnapshot(page))?.files.some((f) => f.t?.includes('// any edit'));
  const deadline = Date.now() + TIMEOUT;
  while (!(await saved())) {
    assert.ok(Date.now() < deadline, 'the edit reached local storage');
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
  }
  await page.reload();
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().length > 0);
  await page.getByRole('button', { name: 'Program.cs', exact: true }).click();
  await waitFor(page, () => document.querySelector('.cm-host').layerlabEditor.text().includes('// any edit'));
  assert.equal(await page.getByLabel('Sample project').inputValue(), 'aspnetapp-antipattern');
});

test('usable on a phone width: one column, nothing wider than the screen', async (t) => {
  const { page } = pg.browser;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('tab', { name: 'Build' }).click();
  await page.locator('.build-view').waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal scrolling');
  await shot(page, t, 'phone.png', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('no errors in the page', () => {
  assert.deepEqual(pg.browser.errors, []);
});

test('every request stays on 127.0.0.1', () => {
  assert.ok(pg.browser.requests.length > 0, 'requests were recorded');
  assert.ok(pg.browser.requests.some((url) => url.endsWith('.wasm')), 'the wasm module was loaded');
  assert.deepEqual(pg.browser.requests.filter((url) => !isLocal(url)), []);
});
