//! The parser on arbitrary bytes: never a panic, every span and line inside the input.
//! The body is `layerlab_fuzz::parse` (fuzz/src/lib.rs), which the crash
//! regression tests also run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| layerlab_fuzz::parse(data));
