//! `.dockerignore` reading and matching on arbitrary patterns and paths.
//! The body is `layerlab_fuzz::dockerignore` (fuzz/src/lib.rs), which the crash
//! regression tests also run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| layerlab_fuzz::dockerignore(data));
