// Times LayerLab's wasm build (benches/wasm, built by scripts/bench.sh) in
// Node on the inputs of the native benchmarks, and prints JSON results:
//   node benches/wasm/run.mjs PKG_DIR SETS_DIR > results.json
// PKG_DIR: wasm-bindgen --target nodejs output; SETS_DIR: the *.list files
// scripts/bench.sh writes (one Dockerfile path a line). Each figure is the
// median of 7 samples after a warm-up; every call passes its text into
// wasm, as the playground does on each keystroke.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const [pkgDir, setsDir] = process.argv.slice(2);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const wasm = require(path.resolve(pkgDir, "layerlab_bench_wasm.js"));

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

/** Median time of one call of `fn`, in nanoseconds. */
function measure(fn, sampleMs = 300, samples = 7) {
  let t0 = now();
  let calls = 0;
  while (now() - t0 < sampleMs || calls < 3) {
    fn();
    calls++;
  }
  const per = Math.max(1, Math.round(calls * (sampleMs / (now() - t0))));
  const times = [];
  for (let s = 0; s < samples; s++) {
    t0 = now();
    for (let i = 0; i < per; i++) fn();
    times.push(((now() - t0) * 1e6) / per);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const results = [];
const record = (name, ns, extra = {}) => {
  results.push({ name, ns, ...extra });
  process.stderr.write(`${name}: ${(ns / 1e3).toFixed(1)} µs\n`);
};

// Parse, on the same sets as the native parse-compare benchmark.
for (const list of fs.readdirSync(setsDir).filter((f) => f.endsWith(".list")).sort()) {
  const set = list.slice(0, -5);
  const texts = fs
    .readFileSync(path.join(setsDir, list), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((p) => fs.readFileSync(p.trim(), "utf8"));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  for (const [id, f] of [["layerlab", wasm.parse], ["layerlab-owned", wasm.parse_owned]]) {
    record(`wasm/parse-compare/${set}/${id}`, measure(() => { for (const t of texts) f(t); }), { bytes });
  }
}

// Lint on the recorded files and the tutorial.
const lintDir = path.join(root, "../shared/conformance/buildkit-recorded/lint");
const lintFiles = fs.readdirSync(lintDir).filter((f) => f.endsWith(".Dockerfile")).sort()
  .map((f) => fs.readFileSync(path.join(lintDir, f), "utf8"));
const lintBytes = lintFiles.reduce((n, t) => n + Buffer.byteLength(t), 0);
record("wasm/lint/recorded-files", measure(() => { for (const t of lintFiles) wasm.lint(t); }), { bytes: lintBytes });
const sample = path.join(root, "static/samples/aspnetapp");
const tutorial = fs.readFileSync(path.join(sample, "Dockerfile"), "utf8");
record("wasm/lint/tutorial", measure(() => wasm.lint(tutorial)), { bytes: Buffer.byteLength(tutorial) });

// The seed project: rebuild after a one-file edit, and one keystroke.
const files = {};
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else files[path.relative(sample, p)] = fs.readFileSync(p, "utf8");
  }
};
walk(sample);
process.stderr.write(wasm.load_project(tutorial, JSON.stringify(files), "aspnetapp/Program.cs") + "\n");
const clone = measure(() => wasm.clone_state());
record("wasm/seed/clone-state", clone);
record("wasm/seed/rebuild-after-one-file-edit", measure(() => wasm.rebuild_after_edit()) - clone, { minus: "clone-state" });
const typed = `${tutorial}LABEL edited="1"\n`;
record("wasm/seed/keystroke-parse-lint-build", measure(() => wasm.keystroke(typed)) - clone, { minus: "clone-state" });

process.stdout.write(JSON.stringify(results, null, 1) + "\n");
