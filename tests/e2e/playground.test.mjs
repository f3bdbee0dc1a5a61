// The playground loads from the release build, shows the default sample and
// never talks to anything but 127.0.0.1.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS, ROOT, isLocal, launchBrowser, requireDist, serveStatic } from './support.mjs';

let server;
let browser;

before(async () => {
  await requireDist();
  server = await serveStatic();
  browser = await launchBrowser();
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const editor = () => browser.page.locator('textarea.code');

test('shows the product name and the sample Dockerfile', async (t) => {
  const { page } = browser;
  await page.goto(server.url);
  const h1 = page.locator('h1');
  await h1.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal((await h1.textContent())?.trim(), 'LayerLab');
  assert.match(await page.title(), /LayerLab/);

  await editor().waitFor({ state: 'visible' });
  const dockerfile = await editor().inputValue();
  assert.ok(dockerfile.startsWith('# https://hub.docker.com/_/microsoft-dotnet\n'));
  assert.ok(dockerfile.includes('\nRUN dotnet restore\n'), 'the default Dockerfile is the tutorial one');
  assert.equal(await page.locator('.pane-title .path').textContent(), 'Dockerfile');
  assert.ok(await page.getByText('$ docker build -t aspnetapp .').isVisible(), 'results pane is shown');

  const screenshot = path.join(ARTIFACTS, 'playground.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(ARTIFACTS, 'playground-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  t.diagnostic(`screenshot: ${path.relative(ROOT, screenshot)}`);
});

test('selecting a file of the build context opens it; edits are kept', async () => {
  const { page } = browser;
  await page.getByRole('button', { name: 'Program.cs', exact: true }).click();
  await page.waitForFunction(
    () => document.querySelector('textarea.code')?.value.includes('WebApplication.CreateBuilder'),
    null,
    { timeout: 10_000 },
  );
  assert.equal(await page.locator('.pane-title .path').textContent(), 'aspnetapp/Program.cs');

  await page.getByRole('button', { name: 'Dockerfile', exact: true }).click();
  await page.waitForFunction(
    () => document.querySelector('textarea.code')?.value.includes('RUN dotnet restore'),
    null,
    { timeout: 10_000 },
  );
  await editor().press('Control+End');
  await editor().pressSequentially('EXPOSE 8080\n');
  await page.waitForFunction(
    () => document.querySelector('textarea.code')?.value.endsWith('EXPOSE 8080\n'),
    null,
    { timeout: 10_000 },
  );

  await page.getByRole('button', { name: 'appsettings.json', exact: true }).click();
  await page.waitForFunction(
    () => document.querySelector('textarea.code')?.value.includes('"AllowedHosts"'),
    null,
    { timeout: 10_000 },
  );
  await page.getByRole('button', { name: 'Dockerfile', exact: true }).click();
  await page.waitForFunction(
    () => document.querySelector('textarea.code')?.value.endsWith('ENTRYPOINT ["dotnet", "aspnetapp.dll"]\nEXPOSE 8080\n'),
    null,
    { timeout: 10_000 },
  );
});

test('no errors in the page', () => {
  assert.deepEqual(browser.errors, []);
});

test('every request stays on 127.0.0.1', () => {
  assert.ok(browser.requests.length > 0, 'requests were recorded');
  assert.ok(browser.requests.some((url) => url.endsWith('.wasm')), 'the wasm module was loaded');
  assert.deepEqual(browser.requests.filter((url) => !isLocal(url)), []);
});
