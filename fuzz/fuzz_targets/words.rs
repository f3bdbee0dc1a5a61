//! Word expansion on arbitrary text with both escape characters and every option: never a panic.
//! The body is `layerlab_fuzz::words` (fuzz/src/lib.rs), which the crash
//! regression tests also run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| layerlab_fuzz::words(data));
