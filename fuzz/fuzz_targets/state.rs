//! The state file loader on arbitrary JSON: never a panic, loads round-trip.
//! The body is `layerlab_fuzz::state` (fuzz/src/lib.rs), which the crash
//! regression tests also run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| layerlab_fuzz::state(data));
