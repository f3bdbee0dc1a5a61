//! Word expansion on arbitrary text with both escape characters and every
//! option: never a panic.
#![no_main]

use layerlab_syntax::words::{Env, Lexer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut lexer = Lexer::new(if flags & 1 == 0 { '\\' } else { '`' });
    lexer.raw_quotes = flags & 2 != 0;
    lexer.raw_escapes = flags & 4 != 0;
    lexer.skip_unset_env = flags & 8 != 0;
    lexer.skip_process_quotes = flags & 16 != 0;
    let env = Env::from_slice(&["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL=", "A=a*b"]);
    let _ = lexer.process_word(&text, &env);
    let _ = lexer.process_words(&text, &env);
    let _ = lexer.process_word_with_matches(&text, &env);
});
