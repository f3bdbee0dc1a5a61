//! The simulated docker's state between `layerlab docker` calls: one JSON
//! file, written atomically (temporary file, fsync, rename), with a format
//! version, and locked so that two processes never interleave their
//! read-modify-write.
//!
//! A corrupt, truncated or newer-version file is an error that names the
//! file and is left untouched: the state is never silently reset.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Why the state could not be read or written.
#[derive(Debug)]
pub struct StateError(pub String);

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StateError {}

/// An open, locked state file. The lock is held until this value is
/// dropped, so a load-modify-save sequence is atomic against other
/// `layerlab` processes.
pub struct StateFile {
    path: PathBuf,
    _lock: File,
}

impl StateFile {
    /// Opens (and locks) the state at `path`, creating its folder.
    pub fn open(path: &Path) -> Result<Self, StateError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)
                .map_err(|e| StateError(format!("cannot create {}: {e}", dir.display())))?;
        }
        let lock_path = lock_path(path);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| StateError(format!("cannot open {}: {e}", lock_path.display())))?;
        lock.lock()
            .map_err(|e| StateError(format!("cannot lock {}: {e}", lock_path.display())))?;
        Ok(StateFile {
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    /// Reads the state; `None` when there is no file yet.
    pub fn load<T: DeserializeOwned>(&self) -> Result<Option<T>, StateError> {
        let mut text = String::new();
        match File::open(&self.path) {
            Ok(mut f) => f
                .read_to_string(&mut text)
                .map_err(|e| self.corrupt(&format!("cannot read it: {e}")))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StateError(format!(
                    "cannot open {}: {e}",
                    self.path.display()
                )))
            }
        };
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| self.corrupt(&format!("it is not valid JSON ({e})")))?;
        let version = value
            .get("version")
            .and_then(Value::as_u64)
            .ok_or_else(|| self.corrupt("it has no format version"))?;
        if version > FORMAT_VERSION {
            return Err(StateError(format!(
                "{} was written by a newer layerlab (format {version}, this one reads up to \
                 {FORMAT_VERSION}); it was left untouched",
                self.path.display()
            )));
        }
        let state = value
            .get("state")
            .cloned()
            .ok_or_else(|| self.corrupt("it has no state"))?;
        serde_json::from_value(state)
            .map(Some)
            .map_err(|e| self.corrupt(&format!("its state does not fit ({e})")))
    }

    /// Writes the state atomically: a reader sees the old file or the new
    /// one, never a mix, even if this process is killed mid-way.
    pub fn save<T: Serialize>(&self, state: &T) -> Result<(), StateError> {
        let doc = serde_json::json!({"version": FORMAT_VERSION, "state": state});
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|e| StateError(format!("cannot serialize the state: {e}")))?;
        let tmp = temp_path(&self.path);
        let write = || -> std::io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            if let Ok(ms) = std::env::var("LAYERLAB_TEST_PAUSE_BEFORE_RENAME_MS") {
                // Test hook: lets a test kill the writer between write and rename.
                std::thread::sleep(std::time::Duration::from_millis(ms.parse().unwrap_or(0)));
            }
            fs::rename(&tmp, &self.path)?;
            if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                if let Ok(d) = File::open(dir) {
                    let _ = d.sync_all();
                }
            }
            Ok(())
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            StateError(format!("cannot write {}: {e}", self.path.display()))
        })
    }

    fn corrupt(&self, why: &str) -> StateError {
        StateError(format!(
            "the state file {} is damaged: {why}. It was left untouched; move it away to \
             start from an empty state.",
            self.path.display()
        ))
    }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp.{}", std::process::id()));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("layerlab-state-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir.join("state.json")
    }

    #[test]
    fn round_trip_and_missing_file() {
        let path = temp("roundtrip");
        let f = StateFile::open(&path).expect("open");
        assert_eq!(f.load::<Vec<String>>().expect("load"), None);
        f.save(&vec!["a".to_string()]).expect("save");
        assert_eq!(
            f.load::<Vec<String>>().expect("load"),
            Some(vec!["a".to_string()])
        );
    }

    #[test]
    fn damaged_and_future_files_are_errors_and_kept() {
        let path = temp("damaged");
        let f = StateFile::open(&path).expect("open");
        for (content, needle) in [
            ("{\"version\": 1, \"sta", "not valid JSON"),
            ("{\"state\": []}", "no format version"),
            ("{\"version\": 99, \"state\": []}", "newer layerlab"),
            ("{\"version\": 1, \"state\": {\"x\": 1}}", "does not fit"),
        ] {
            fs::write(&path, content).expect("write");
            let err = f.load::<Vec<String>>().expect_err("must fail");
            assert!(err.0.contains(needle), "{content}: {err}");
            assert_eq!(fs::read_to_string(&path).expect("read"), content);
        }
    }
}
