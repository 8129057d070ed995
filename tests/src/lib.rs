//! End-to-end tests live in this package's `tests/` folder.
