// The release build stays within its size budgets: 400 KB of gzipped wasm,
// and 150 KB of gzipped JavaScript (the code editor included).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, requireDist } from './support.mjs';

const WASM_BUDGET_GZIP_BYTES = 400 * 1024;
const JS_BUDGET_GZIP_BYTES = 150 * 1024;

async function gzipped(name) {
  const bytes = await readFile(path.join(DIST, name));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

test('release wasm is within 400 KB gzipped', async (t) => {
  await requireDist();
  const wasm = (await readdir(DIST)).filter((name) => name.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `exactly one .wasm in dist/ (found ${wasm.join(', ') || 'none'})`);
  const { raw, gzip } = await gzipped(wasm[0]);
  t.diagnostic(`${wasm[0]}: ${kb(raw)} raw, ${kb(gzip)} gzipped (budget ${kb(WASM_BUDGET_GZIP_BYTES)})`);
  assert.ok(gzip <= WASM_BUDGET_GZIP_BYTES, `gzipped wasm is ${gzip} bytes, over the ${WASM_BUDGET_GZIP_BYTES}-byte budget`);
});

test('JavaScript, the code editor included, is within 150 KB gzipped', async (t) => {
  await requireDist();
  const scripts = (await readdir(DIST)).filter((name) => name.endsWith('.js') || name.endsWith('.mjs'));
  assert.ok(scripts.some((name) => name.startsWith('editor')), `the editor bundle is in dist/ (found ${scripts.join(', ')})`);
  let total = 0;
  for (const name of scripts) {
    const { raw, gzip } = await gzipped(name);
    total += gzip;
    t.diagnostic(`${name}: ${kb(raw)} raw, ${kb(gzip)} gzipped`);
  }
  t.diagnostic(`all JavaScript: ${kb(total)} gzipped (budget ${kb(JS_BUDGET_GZIP_BYTES)})`);
  assert.ok(total <= JS_BUDGET_GZIP_BYTES, `gzipped JavaScript is ${total} bytes, over the ${JS_BUDGET_GZIP_BYTES}-byte budget`);
});
