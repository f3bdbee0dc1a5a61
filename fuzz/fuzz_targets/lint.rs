//! The build checks on arbitrary Dockerfile bytes: warnings and errors point inside the input.
//! The body is `layerlab_fuzz::lint` (fuzz/src/lib.rs), which the crash
//! regression tests also run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| layerlab_fuzz::lint(data));
