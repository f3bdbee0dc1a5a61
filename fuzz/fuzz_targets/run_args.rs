//! `docker run`/`create`/`exec` argument parsing and the run plan on arbitrary arguments.
//! The body is `layerlab_fuzz::run_args` (fuzz/src/lib.rs), which the crash
//! regression tests also run.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| layerlab_fuzz::run_args(data));
