// The release build stays within the size budget (400 KB of gzipped wasm).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, requireDist } from './support.mjs';

const BUDGET_GZIP_BYTES = 400 * 1024;

test('release wasm is within 400 KB gzipped', async (t) => {
  await requireDist();
  const wasm = (await readdir(DIST)).filter((name) => name.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `exactly one .wasm in dist/ (found ${wasm.join(', ') || 'none'})`);
  const bytes = await readFile(path.join(DIST, wasm[0]));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  t.diagnostic(`${wasm[0]}: ${(bytes.length / 1024).toFixed(1)} KB raw, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
  assert.ok(gzipped <= BUDGET_GZIP_BYTES, `gzipped wasm is ${gzipped} bytes, over the ${BUDGET_GZIP_BYTES}-byte budget`);
});
