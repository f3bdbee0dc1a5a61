#!/usr/bin/env bash
# Runs every benchmark and writes BENCHMARKS.md (one table, one machine,
# one run):
#   1. the benchmark inputs (scripts/bench_buildkit.py prepare): BuildKit's
#      parser test files, the tutorial's Dockerfile, a 50,000-line file;
#   2. criterion, native: crates/syntax `parse` (vs the crates.io
#      `parse-dockerfile`), crates/engine `parse_compare`, `words`, `lint`,
#      `rebuild` (the seed project after a one-file edit, the keystroke
#      pipeline);
#   3. BuildKit's own parser (Go, PyPI `dockerfile`, in .venv) on the same
#      files, in the same run;
#   4. the same pipeline compiled to wasm (benches/wasm) and run in Node;
#   5. instruction counts under valgrind's callgrind (repeatable on a
#      loaded machine) with crates/syntax/examples/parse_n.rs;
#   6. scripts/bench_report.py -> BENCHMARKS.md.
# BENCH_QUICK=1: shorter criterion runs (rough figures, for trying it out).
# Needs: .venv (./x setup), node, wasm-bindgen, the wasm32 target, valgrind
# (steps 4-5 are skipped with a note when a tool is missing).
set -euo pipefail

main() {
  cd "$(dirname "$0")/.."
  local out=target/bench
  local py=.venv/bin/python
  mkdir -p "$out"
  rm -f "$out"/*.json
  touch "$out/stamp"
  if ! "$py" -c 'import dockerfile' 2>/dev/null; then
    echo "bench: $py cannot import dockerfile: run ./x setup first" >&2
    exit 1
  fi

  echo "==> machine"
  machine_json >"$out/machine.json"
  cat "$out/machine.json"

  echo "==> inputs"
  "$py" scripts/bench_buildkit.py prepare "$out/sets"
  export LAYERLAB_BENCH_SETS="$PWD/$out/sets"

  local crit=()
  if [ "${BENCH_QUICK:-}" = 1 ]; then
    crit=(--warm-up-time 1 --measurement-time 2)
  fi
  echo "==> native benchmarks (criterion)"
  cargo bench -p layerlab-syntax --bench parse -- "${crit[@]}"
  cargo bench -p layerlab-engine --bench parse_compare --bench words --bench lint --bench rebuild -- "${crit[@]}"

  echo "==> BuildKit's parser (PyPI dockerfile)"
  "$py" scripts/bench_buildkit.py time "$out/sets" >"$out/buildkit.json"

  echo "==> wasm in Node"
  if wasm_bench "$out"; then :; else echo "bench: wasm step skipped (see above)"; fi

  echo "==> instruction counts (callgrind)"
  if command -v valgrind >/dev/null; then
    callgrind "$out" >"$out/callgrind.json"
  else
    echo "bench: valgrind missing, instruction counts skipped"
  fi

  local target_dir
  target_dir=$(cargo metadata --format-version 1 --no-deps | "$py" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  "$py" scripts/bench_report.py "$out" "$target_dir/criterion" >BENCHMARKS.md
  echo "==> BENCHMARKS.md written"
}

machine_json() {
  local cpu mem load commit dirty=""
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  mem=$(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain -- crates benches scripts 2>/dev/null)" ]; then
    dirty=" (with uncommitted changes)"
  fi
  CPU="$cpu" MEM="$mem" LOAD="$load" COMMIT="$commit$dirty" NPROC="$(nproc)" \
    RUSTC="$(rustc --version)" NODE="$(node --version 2>/dev/null || echo none)" \
    PYV="$(.venv/bin/python --version 2>&1)" \
    DF="$(.venv/bin/python -m pip show dockerfile 2>/dev/null | sed -n 's/^Version: //p')" \
    .venv/bin/python -c '
import json, os, datetime
print(json.dumps({
  "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
  "commit": os.environ["COMMIT"],
  "cpu": os.environ["CPU"],
  "cores": os.environ["NPROC"] + " (nproc)",
  "memory": os.environ["MEM"] + " (free -g)",
  "load": os.environ["LOAD"] + " (load average when the run started)",
  "rustc": os.environ["RUSTC"],
  "node": os.environ["NODE"],
  "python": os.environ["PYV"],
  "dockerfile": "PyPI dockerfile " + os.environ["DF"],
}, indent=1))'
}

wasm_bench() {
  local out=$1
  for tool in node wasm-bindgen; do
    if ! command -v "$tool" >/dev/null; then
      echo "bench: $tool missing"
      return 1
    fi
  done
  local wt="$PWD/$out/wasm-target"
  (cd benches/wasm && cargo build --release --target wasm32-unknown-unknown --target-dir "$wt")
  rm -rf "$out/wasm-pkg"
  wasm-bindgen --target nodejs --out-dir "$out/wasm-pkg" \
    "$wt/wasm32-unknown-unknown/release/layerlab_bench_wasm.wasm"
  local opt=tests/e2e/node_modules/.bin/wasm-opt how="opt-level z, LTO, wasm-bindgen $(wasm-bindgen --version | cut -d' ' -f2)"
  local module="$out/wasm-pkg/layerlab_bench_wasm_bg.wasm"
  if [ -x "$opt" ] && "$opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-mutable-globals "$module" -o "$module.opt"; then
    mv "$module.opt" "$module"
    how="$how, wasm-opt -Oz ($("$opt" --version | cut -d' ' -f3))"
  else
    how="$how, no wasm-opt"
  fi
  how="$how; $(wc -c <"$module") bytes"
  HOW="$how" .venv/bin/python -c 'import json, os; print(json.dumps({"wasm build": os.environ["HOW"]}))' >"$out/wasm-build.json"
  node benches/wasm/run.mjs "$out/wasm-pkg" "$out/sets" >"$out/wasm.json"
}

# Instructions per parse: callgrind's total for N parses minus for 0.
callgrind() {
  local out=$1
  cargo build --release -p layerlab-syntax --example parse_n >&2
  local bin
  bin="$(cargo metadata --format-version 1 --no-deps | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/examples/parse_n"
  local first=1
  echo "["
  for spec in "tutorial:200" "50k-lines:2"; do
    local set=${spec%%:*} n=${spec##*:}
    local file
    file=$(head -1 "$out/sets/$set.list")
    for parser in layerlab layerlab-owned parse-dockerfile; do
      local base total
      base=$(ir "$bin" "$parser" "$file" 0)
      total=$(ir "$bin" "$parser" "$file" "$n")
      [ $first = 1 ] || echo ","
      first=0
      printf '{"file": "%s", "bytes": %s, "parser": "%s", "n": %s, "per_parse": %s, "per_byte": %s}' \
        "$set" "$(wc -c <"$file")" "$parser" "$n" \
        "$(((total - base) / n))" "$(awk -v t="$total" -v b="$base" -v n="$n" -v s="$(wc -c <"$file")" 'BEGIN {printf "%.3f", (t - b) / n / s}')"
      echo "callgrind $set $parser: $(((total - base) / n)) instructions per parse" >&2
    done
  done
  echo "]"
}

ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" "$4" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -1
}

main "$@"
