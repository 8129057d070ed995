//! Shared helpers: fixture paths and fresh scratch directories.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use dds_import::spec::Spec;

/// A file under `tests/data`.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The older synthetic snapshot.
pub fn base() -> PathBuf {
    data("base.json")
}

/// The newer synthetic snapshot (parameters only).
pub fn overlay() -> PathBuf {
    data("overlay.json")
}

/// An empty directory of its own for one test.
pub fn fresh_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("dds-import")
        .join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Reads a written spec back through the strict reader.
pub fn read_spec(dir: &Path, action: &str) -> Spec {
    let text = fs::read_to_string(dir.join(format!("{action}.json"))).unwrap();
    Spec::from_json_text(&text).unwrap_or_else(|e| panic!("{action}: {e:?}"))
}

/// Every file of a directory with its content, sorted by name.
pub fn snapshot_dir(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
