//! Peak resident memory of this process, from Linux's `/proc/self/status`.
//!
//! The figure covers the whole process: when the emulator runs in-process, its memory is
//! in it too.

use std::fs;

/// The high-water mark of resident memory (`VmHWM`), in KiB; `None` where `/proc` is not
/// available.
pub fn peak_rss_kib() -> Option<u64> {
    status_field("VmHWM:")
}

/// The resident memory now (`VmRSS`), in KiB.
pub fn rss_kib() -> Option<u64> {
    status_field("VmRSS:")
}

/// Lowers the high-water mark to the current resident memory (Linux 4.0 and later), so the
/// next [`peak_rss_kib`] covers only what runs from now on. Answers whether it worked.
pub fn reset_peak() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn status_field(name: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}
