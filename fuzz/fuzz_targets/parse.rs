//! The parser on arbitrary bytes: never a panic, and every span and line
//! it reports lies inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, result) = layerlab_syntax::parse_bytes(data);
    match result {
        Ok(file) => {
            let lines = text.split('\n').count();
            for ins in &file.instructions {
                assert!(ins.start_line >= 1 && ins.start_line <= ins.end_line);
                assert!(ins.end_line <= lines);
                assert!(ins.span.start <= ins.span.end && ins.span.end <= text.len());
                for f in &ins.flags {
                    assert!(f.span.end <= text.len());
                }
                for a in &ins.args {
                    assert!(a.span.start <= a.span.end && a.span.end <= text.len());
                }
            }
            let _ = layerlab_syntax::dump(&file);
        }
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1);
            assert!(e.span.end <= text.len());
        }
    }
});
