#!/usr/bin/env bash
# How big the playground's release wasm is, and what makes it big.
#
#   scripts/wasm-size.sh             build it the way `trunk build --release`
#                                    does and print its raw and gzip -9 size
#   scripts/wasm-size.sh --top 40    also the 40 biggest items and the total
#                                    per crate and per engine/web module
#   scripts/wasm-size.sh --no-build  measure the last build again
#
# The build follows index.html's `<link data-trunk rel="rust">` (cargo profile,
# `data-wasm-opt` level, `data-wasm-opt-params`), then runs wasm-bindgen and
# wasm-opt as Trunk does, so the size printed is the size of the .wasm Trunk
# writes to dist/, gzipped as tests/e2e/size.test.mjs gzips it (Node's zlib,
# level 9). Nothing is written to dist/: the files go to
# <target dir>/wasm-size/.
#
# --top needs `twiggy` (cargo install twiggy; the project does not depend on
# it). It reads a second wasm-opt output made with `-g`, which keeps function
# names: its sizes are within about 0.1% of the shipped file's. Names are
# demangled Rust paths; generic std code (sorting, BTreeMap, drop glue)
# counts under core/alloc, not under the crate that instantiated it, and a
# function inlined into another counts under the caller.
#
# Needs cargo with the wasm32 target, wasm-bindgen and npm's wasm-opt, as
# `./x setup` installs them, and node. With CI=true cargo runs with --locked.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# RELEASE_WASM_ENV: the release wasm's standard library, as ./x builds it.
source scripts/release-wasm.sh
export PATH="$PWD/tests/e2e/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

TOP=0
BUILD=1
while (($#)); do
  case $1 in
    --top) TOP=${2:?--top needs a number}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "wasm-size: unknown argument $1" >&2; exit 2 ;;
  esac
done

# The rust link in index.html: one attribute value, or the default.
attr() {
  local value
  value=$(tr '\n' ' ' <index.html | grep -o "<link data-trunk rel=\"rust\"[^>]*>" |
    grep -o " $1=\"[^\"]*\"" | head -n 1 | cut -d'"' -f2) || true
  printf '%s' "${value:-$2}"
}
PROFILE=$(attr data-cargo-profile-release release)
OPT=$(attr data-wasm-opt 0)
read -r -a OPT_PARAMS <<<"$(attr data-wasm-opt-params '')"
OPT_SHOWN="-O$OPT${OPT_PARAMS[*]:+ ${OPT_PARAMS[*]}}"

TARGET_DIR=$(cargo metadata --format-version 1 --no-deps --offline |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
RAW="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/layerlab-web.wasm"
OUT="$TARGET_DIR/wasm-size"

if ((BUILD)); then
  locked=()
  [[ "${CI:-}" == "true" ]] && locked=(--locked)
  echo "==> cargo build -p layerlab-web --target wasm32-unknown-unknown --profile $PROFILE" >&2
  env "${RELEASE_WASM_ENV[@]}" cargo build "${locked[@]}" --offline -p layerlab-web --target wasm32-unknown-unknown --profile "$PROFILE"
fi
[[ -f "$RAW" ]] || { echo "wasm-size: $RAW is missing (run without --no-build)" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen --target web --no-typescript --out-dir "$OUT/bindgen" --out-name layerlab-web "$RAW"
BG="$OUT/bindgen/layerlab-web_bg.wasm"
if [[ "$OPT" == 0 ]]; then
  cp "$BG" "$OUT/layerlab-web_bg.wasm"
else
  echo "==> wasm-opt $OPT_SHOWN" >&2
  wasm-opt "-O$OPT" "${OPT_PARAMS[@]}" "$BG" -o "$OUT/layerlab-web_bg.wasm"
fi

node - "$OUT/layerlab-web_bg.wasm" "$PROFILE" "$OPT_SHOWN" <<'EOF'
const fs = require('fs');
const zlib = require('zlib');
const [file, profile, opt] = process.argv.slice(2);
const bytes = fs.readFileSync(file);
const gzip = zlib.gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`layerlab-web_bg.wasm (profile ${profile}, wasm-opt ${opt}): ` +
  `${bytes.length} bytes raw (${kb(bytes.length)}), ${gzip} bytes gzipped (${kb(gzip)})`);
EOF

((TOP > 0)) || exit 0
command -v twiggy >/dev/null || { echo "wasm-size: --top needs twiggy (cargo install twiggy)" >&2; exit 1; }
echo "==> wasm-opt $OPT_SHOWN -g (names kept, for twiggy)" >&2
NAMED="$OUT/named.wasm"
wasm-opt "-O$OPT" "${OPT_PARAMS[@]}" -g "$BG" -o "$NAMED"
echo
twiggy top -n "$TOP" "$NAMED"
twiggy top -n 1000000 -f csv "$NAMED" >"$OUT/top.csv"
echo
python3 - "$OUT/top.csv" "$TOP" <<'EOF'
"""Totals of twiggy's items per crate, and per module for our crates."""
import collections
import csv
import re
import sys

OURS = ("layerlab_engine", "layerlab_web", "layerlab_syntax")


def group(name):
    if name.startswith('"function names"') or name.endswith("subsection"):
        return "(name section, not shipped)"
    if name.startswith("data segment"):
        return "(data: strings, tables, panic locations)"
    path = re.sub(r"\[[0-9a-f]+\]", "", name)
    # `<Type as Trait>::f` counts under Type, `<Type>::f` likewise.
    path = path.lstrip("<&").removeprefix("mut ")
    parts = [p for p in re.split(r"::|<| as |>", path) if p]
    parts = [p for p in parts if not re.fullmatch(r"h[0-9a-f]{16}", p)]
    if not parts:
        return name[:40]
    if parts[0] in OURS:
        return "::".join(parts[:2])
    if parts[0] in ("core", "alloc", "std"):
        return "::".join(parts[:2]) if len(parts) > 1 else parts[0]
    if parts[0].startswith("import "):
        return "(imports)"
    return parts[0]


sizes = collections.Counter()
counts = collections.Counter()
for row in csv.DictReader(open(sys.argv[1], newline="")):
    key = group(row["Name"])
    sizes[key] += int(row["ShallowSize"])
    counts[key] += 1
shipped = sum(v for k, v in sizes.items() if not k.startswith("(name section"))
print(f"{'bytes':>9}  {'share':>6}  {'items':>5}  crate or module (of {shipped} bytes without names)")
for key, size in sizes.most_common(int(sys.argv[2])):
    share = "" if key.startswith("(name section") else f"{100 * size / shipped:5.1f}%"
    print(f"{size:9}  {share:>6}  {counts[key]:5}  {key}")
EOF
