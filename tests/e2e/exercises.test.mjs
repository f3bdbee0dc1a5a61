// Exercises through the UI, against the release build: pick an exercise in
// the toolbar, read why its checks fail, reveal hints one at a time, solve it
// by typing in the editor, see every check pass and the solved state, reload
// and keep it; open a second exercise from a teacher's link
// (`#exercise=<id>`), solve it too, copy its link, leave it; share links
// (`#v1:`) still open next to exercise links; phone width and dark theme.
// Screenshots go to target/e2e/exercise-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocal, launchBrowser, usePlayground } from './support.mjs';
import { TIMEOUT, editorText, shot, storedSnapshot, waitFor } from './ui.mjs';

const pg = usePlayground();

/** The exercise picker in the toolbar. */
const picker = (page) => page.getByRole('combobox', { name: 'Exercise', exact: true });

/** The texts of the picker's options, by value. */
const options = (page) => page.evaluate(() => Object.fromEntries(
  [...document.querySelectorAll('.exercise-picker option')].map((o) => [o.value, o.textContent]),
));

/** The check-state pill in the exercise panel's title bar. */
const pill = (page) => page.locator('.exercise-panel .check-pill');

/** Waits until the pill reads `text` (the checks ran on the current files). */
const pillIs = (page, text) => waitFor(page, (t) => document.querySelector('.exercise-panel .check-pill')?.textContent.trim() === t, text);

/** The solved ids kept in local storage. */
const storedSolved = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('layerlab.exercises.solved') ?? '[]'));

/** Polls (once per frame, never sleeping) until `fn()` resolves truthy. */
async function until(page, fn, what) {
  const deadline = Date.now() + TIMEOUT;
  while (!(await fn())) {
    assert.ok(Date.now() < deadline, what);
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
  }
}

const FIX_COPY_START = 'WORKDIR /source\nCOPY . .\nRUN dotnet restore\nRUN dotnet publish';
const FIX_COPY_SOLVED = 'WORKDIR /source\nCOPY *.sln .\nCOPY aspnetapp/*.csproj ./aspnetapp/\nRUN dotnet restore\nCOPY . .\nRUN dotnet publish';

test('picking an exercise loads its starting files and says why its checks fail', async (t) => {
  const { page } = pg.browser;
  await page.goto(pg.server.url);
  await waitFor(page, () => document.querySelector('.summary .mode')?.textContent === 'Built');
  assert.equal(await page.locator('.exercise-panel').count(), 0, 'no exercise is open at first');

  // The picker lists the ten built-in exercises, grouped by difficulty, none solved yet.
  const listed = await options(page);
  assert.equal(listed[''], 'None');
  assert.equal(Object.keys(listed).length, 11, JSON.stringify(listed));
  assert.equal(listed['fix-copy-everything'], 'Fix the COPY . . anti-pattern');
  assert.equal(listed['non-root'], 'Run the app as a non-root user');
  assert.ok(Object.values(listed).every((text) => !text.startsWith('✓')), 'nothing is solved in a fresh browser');
  const groups = await page.locator('.exercise-picker optgroup').evaluateAll((gs) => gs.map((g) => g.label));
  assert.deepEqual(groups, ['Beginner', 'Intermediate']);

  await picker(page).selectOption('fix-copy-everything');
  const panel = page.locator('.exercise-panel');
  await panel.waitFor();
  assert.equal(await page.locator('#exercise-title').textContent(), 'Fix the COPY . . anti-pattern');
  // Markdown is rendered as elements: `code` and **strong**.
  assert.equal(await panel.locator('.instructions code', { hasText: 'RUN dotnet restore' }).count(), 1);
  assert.equal(await panel.locator('.instructions strong', { hasText: 'CACHED' }).count(), 1);
  assert.equal(await page.getByRole('region', { name: 'Fix the COPY . . anti-pattern' }).count(), 1, 'the panel is a region named by the title');

  // The editor holds the exercise's starting Dockerfile (the anti-pattern).
  await waitFor(page, (s) => document.querySelector('.cm-host')?.layerlabEditor?.text().includes(s), FIX_COPY_START);
  assert.equal(await page.locator('.editor-pane .pane-title .path').textContent(), 'Dockerfile');

  // Two of the three checks fail, each with its reason.
  await pillIs(page, '1/3 pass');
  assert.equal(await panel.locator('.check').count(), 3);
  assert.equal(await panel.locator('.check.fail').count(), 2);
  assert.equal(await panel.getByRole('img', { name: 'failed' }).count(), 2);
  assert.equal(await panel.getByRole('img', { name: 'passed' }).count(), 1);
  const failing = panel.locator('.check.fail').first();
  assert.match(await failing.locator('.check-title').textContent(), /Editing Program\.cs keeps the restore CACHED/);
  assert.match(await failing.locator('.check-reason').textContent(),
    /RUN dotnet restore re-ran because COPY \. \. before it re-ran: file aspnetapp\/Program\.cs changed/);
  assert.match(await panel.locator('.checks-status').textContent(), /1 of 3 checks pass\./);
  assert.equal(await panel.locator('.check.pass .check-reason').count(), 0, 'passing checks show no failure reason');
  await shot(page, t, 'exercise-failing.png');

  // The failure names a Dockerfile line: its button puts the cursor there.
  await failing.getByRole('button', { name: 'Line 4' }).click();
  await waitFor(page, () => {
    const v = document.querySelector('.cm-host').layerlabEditor.view;
    return v.state.doc.lineAt(v.state.selection.main.head).number === 4 && v.hasFocus;
  });
});

