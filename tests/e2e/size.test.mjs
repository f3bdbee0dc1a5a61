// The release build stays within its size budgets: 150 KB of gzipped
// JavaScript (the code editor included), and for the wasm a regression
// guard. The product target for the wasm is 400 KB gzipped; the guard sits
// a little above the size the build had when it was last lowered (576 KB,
// with a standard library rebuilt for size, boxed map values sharing one
// copy of BTreeMap's code, and one state hook type for the views), to stop
// it growing unnoticed; lower it whenever the wasm shrinks. A build with
// the toolchain's prebuilt std (LAYERLAB_PREBUILT_STD=1) is about 41 KB
// bigger and has a guard of its own.
//
// What is big: `scripts/wasm-size.sh --top 40` (per crate and per module).
// The linker already drops whatever the page cannot reach, so cargo features
// that leave CLI-only code out of the wasm do not make it smaller: the
// terminal runs the whole simulated docker CLI. What does: less generic code
// (each sort, BTreeMap or Vec of a new type is another copy), smaller tables,
// less engine and view code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, requireDist } from './support.mjs';

const WASM_TARGET_GZIP_BYTES = 400 * 1024;
const WASM_BUDGET_GZIP_BYTES = (process.env.LAYERLAB_PREBUILT_STD === '1' ? 630 : 590) * 1024;
const JS_BUDGET_GZIP_BYTES = 150 * 1024;

async function gzipped(name) {
  const bytes = await readFile(path.join(DIST, name));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

test('release wasm does not grow past its guard (target: 400 KB gzipped)', async (t) => {
  await requireDist();
  const wasm = (await readdir(DIST)).filter((name) => name.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `exactly one .wasm in dist/ (found ${wasm.join(', ') || 'none'})`);
  const { raw, gzip } = await gzipped(wasm[0]);
  t.diagnostic(`${wasm[0]}: ${kb(raw)} raw, ${kb(gzip)} gzipped (guard ${kb(WASM_BUDGET_GZIP_BYTES)}, target ${kb(WASM_TARGET_GZIP_BYTES)}${gzip > WASM_TARGET_GZIP_BYTES ? ': over target' : ''})`);
  assert.ok(gzip <= WASM_BUDGET_GZIP_BYTES, `gzipped wasm is ${gzip} bytes, over the ${WASM_BUDGET_GZIP_BYTES}-byte guard (scripts/wasm-size.sh --top 40 shows what is big)`);
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
