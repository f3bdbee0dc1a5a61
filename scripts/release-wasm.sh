# Sourced by ./x and scripts/wasm-size.sh: how the playground's release wasm
# is built, on top of the `wasm-release` profile (Cargo.toml). Not a command.
#
# The release wasm links a standard library rebuilt for size: cargo's
# build-std with `panic=immediate-abort` (a panic is a wasm trap at once,
# without std's message formatting and panic hook machinery) and
# `-Zlocation-detail=none` (no file/line/column records for panics). That is
# about 46 KB less gzipped wasm. The engine never panics on any input (it is
# fuzzed), and a trap already ended the instance before: what is lost is only
# the panic message in the browser console.
#
# These are unstable options of the stable toolchain (rustc 1.95, see
# ../shared/docs/toolchain.md), enabled with RUSTC_BOOTSTRAP=1 for this one
# build only; every other build and test uses the stable compiler as it is. Rebuilding
# std needs the `rust-src` component and std's own crates from crates.io,
# which `./x` setup installs and fetches.
#
# LLVM's inliner runs with threshold 0 (only what is called once or marked
# for inlining is inlined): 2.8 KB less gzipped, and the edit-to-view time
# stays within one frame (`node tests/e2e/bench.mjs`).
#
# LAYERLAB_PREBUILT_STD=1 builds with the toolchain's prebuilt std instead
# (bigger wasm, panic messages in the console).
RELEASE_WASM_FLAGS="-Cllvm-args=-inline-threshold=0"
RELEASE_WASM_ENV=(CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$RELEASE_WASM_FLAGS")
if [[ "${LAYERLAB_PREBUILT_STD:-}" != 1 ]]; then
  RELEASE_WASM_ENV=(
    RUSTC_BOOTSTRAP=1
    CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$RELEASE_WASM_FLAGS -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
  )
fi

# The crates std is built from: `cargo fetch` of the toolchain's library
# workspace, so that offline builds (Trunk.toml) find them.
fetch_std_sources() {
  [[ "${LAYERLAB_PREBUILT_STD:-}" != 1 ]] || return 0
  rustup component list --installed | grep -qx rust-src || rustup component add rust-src
  env RUSTC_BOOTSTRAP=1 cargo fetch "$@" --quiet \
    --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
}