test('hints are revealed on request, one at a time', async (t) => {
  const { page } = pg.browser;
  const hints = page.locator('.exercise-panel .hint');
  assert.equal(await hints.count(), 0, 'no hint before asking');
  await page.getByRole('button', { name: 'Show hint (1 of 2)' }).click();
  await waitFor(page, () => document.querySelectorAll('.exercise-panel .hint').length === 1);
  assert.match(await hints.first().textContent(), /A step's cache key includes the checksums of the files its COPY selects/);
  // The next one, from the keyboard.
  const next = page.getByRole('button', { name: 'Show another hint (2 of 2)' });
  await next.focus();
  await page.keyboard.press('Enter');
  await waitFor(page, () => document.querySelectorAll('.exercise-panel .hint').length === 2);
  assert.match(await hints.nth(1).textContent(), /Copy \*\.sln and aspnetapp\/\*\.csproj first/);
  assert.equal(await hints.nth(1).locator('code').count(), 2, 'hint Markdown is rendered');
  assert.equal(await page.getByRole('button', { name: /Show (another )?hint/ }).count(), 0, 'no more hints to show');
  assert.ok(await page.getByText('No more hints.').isVisible());
  await page.locator('.exercise-panel .hints').scrollIntoViewIfNeeded();
  await shot(page, t, 'exercise-hints.png');
});

test('solving it in the editor passes every check and marks it solved', async (t) => {
  const { page } = pg.browser;
  // Real key presses: replace line 3 (`COPY . .`) by the two narrow COPYs,
  // then copy the rest after the restore.
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('COPY *.sln .\nCOPY aspnetapp/*.csproj ./aspnetapp/');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.type('\nCOPY . .');
  assert.ok((await editorText(page)).includes(FIX_COPY_SOLVED), await editorText(page));

  await pillIs(page, '✓ Solved');
  const panel = page.locator('.exercise-panel');
  assert.equal(await panel.locator('.check.pass').count(), 3);
  assert.equal(await panel.locator('.check.fail').count(), 0);
  assert.match(await panel.locator('.checks-status').textContent(), /Solved: all 3 checks pass\./);
  assert.ok((await panel.getAttribute('class')).includes('solved'));
  // The build view agrees: after this edit, restore is a step of its own.
  assert.ok(await page.locator('.step .instr', { hasText: /^COPY aspnetapp\/\*\.csproj/ }).count() >= 1);

  // The picker and local storage remember it.
  await waitFor(page, () => document.querySelector('.exercise-picker option[value="fix-copy-everything"]')?.textContent.startsWith('✓ '));
  assert.deepEqual(await storedSolved(page), ['fix-copy-everything']);
  assert.ok(!(await options(page))['non-root'].startsWith('✓'), 'only the exercise solved is marked');
  await shot(page, t, 'exercise-solved.png');
});

test('a reload keeps the exercise, the edits and the solved state; reset goes back to the start', async (t) => {
  const { page } = pg.browser;
  await until(page, async () => (await storedSnapshot(page))?.files.some((f) => f.t?.includes('COPY aspnetapp/*.csproj')),
    'the edit reached local storage');
  await page.reload();
  await page.locator('.exercise-panel').waitFor();
  assert.equal(await page.locator('#exercise-title').textContent(), 'Fix the COPY . . anti-pattern');
  assert.equal(await picker(page).inputValue(), 'fix-copy-everything');
  await waitFor(page, (s) => document.querySelector('.cm-host')?.layerlabEditor?.text().includes(s), FIX_COPY_SOLVED);
  await pillIs(page, '✓ Solved');
  assert.ok((await options(page))['fix-copy-everything'].startsWith('✓ '));
  // The hints shown are kept too.
  assert.equal(await page.locator('.exercise-panel .hint').count(), 2);
  await shot(page, t, 'exercise-reload.png');

  // Reset to the start (after a confirmation): the checks fail again, the
  // exercise stays solved in the picker and says so.
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Reset to start' }).click();
  await waitFor(page, (s) => document.querySelector('.cm-host')?.layerlabEditor?.text().includes(s), FIX_COPY_START);
  await pillIs(page, '1/3 pass');
  assert.ok(await page.getByText('You solved this exercise before.').isVisible());
  assert.ok((await options(page))['fix-copy-everything'].startsWith('✓ '));
  assert.equal(await page.locator('.exercise-panel .hint').count(), 0, 'a reset hides the hints again');

  // Declining the confirmation keeps the files.
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('# mine\n');
  page.once('dialog', (d) => d.dismiss());
  await page.getByRole('button', { name: 'Reset to start' }).click();
  assert.ok((await editorText(page)).endsWith('# mine\n'));
  await until(page, async () => (await storedSnapshot(page))?.files.some((f) => f.t?.endsWith('# mine\n')),
    'the edit reached local storage');
});

test('an exercise link opens it with its starting files; the second exercise is solved too', async (t) => {
  // A learner's fresh browser opens the link a teacher shared.
  const learner = await launchBrowser();
  try {
    const { page, context } = learner;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: pg.server.url });
    await page.goto(`${pg.server.url}#exercise=non-root`);
    await page.locator('.exercise-panel').waitFor();
    assert.equal(await page.locator('#exercise-title').textContent(), 'Run the app as a non-root user');
    assert.equal(await picker(page).inputValue(), 'non-root');
    // The fragment is dropped once loaded: local storage keeps the edits.
    await waitFor(page, () => location.hash === '');
    await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().includes('ENTRYPOINT ["dotnet", "aspnetapp.dll"]'));
    assert.ok(!(await editorText(page)).includes('USER'), 'the starting Dockerfile has no USER');
    // The Run view starts with the exercise's `docker run`.
    await page.getByRole('tab', { name: 'Run' }).click();
    assert.equal(await page.getByLabel('docker run command line').inputValue(), 'docker run --rm -p 5000:8080 aspnetapp');

    await pillIs(page, '1/2 pass');
    const failing = page.locator('.exercise-panel .check.fail');
    assert.equal(await failing.count(), 1);
    assert.match(await failing.locator('.check-title').textContent(), /runs as a user other than root/);
    assert.match(await failing.locator('.check-reason').textContent(), /the image sets no USER, so the process runs as root \(uid 0\)/);
    await shot(page, t, 'exercise-link.png');

    // Solve it: a USER line before ENTRYPOINT, typed in the editor.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    await page.keyboard.type('USER $APP_UID\n');
    assert.ok((await editorText(page)).endsWith('USER $APP_UID\nENTRYPOINT ["dotnet", "aspnetapp.dll"]\n'));
    await pillIs(page, '✓ Solved');
    assert.equal(await page.locator('.exercise-panel .check.pass').count(), 2);
    await waitFor(page, () => document.querySelector('.exercise-picker option[value="non-root"]')?.textContent.startsWith('✓ '));
    assert.deepEqual(await storedSolved(page), ['non-root']);
    await shot(page, t, 'exercise-non-root-solved.png');

    // "Copy link" puts the exercise's link on the clipboard.
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.locator('.notice', { hasText: '#exercise=non-root' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${pg.server.url}#exercise=non-root`);

    // Leaving keeps the files, closes the panel, and survives a reload.
    await page.getByRole('button', { name: 'Leave the exercise' }).click();
    await waitFor(page, () => document.querySelector('.exercise-panel') === null);
    assert.equal(await picker(page).inputValue(), '');
    assert.ok((await editorText(page)).includes('USER $APP_UID'));
    await until(page, async () => (await storedSnapshot(page))?.files.some((f) => f.t?.includes('USER $APP_UID')),
      'the edit reached local storage');
    await page.reload();
    await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().includes('USER $APP_UID'));
    assert.equal(await page.locator('.exercise-panel').count(), 0, 'the exercise stays closed');
    assert.ok((await options(page))['non-root'].startsWith('✓ '), 'and stays solved');
    assert.deepEqual(learner.errors, []);
  } finally {
    await learner.close();
  }
});

