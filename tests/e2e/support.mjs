// Shared helpers for the browser end-to-end tests: a static server for the
// Trunk build in dist/ and Debian's headless Chromium driven by playwright-core.
// Everything stays on 127.0.0.1; no browser is ever downloaded.

import { createServer } from 'node:http';
import { after, before } from 'node:test';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

/** The project root (this file is tests/e2e/support.mjs). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The release build made by `trunk build --release`. */
export const DIST = path.join(ROOT, 'dist');

/** Where tests write screenshots and other artifacts. */
export const ARTIFACTS = path.join(ROOT, 'target', 'e2e');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Fails with a helpful message when dist/ has not been built. */
export async function requireDist() {
  try {
    await stat(path.join(DIST, 'index.html'));
  } catch {
    throw new Error(`${path.relative(process.cwd(), DIST)}/index.html is missing: run \`trunk build --release\` first (\`./x test\` does).`);
  }
}

/**
 * Serves `dir` on 127.0.0.1 on a free port.
 * Returns `{ url, close }` where `url` ends with a slash.
 */
export async function serveStatic(dir = DIST) {
  const root = path.resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
      let file = path.resolve(root, '.' + decodeURIComponent(pathname));
      if (file !== root && !file.startsWith(root + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Debian's Chromium; never `npx playwright install` (it cannot download here). */
export const CHROMIUM = process.env.LAYERLAB_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium with a fresh user-data-dir and records every
 * request any page makes. Returns `{ context, page, requests, errors, close }`:
 * `requests` lists request URLs, `errors` page errors and console errors.
 */
export async function launchBrowser(options = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'layerlab-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    ...options,
  });
  const requests = [];
  const errors = [];
  context.on('request', (request) => requests.push(request.url()));
  const watch = (page) => {
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    requests,
    errors,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** True if loading `url` stays on this machine (127.0.0.1, or data:/blob: URLs). */
export function isLocal(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === '127.0.0.1';
}

/** A ustar archive of `files` ({ path: Buffer | string }), gzipped, as
 * `tar czf` would make it. */
export function tarGz(files) {
  const blocks = [];
  for (const [name, data] of Object.entries(files)) {
    const body = Buffer.isBuffer(data) ? data : Buffer.from(data);
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/**
 * Registers the `before`/`after` hooks a playground test file needs: the
 * release build in dist/ served on 127.0.0.1, one headless Chromium, and the
 * screenshot folder. Returns `{ server, browser }`, filled in by `before`.
 */
export function usePlayground() {
  const pg = { server: undefined, browser: undefined };
  before(async () => {
    await requireDist();
    pg.server = await serveStatic();
    pg.browser = await launchBrowser();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await pg.browser?.close();
    await pg.server?.close();
  });
  return pg;
}
