// Helpers for driving the playground's UI in the browser tests: the editor
// (CodeMirror, reached through the `layerlabEditor` handle its host element
// carries), build steps, screenshots, and polling the DOM (never sleeping).

import path from 'node:path';
import { ARTIFACTS, ROOT } from './support.mjs';

/** How long a DOM condition may take to become true. */
export const TIMEOUT = 20_000;

/** Polls `fn` in the page (every animation frame) until it returns truthy. */
export async function waitFor(page, fn, arg, timeout = TIMEOUT) {
  await page.waitForFunction(fn, arg, { timeout });
}

/** The text of the file open in the editor. */
export function editorText(page) {
  return page.evaluate(() => document.querySelector('.cm-host').layerlabEditor.text());
}

/** Types `text` at the end of the open file, with real key presses. */
export async function typeInEditor(page, text) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** The build step whose instruction starts with `instruction` (then a space or its end). */
export function stepRow(page, instruction) {
  const escaped = instruction.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.locator('.step', { has: page.locator('.instr', { hasText: new RegExp(`^${escaped}(\\s|$)`) }) });
}

/** Saves a screenshot under target/e2e/ and names it in the test's output. */
export async function shot(page, t, name, options = {}) {
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, ...options });
  t.diagnostic(`screenshot: ${path.relative(ROOT, file)}`);
  return file;
}

/** The project snapshot the page keeps in local storage, decoded. */
export function storedSnapshot(page) {
  return page.evaluate(async () => {
    const text = localStorage.getItem('layerlab.project');
    if (!text) return null;
    const data = text.slice(text.indexOf(':') + 1).replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(data + '='.repeat((4 - (data.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return JSON.parse(await new Response(stream).text());
  });
}
