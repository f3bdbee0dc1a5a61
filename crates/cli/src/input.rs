//! Reading a command's input file, `-` meaning standard input.

use std::io::Read;
use std::process::ExitCode;

/// The bytes of `path`, or of standard input for `-`.
pub fn read_input(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(path)
    }
}

/// [`read_input`], with a failure reported on standard error as
/// `error: PATH: reason` and turned into exit status 2.
pub fn read_or_exit(path: &str) -> Result<Vec<u8>, ExitCode> {
    read_input(path).map_err(|e| {
        eprintln!("error: {path}: {e}");
        ExitCode::from(2)
    })
}
