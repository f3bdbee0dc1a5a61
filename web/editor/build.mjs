// Bundles the editor (src/editor.js and CodeMirror) into dist/editor.js, one
// minified script that defines `globalThis.LayerLabEditor`. Run by Trunk's
// pre_build hook (Trunk.toml) before every build; takes well under a second.
// Its npm packages are installed by `./x` (npm ci in web/editor).

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('web/editor: esbuild is not installed; run `./x setup` (npm ci in web/editor).');
  process.exit(1);
}

await esbuild.build({
  entryPoints: [path.join(here, 'src/editor.js')],
  outfile: path.join(here, 'dist/editor.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'LayerLabEditor',
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
});
