// Parity: for every sample project, the build steps the playground shows (read
// from the page) equal what the native CLI prints with
// `layerlab docker build --progress json` on the same files: names, CACHED or
// not, and the reason for every miss. Also after an edit of Program.cs, the
// playground's live preview equals the CLI's second build.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, appendFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARTIFACTS, ROOT, launchBrowser, requireDist, serveStatic } from './support.mjs';
import { shot, waitFor } from './ui.mjs';

const SAMPLES = [
  { id: 'aspnetapp', image: 'aspnetapp' },
  { id: 'aspnetapp-antipattern', image: 'aspnetapp' },
  { id: 'node', image: 'nodeapp' },
  { id: 'python', image: 'pyapp' },
  { id: 'go', image: 'goapp' },
];

let server;
let browser;
let cli;
const dirs = [];

before(async () => {
  await requireDist();
  // The native CLI, built from this checkout (incremental after `cargo test`).
  execFileSync('cargo', ['build', '--quiet', '-p', 'layerlab-cli', '--bin', 'layerlab'], { cwd: ROOT, stdio: 'inherit' });
  const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
  cli = path.join(target, 'debug', 'layerlab');
  server = await serveStatic();
  browser = await launchBrowser();
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A copy of a sample folder as the playground loads it. */
async function sampleDir(id) {
  const dir = await mkdtemp(path.join(tmpdir(), `layerlab-parity-${id}-`));
  dirs.push(dir);
  const samples = path.join(ROOT, 'static', 'samples');
  if (id === 'aspnetapp-antipattern') {
    await cp(path.join(samples, 'aspnetapp'), dir, { recursive: true });
    await cp(path.join(samples, id, 'Dockerfile'), path.join(dir, 'Dockerfile'));
  } else {
    await cp(path.join(samples, id), dir, { recursive: true });
  }
  return dir;
}

function cliBuild(dir, image, state) {
  const out = execFileSync(cli, ['docker', '--state', state, 'build', '--progress', 'json', '-t', image, '.'], { cwd: dir, encoding: 'utf8' });
  const report = JSON.parse(out);
  return report.steps.map((s) => ({ name: s.name, cached: s.cached, reason: s.cached ? '' : (s.reason ?? '') }));
}

function pageSteps(page) {
  return page.evaluate(() => [...document.querySelectorAll('.step')].map((li) => ({
    name: li.dataset.name,
    cached: li.dataset.cached === 'true',
    reason: li.dataset.cached === 'true' ? '' : li.dataset.reason,
  })));
}

for (const { id, image } of SAMPLES) {
  test(`${id}: the playground's build equals \`layerlab docker build --progress json\``, async (t) => {
    const { page } = browser;
    await page.goto(server.url);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${server.url}?parity=${id}`);
    // (Picking the default sample again would load and build it once more.)
    if (id !== 'aspnetapp') await page.getByLabel('Sample project').selectOption(id);
    await waitFor(page, (want) => document.querySelector('.summary .mode')?.textContent === 'Built'
      && document.querySelector('.command-line .prompt')?.textContent === `$ docker build -t ${want} .`, image);
    // The page built the default sample when it opened, then this one, on
    // one docker state: the CLI does the same.
    const dir = await sampleDir(id);
    const state = path.join(dir, '..', `${path.basename(dir)}.state.json`);
    dirs.push(state);
    if (id !== 'aspnetapp') cliBuild(await sampleDir('aspnetapp'), 'aspnetapp', state);
    assert.deepEqual(await pageSteps(page), cliBuild(dir, image, state));

    if (id === 'aspnetapp') {
      // Edit Program.cs the same way on both sides: the preview equals the CLI's next build.
      await appendFile(path.join(dir, 'aspnetapp', 'Program.cs'), '// parity\n');
      await page.getByRole('button', { name: 'Program.cs', exact: true }).click();
      await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().includes('WebApplication'));
      await page.evaluate(() => {
        const v = document.querySelector('.cm-host').layerlabEditor.view;
        v.dispatch({ changes: { from: v.state.doc.length, insert: '// parity\n' } });
      });
      await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Preview'
        && !document.querySelector('.summary .stale'));
      assert.deepEqual(await pageSteps(page), cliBuild(dir, image, state));
      await shot(page, t, 'parity-aspnetapp.png');
    }
  });
}
