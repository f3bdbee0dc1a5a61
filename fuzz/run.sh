#!/usr/bin/env bash
# Runs fuzz targets for the given number of seconds each (default 60):
#   fuzz/run.sh [SECONDS] [TARGET...]      (no TARGET: every target)
# Each corpus is seeded (fuzz/seeds.py) from the conformance data, the
# sample project, the engine's tests and fuzz/seeds/TARGET/. Needs the
# nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Prints the
# executions per target and writes target/fuzz-summary.txt. Crashes land in
# fuzz/artifacts/TARGET/: minimize one with
#   fuzz/target/<host>/release/TARGET -minimize_crash=1 -runs=5000 CRASH_FILE
# and save it as tests/fuzz-regressions/TARGET/NAME (run by
# tests/tests/fuzz_regressions.rs).
#
# FUZZ_KEEP_GOING=1 keeps fuzzing after a crash (libFuzzer's fork mode with
# -ignore_crashes), to look past a known crash for others.
#
# Keep CPU use modest on a shared machine: one target at a time, one job.
set -euo pipefail

main() {
  cd "$(dirname "$0")/.."
  local seconds="${1:-60}"
  shift || true
  local targets=("$@")
  if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
  fi
  mkdir -p target
  local summary=target/fuzz-summary.txt
  : >"$summary"
  # Build every target once, then run the binaries: a `cargo fuzz run` per
  # target would rebuild whenever someone edits the workspace meanwhile.
  echo "building the fuzz targets (log: target/fuzz-build.log)"
  if ! cargo +nightly fuzz build >target/fuzz-build.log 2>&1; then
    tail -30 target/fuzz-build.log
    exit 1
  fi
  local bin_dir
  bin_dir="fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release"
  local failed=()
  local t
  for t in "${targets[@]}"; do
    local corpus="fuzz/corpus/$t" log="target/fuzz-$t.log"
    python3 fuzz/seeds.py "$t" "$corpus"
    echo "fuzzing $t for ${seconds}s"
    mkdir -p "fuzz/artifacts/$t"
    local extra=()
    if [ "${FUZZ_KEEP_GOING:-}" = 1 ]; then
      extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    fi
    # -rss_limit_mb: a context archive may inflate (gzip) a lot.
    "$bin_dir/$t" "$corpus" "${extra[@]}" -artifact_prefix="fuzz/artifacts/$t/" \
      -max_total_time="$seconds" -timeout=10 -max_len=65536 -rss_limit_mb=2560 \
      -print_final_stats=1 >"$log" 2>&1 || true
    local execs cov crashes=0 result
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ -z "$execs" ]; then # fork mode: "#N: cov: ... oom/timeout/crash: a/b/c"
      execs=$(sed -n 's/^#\([0-9][0-9]*\): cov:.*/\1/p' "$log" | tail -1)
      crashes=$(sed -n 's#.*oom/timeout/crash: \([0-9]*\)/\([0-9]*\)/\([0-9]*\).*#\1+\2+\3#p' "$log" | tail -1)
      crashes=$((${crashes:-0}))
    fi
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 || true)
    if [ "$crashes" -gt 0 ] || grep -qE 'SUMMARY|deadly signal|panicked|Test unit written' "$log"; then
      result="CRASH (see $log and fuzz/artifacts/$t/)"
      failed+=("$t")
    elif [ -z "$execs" ]; then
      result="DID NOT RUN (see $log)"
      failed+=("$t")
    else
      result="ok"
    fi
    echo "$t: ${execs:-0} executions in ${seconds}s, ${cov:-cov: ?}, $(find "$corpus" -type f | wc -l) corpus inputs: $result" |
      tee -a "$summary"
  done
  if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz targets with problems: ${failed[*]}"
    exit 1
  fi
}

main "$@"
