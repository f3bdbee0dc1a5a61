//! The whole pipeline on arbitrary Dockerfile bytes: parse, lint, build in a
//! small fixed context, rebuild, edit and rebuild, save and load the state.
//! The body is `layerlab_fuzz::pipeline` (fuzz/src/lib.rs), which the crash
//! regression tests also run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| layerlab_fuzz::pipeline(data));
