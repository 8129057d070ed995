//! Rebuilds the crate when a spec file is edited, added or removed.
//!
//! The generated code includes each spec file it read, which covers edits; a new or deleted
//! file is only noticed through the directory itself, which is what this script watches.

fn main() {
    println!("cargo:rerun-if-changed=../specs/dds/2015-12-01");
    println!("cargo:rerun-if-changed=build.rs");
}
