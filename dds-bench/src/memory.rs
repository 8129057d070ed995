//! What this process uses, from Linux's `/proc/self`: peak resident memory and CPU time.
//!
//! The figures cover the whole process: when the emulator runs in-process, what it uses is
//! in them too.

use std::fs;
use std::time::Duration;

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

/// CPU time used by all threads of this process so far (user and system), in steps of
/// 10 ms (Linux reports it in clock ticks of 1/100 s).
pub fn cpu_time() -> Option<Duration> {
    // utime and stime are fields 14 and 15 of the line.
    stat_ticks(14, 15)
}

/// CPU time used by the child processes this process has waited for (user and system), in
/// steps of 10 ms.
pub fn children_cpu_time() -> Option<Duration> {
    // cutime and cstime are fields 16 and 17 of the line.
    stat_ticks(16, 17)
}

/// The sum of two clock-tick fields of `/proc/self/stat` (numbered from 1, as in proc(5)).
fn stat_ticks(first: usize, second: usize) -> Option<Duration> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2, in parentheses) may hold spaces; the fields after it do not.
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |number: usize| fields.get(number - 3)?.parse::<u64>().ok();
    Some(Duration::from_millis((field(first)? + field(second)?) * 10))
}

fn status_field(name: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_a_peak_at_least_its_resident_memory_and_uses_cpu_time() {
        let busy_until = std::time::Instant::now() + Duration::from_millis(50);
        while std::time::Instant::now() < busy_until {}
        let (rss, peak) = (rss_kib().expect("VmRSS"), peak_rss_kib().expect("VmHWM"));
        assert!(peak >= rss, "peak {peak} KiB below resident {rss} KiB");
        assert!(cpu_time().expect("/proc/self/stat") >= Duration::from_millis(10));
    }
}
