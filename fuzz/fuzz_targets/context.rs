//! Build context import from arbitrary (or generated, hostile) tar and tar.gz archives.
//! The body is `layerlab_fuzz::context` (fuzz/src/lib.rs), which the crash
//! regression tests also run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| layerlab_fuzz::context(data));
