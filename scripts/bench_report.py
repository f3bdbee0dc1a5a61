#!/usr/bin/env python3
"""Writes BENCHMARKS.md from one run of scripts/bench.sh:

    bench_report.py OUT_DIR CRITERION_DIR > BENCHMARKS.md

OUT_DIR holds buildkit.json, wasm.json, callgrind.json, machine.json and
`stamp` (criterion results older than the stamp are from earlier runs and
left out).
"""
import json
import os
import sys

out_dir, crit_dir = sys.argv[1], sys.argv[2]


def load(name, default):
    try:
        with open(os.path.join(out_dir, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


stamp = os.path.getmtime(os.path.join(out_dir, "stamp"))
machine = load("machine.json", {})
machine.update(load("wasm-build.json", {}))

# name -> {"ns": median ns per iteration, "bytes"/"elements": per iteration, "source": ...}
rows = {}
for dirpath, _, files in os.walk(crit_dir):
    if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
        continue
    bpath = os.path.join(dirpath, "benchmark.json")
    if os.path.getmtime(bpath) < stamp:
        continue
    with open(bpath) as f:
        b = json.load(f)
    with open(os.path.join(dirpath, "estimates.json")) as f:
        e = json.load(f)
    row = {"ns": e["median"]["point_estimate"], "source": "native (criterion)"}
    tp = b.get("throughput") or {}
    if "Bytes" in tp:
        row["bytes"] = tp["Bytes"]
    if "Elements" in tp:
        row["elements"] = tp["Elements"]
    rows["native/" + b["full_id"]] = row
for r in load("buildkit.json", []):
    rows["native/" + r["name"]] = dict(r, source="BuildKit's Go parser via PyPI `dockerfile` (Python)")
for r in load("wasm.json", []):
    rows[r["name"]] = dict(r, source="wasm in Node " + machine.get("node", ""))


def figure(row):
    if "bytes" in row:
        return row["bytes"] / row["ns"] * 1e3, "MB/s"
    if "elements" in row:
        return row["elements"] / row["ns"] * 1e3, "M words/s"
    ns = row["ns"]
    if ns >= 1e6:
        return ns / 1e6, "ms per run"
    return ns / 1e3, "µs per run"


def per_iter(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def fmt(v):
    return f"{v:,.0f}" if v >= 100 else (f"{v:.1f}" if v >= 10 else f"{v:.2f}")


p = print
p("# Benchmarks")
p()
p("Produced by `scripts/bench.sh` (do not edit by hand: run it again). Every figure")
p("below comes from the same run, on the machine described here; ratios compare")
p("figures of that run only.")
p()
p("| | |")
p("|---|---|")
for k in ["date", "commit", "cpu", "cores", "memory", "load", "rustc", "node", "python", "dockerfile", "wasm build"]:
    if k in machine:
        p(f"| {k} | {machine[k]} |")
p()
p("The machine is shared (other builds may run meanwhile): wall-clock figures are")
p("medians and can still be noisy; the instruction counts at the end (callgrind)")
p("are repeatable on a loaded machine.")
p()
p("## Figures")
p()
p("| benchmark | figure | unit | time per iteration | how |")
p("|---|---:|---|---:|---|")
for name in sorted(rows):
    row = rows[name]
    v, unit = figure(row)
    p(f"| `{name}` | {fmt(v)} | {unit} | {per_iter(row['ns'])} | {row['source']} |")
p()


def ratio(a, b):
    """How many times faster `a` is than `b` (time of b / time of a)."""
    ra, rb = rows.get(a), rows.get(b)
    if not ra or not rb:
        return None
    return rb["ns"] / ra["ns"]


def faster(r, subject="", other=""):
    return f"{subject}{r:.1f}x faster" if r >= 1 else f"{subject}{1 / r:.1f}x slower"


p("## Key ratios")
p()
p("| comparison | ratio |")
p("|---|---:|")
sets = sorted({n.split("/")[2] for n in rows if n.startswith("native/parse-compare/")})
for s in sets:
    bk = f"native/parse-compare/{s}/buildkit-go (PyPI dockerfile)"
    for ours in ["layerlab", "layerlab-owned"]:
        r = ratio(f"native/parse-compare/{s}/{ours}", bk)
        if r:
            p(f"| parse `{s}`: {ours} (Rust) vs BuildKit's parser (Go via PyPI `dockerfile`) | {faster(r)} |")
for s in sets:
    r = ratio(f"native/parse-compare/{s}/layerlab", f"wasm/parse-compare/{s}/layerlab")
    if r:
        p(f"| parse `{s}`: wasm (Node) vs native | {faster(1 / r)} |")
for nat, w, label in [
    ("native/seed/keystroke-parse-lint-build", "wasm/seed/keystroke-parse-lint-build", "keystroke pipeline (parse + lint + build, warm cache)"),
    ("native/seed/rebuild-after-one-file-edit", "wasm/seed/rebuild-after-one-file-edit", "seed rebuild after a one-file edit"),
    ("native/lint/recorded-files", "wasm/lint/recorded-files", "lint, recorded files"),
]:
    r = ratio(nat, w)
    if r:
        p(f"| {label}: wasm {per_iter(rows[w]['ns'])} vs native {per_iter(rows[nat]['ns'])} | {faster(1 / r)} |")
for s in ["buildkit-testfiles", "tutorial", "50k-lines"]:
    r = ratio(f"native/{s}/layerlab", f"native/{s}/parse-dockerfile")
    if r:
        p(f"| parse `{s}` (syntax crate's bench, files `parse-dockerfile` accepts): layerlab vs crates.io `parse-dockerfile` | {faster(r)} |")
p()
p("BuildKit's figure includes the PyPI wrapper's cost: the Python to Go call and the")
p("conversion of the result to Python objects, which the playground would never pay")
p("but a Python user of BuildKit's parser does. The wasm figures are the playground's")
p("build settings (`opt-level = \"z\"`, LTO, `wasm-opt -Oz` when available) and include")
p("passing the text into wasm; the seed figures there have the state clone (measured")
p("alone as `wasm/seed/clone-state`) subtracted, as the native benchmark leaves it out.")
p()
cg = load("callgrind.json", [])
if cg:
    p("## Instruction counts (callgrind)")
    p()
    p("`valgrind --tool=callgrind` on `crates/syntax/examples/parse_n.rs` (release):")
    p("instructions of N parses minus those of 0 parses (startup, reading the file),")
    p("divided by N.")
    p()
    p("| file | bytes | parser | N | instructions per parse | per byte |")
    p("|---|---:|---|---:|---:|---:|")
    for r in cg:
        p(f"| `{r['file']}` | {r['bytes']:,} | {r['parser']} | {r['n']} | {r['per_parse']:,.0f} | {r['per_byte']:.1f} |")
    p()
p("## Reproduce")
p()
p("```")
p("./x setup        # once: toolchains, .venv with the PyPI `dockerfile` package")
p("scripts/bench.sh # about 15 minutes; BENCH_QUICK=1 for a rough run")
p("```")
p()
p("Sources: `crates/syntax/benches/parse.rs` (parse vs `parse-dockerfile`),")
p("`crates/engine/benches/` (`parse_compare`, `words`, `lint`, `rebuild`),")
p("`scripts/bench_buildkit.py` (BuildKit's parser), `benches/wasm/` (the wasm module")
p("and its Node runner).")