test('share links still open next to exercise links; unknown exercise links say so', async (t) => {
  const { page } = pg.browser;
  // A `#v1:` share link made now opens that project, not an exercise.
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  assert.match(link, /#v1:[A-Za-z0-9_-]+$/);
  await page.keyboard.press('Escape');
  const other = await launchBrowser();
  try {
    await other.page.goto(link);
    await waitFor(other.page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().endsWith('# mine\n'));
    assert.equal(await other.page.locator('.exercise-panel').count(), 0);
    assert.equal(await picker(other.page).inputValue(), '');
    assert.deepEqual(other.errors, []);
  } finally {
    await other.close();
  }

  // A link to an exercise that does not exist: a message, and the page goes
  // on with what local storage kept (the exercise open before).
  await page.goto('about:blank');
  await page.goto(`${pg.server.url}#exercise=no-such-exercise`);
  const notice = page.locator('.notice.error');
  await notice.waitFor();
  assert.match(await notice.textContent(), /The exercise link could not be opened: there is no exercise named "no-such-exercise"/);
  await page.locator('.exercise-panel').waitFor();
  assert.equal(await page.locator('#exercise-title').textContent(), 'Fix the COPY . . anti-pattern');
  await waitFor(page, () => document.querySelector('.cm-host')?.layerlabEditor?.text().endsWith('# mine\n'));
  await waitFor(page, () => location.hash === '');
  await page.getByRole('button', { name: 'Dismiss' }).click();

  // An exercise link opened in a tab that already shows the playground
  // (only the fragment changes: no page load) opens the exercise too.
  await page.evaluate(() => { location.hash = 'exercise=entrypoint-exec-form'; });
  await waitFor(page, () => document.querySelector('#exercise-title')?.textContent.includes('docker stop'));
  assert.equal(await picker(page).inputValue(), 'entrypoint-exec-form');
  await waitFor(page, () => location.hash === '');
  await waitFor(page, () => /^\d\/2 pass$/.test(document.querySelector('.exercise-panel .check-pill')?.textContent.trim()));
  assert.match(await page.locator('.exercise-panel .check.fail').first().textContent(), /ENTRYPOINT is in exec \(JSON\) form/);
});

test('the panel works at phone width and in the dark theme', async (t) => {
  const { page } = pg.browser;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.exercise-panel').waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal scrolling');
  // One column: the exercise first, then the build context and the editor.
  const top = async (sel) => (await page.locator(sel).boundingBox()).y;
  assert.ok(await top('.exercise-panel') < await top('.files'));
  assert.ok(await top('.files') < await top('.editor-pane'));
  const box = await page.locator('.exercise-panel').boundingBox();
  assert.ok(box.width <= 390 && box.width > 300, `the panel spans the screen (${box.width}px)`);
  await shot(page, t, 'exercise-phone.png', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  const background = () => page.locator('.exercise-panel').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(await background(), 'rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await background(), 'rgb(21, 26, 34)', 'the panel follows the dark palette');
  await shot(page, t, 'exercise-dark.png');
  await page.emulateMedia({ colorScheme: 'light' });
});

test('no errors in the page, every request on 127.0.0.1', () => {
  assert.deepEqual(pg.browser.errors, []);
  assert.ok(pg.browser.requests.length > 0);
  assert.deepEqual(pg.browser.requests.filter((url) => !isLocal(url)), []);
});
