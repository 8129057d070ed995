//! Throughput and latency of one timed run.

use std::fmt;
use std::time::Duration;

/// What one timed run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct RunStats {
    /// Calls answered with success.
    pub calls: usize,
    /// Wall time from the first call sent to the last answer read.
    pub elapsed: Duration,
    /// Median latency of one call.
    pub p50: Duration,
    /// 99th percentile latency of one call.
    pub p99: Duration,
    /// Peak resident memory during the run, in KiB, when known.
    pub peak_rss_kib: Option<u64>,
    /// CPU time of the whole process per call, when known: unlike throughput, it hardly
    /// changes when other programs compete for the cores.
    pub cpu_per_call: Option<Duration>,
}

impl RunStats {
    /// Summarizes a run from the latency of each call (in any order).
    pub fn from_latencies(mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        latencies.sort_unstable();
        RunStats {
            calls: latencies.len(),
            elapsed,
            p50: percentile(&latencies, 50.0),
            p99: percentile(&latencies, 99.0),
            peak_rss_kib: None,
            cpu_per_call: None,
        }
    }

    /// Calls per second.
    pub fn throughput(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64()
    }

    /// The median of several runs, metric by metric (so the figures may come from different
    /// runs). `None` for no runs.
    pub fn median(runs: &[RunStats]) -> Option<RunStats> {
        if runs.is_empty() {
            return None;
        }
        let pick = |key: &dyn Fn(&RunStats) -> f64| -> usize {
            let mut order: Vec<usize> = (0..runs.len()).collect();
            order.sort_by(|&a, &b| key(&runs[a]).total_cmp(&key(&runs[b])));
            order[order.len() / 2]
        };
        let by_throughput = &runs[pick(&|r| r.throughput())];
        let mut peaks: Vec<u64> = runs.iter().filter_map(|r| r.peak_rss_kib).collect();
        peaks.sort_unstable();
        let mut cpu: Vec<Duration> = runs.iter().filter_map(|r| r.cpu_per_call).collect();
        cpu.sort_unstable();
        Some(RunStats {
            calls: by_throughput.calls,
            elapsed: by_throughput.elapsed,
            p50: runs[pick(&|r| r.p50.as_secs_f64())].p50,
            p99: runs[pick(&|r| r.p99.as_secs_f64())].p99,
            peak_rss_kib: peaks.get(peaks.len() / 2).copied(),
            cpu_per_call: cpu.get(cpu.len() / 2).copied(),
        })
    }
}

/// The nearest-rank percentile of sorted values; zero for none.
pub fn percentile(sorted: &[Duration], percent: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A duration in the unit that reads best: `87 µs`, `1.24 ms`.
#[derive(Debug, Clone, Copy)]
pub struct Short(pub Duration);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = self.0.as_secs_f64() * 1e6;
        if micros < 1000.0 {
            write!(f, "{micros:.0} µs")
        } else {
            write!(f, "{:.2} ms", micros / 1000.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let sorted = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&sorted, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&sorted, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&ms(&[7]), 99.0), Duration::from_millis(7));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn a_run_is_summarized_from_unsorted_latencies() {
        let stats = RunStats::from_latencies(ms(&[3, 1, 2, 4]), Duration::from_secs(2));
        assert_eq!(stats.calls, 4);
        assert_eq!(stats.throughput(), 2.0);
        assert_eq!(stats.p50, Duration::from_millis(2));
        assert_eq!(stats.p99, Duration::from_millis(4));
    }

    #[test]
    fn the_median_of_runs_is_taken_metric_by_metric() {
        let run = |calls: usize, p99: u64, peak: u64| RunStats {
            calls,
            elapsed: Duration::from_secs(1),
            p50: Duration::from_millis(1),
            p99: Duration::from_millis(p99),
            peak_rss_kib: Some(peak),
            cpu_per_call: Some(Duration::from_micros(peak)),
        };
        let median = RunStats::median(&[run(100, 9, 30), run(300, 5, 10), run(200, 7, 20)])
            .expect("three runs");
        assert_eq!(median.calls, 200);
        assert_eq!(median.p99, Duration::from_millis(7));
        assert_eq!(median.peak_rss_kib, Some(20));
        assert_eq!(median.cpu_per_call, Some(Duration::from_micros(20)));
        assert_eq!(RunStats::median(&[]), None);
    }
}
