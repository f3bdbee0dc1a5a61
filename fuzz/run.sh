#!/usr/bin/env bash
# Runs every fuzz target for the given number of seconds each (default 60),
# seeded from the conformance data and the tests. Needs the nightly toolchain
# and cargo-fuzz (`cargo install cargo-fuzz`). Crashes land in
# fuzz/artifacts/TARGET/; turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse words)
fi
conf=../shared/conformance/buildkit
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus"
  case "$t" in
    parse)
      for d in "$conf"/parser/testfiles/* "$conf"/parser/testfiles-negative/*; do
        cp "$d/Dockerfile" "$corpus/$(basename "$d")" 2>/dev/null || true
      done
      cp static/samples/*/Dockerfile "$corpus/" 2>/dev/null || true
      ;;
    words)
      i=0
      while IFS= read -r line; do
        i=$((i + 1))
        printf '\x00%s' "${line%%|*}" > "$corpus/words-$i"
      done < <(grep -v '^#' "$conf/shell/wordsTest")
      ;;
  esac
  echo "fuzzing $t for ${seconds}s"
  cargo +nightly fuzz run "$t" "$corpus" -- -max_total_time="$seconds" -timeout=5 -max_len=65536 2>&1 \
    | tee "target/fuzz-$t.log" | grep -E '^(#[0-9]+ +DONE|Done|==|SUMMARY)|stat::number_of_executed_units' || true
  if grep -q 'SUMMARY\|deadly signal\|panicked' "target/fuzz-$t.log"; then
    echo "fuzz target $t found a crash: see target/fuzz-$t.log and fuzz/artifacts/$t/"
    exit 1
  fi
done
