//! The emulator's own throughput with signature checks on, measured by `wrk` over loopback.
//!
//! The emulator runs in this process on its own Tokio runtime; `wrk` runs as a child process
//! with `wrk/presigned.lua`, sending DescribeDBInstanceAttribute requests signed before the
//! run, each with its own nonce (the emulator refuses a nonce twice, so a fixed request cannot
//! be replayed). Every answer must be a success: a refused signature or nonce shows up as a
//! non-2xx count and fails the benchmark.
//!
//! Needs `wrk` (Debian: `apt-get install wrk`). `cargo bench -p dds-bench --bench emulator --
//! --help` lists the options.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use clap::Parser;
use dds_api::credentials::Credentials;
use dds_api::signing::{self, SignatureVersion};
use dds_bench::memory;
use dds_bench::presign::{DemoCall, parse_signature};
use dds_bench::stats::Short;
use dds_bench::wrk::write_requests;
use dds_emulator::{Config, Emulator};

/// Options of the emulator benchmark.
#[derive(Debug, Parser)]
#[command(
    name = "emulator",
    about = "The emulator's throughput under wrk, signature checks on"
)]
struct Options {
    /// Seconds per wrk run.
    #[arg(long, default_value_t = 5)]
    duration: u64,
    /// Open connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// wrk threads. One leaves most of the second core to the emulator.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// The emulator's Tokio worker threads.
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Requests signed per run: more than the run can send (a thread that runs out stops, and
    /// the run is flagged). 600,000 covers 120,000 calls/s for the default 5 s; the
    /// emulator served about 60,000 on the 2-core machine of the README's table.
    #[arg(long, default_value_t = 600_000)]
    requests: usize,
    /// Runs; the medians are reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// The signature of the requests: v1 or v3.
    #[arg(long, default_value = "v3", value_parser = parse_signature)]
    signature: SignatureVersion,
    /// The wrk program.
    #[arg(long, default_value = "wrk")]
    wrk: PathBuf,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// What one wrk run reported.
#[derive(Debug, Clone)]
struct WrkRun {
    throughput: f64,
    /// Answers read in the run.
    calls: u64,
    /// CPU time of this process (the emulator) per call.
    emulator_cpu: Option<Duration>,
    /// CPU time of wrk per call.
    wrk_cpu: Option<Duration>,
    p50: Duration,
    p99: Duration,
    exhausted: bool,
}

fn main() {
    let options = Options::parse();
    if let Err(message) = run(&options) {
        eprintln!("emulator benchmark: {message}");
        std::process::exit(1);
    }
}

fn run(options: &Options) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.workers)
        .enable_all()
        .build()
        .map_err(|e| format!("no Tokio runtime: {e}"))?;
    let credentials = Credentials::new(
        Config::DEFAULT_ACCESS_KEY_ID,
        Config::DEFAULT_ACCESS_KEY_SECRET,
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("wrk/presigned.lua");

    let mut runs = Vec::new();
    for run in 0..options.runs {
        // A fresh emulator every run: it remembers each nonce for its 15-minute window, so
        // one emulator serving every run would hold more of them, and answer slower, in
        // each later run. Signature checks, timestamp window and nonce checks as configured
        // by default; no throttle.
        let emulator = runtime
            .block_on(Emulator::start(Config::new()))
            .map_err(|e| format!("the emulator did not start: {e}"))?;
        let authority = emulator.local_addr().to_string();
        let presigner =
            DemoCall::Attribute.presigner(&authority, &credentials, options.signature)?;
        let requests_file = std::env::temp_dir().join(format!(
            "dds-bench-wrk-{}-{}.txt",
            std::process::id(),
            emulator.local_addr().port()
        ));
        if run == 0 {
            println!(
                "emulator in this process ({} Tokio workers, a fresh one per run), DescribeDBInstanceAttribute, signature {}",
                options.workers, options.signature
            );
        }

        // Fresh nonces every run, signed at one instant so they share one template.
        let signed = presigner
            .sign_many(options.requests, signing::now())
            .map_err(|e| e.to_string())?;
        let mut out = BufWriter::new(
            File::create(&requests_file)
                .map_err(|e| format!("cannot write {}: {e}", requests_file.display()))?,
        );
        write_requests(&mut out, &authority, &signed)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(|e| format!("cannot write {}: {e}", requests_file.display()))?;
        drop(signed);

        let mut command = Command::new(&options.wrk);
        command
            .arg(format!("--threads={}", options.threads))
            .arg(format!("--connections={}", options.connections))
            .arg(format!("--duration={}s", options.duration))
            .arg(format!("--script={}", script.display()))
            .arg(emulator.url())
            .arg("--")
            .arg(&requests_file)
            .arg(options.threads.to_string());
        if run == 0 {
            println!(
                "wrk --threads={} --connections={} --duration={}s --script=dds-bench/wrk/presigned.lua {} -- <{} presigned requests> {}\n",
                options.threads,
                options.connections,
                options.duration,
                emulator.url(),
                options.requests,
                options.threads
            );
        }
        let cpu_before = (memory::cpu_time(), memory::children_cpu_time());
        let outcome = wrk_run(&mut command).map(|mut outcome| {
            let per_call = |before: Option<Duration>, after: Option<Duration>| {
                Some((after? - before?) / u32::try_from(outcome.calls.max(1)).ok()?)
            };
            outcome.emulator_cpu = per_call(cpu_before.0, memory::cpu_time());
            outcome.wrk_cpu = per_call(cpu_before.1, memory::children_cpu_time());
            outcome
        });
        let _ = std::fs::remove_file(&requests_file);
        runtime.block_on(emulator.stop());
        let outcome = outcome?;
        eprintln!(
            "run {}/{}: {:.0} calls/s, p99 {}, CPU per call: emulator {}, wrk {}{}",
            run + 1,
            options.runs,
            outcome.throughput,
            Short(outcome.p99),
            outcome
                .emulator_cpu
                .map_or("-".to_owned(), |d| Short(d).to_string()),
            outcome
                .wrk_cpu
                .map_or("-".to_owned(), |d| Short(d).to_string()),
            if outcome.exhausted {
                " (ran out of presigned requests: raise --requests)"
            } else {
                ""
            }
        );
        runs.push(outcome);
    }

    let median = |key: fn(&WrkRun) -> f64| {
        let mut values: Vec<f64> = runs.iter().map(key).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let throughput = median(|r| r.throughput);
    println!(
        "emulator, checked calls: {throughput:.0} calls/s, p50 {}, p99 {} (median of {} runs)",
        Short(Duration::from_secs_f64(median(|r| r.p50.as_secs_f64()))),
        Short(Duration::from_secs_f64(median(|r| r.p99.as_secs_f64()))),
        runs.len()
    );
    let cpu: Vec<f64> = runs
        .iter()
        .filter_map(|r| r.emulator_cpu.map(|d| d.as_secs_f64()))
        .collect();
    if !cpu.is_empty() {
        let emulator_cpu = median(|r| r.emulator_cpu.map_or(f64::NAN, |d| d.as_secs_f64()));
        let wrk_cpu = median(|r| r.wrk_cpu.map_or(f64::NAN, |d| d.as_secs_f64()));
        println!(
            "CPU per checked call: emulator {:.1} µs, wrk {:.1} µs (wrk's includes its script \
             assembling the presigned requests); two cores shared by both serve at most {:.0} \
             calls/s, two cores for the emulator alone {:.0} calls/s",
            emulator_cpu * 1e6,
            wrk_cpu * 1e6,
            2.0 / (emulator_cpu + wrk_cpu),
            2.0 / emulator_cpu
        );
    }
    println!(
        "target 30000 calls/s or more on 2 cores: {}",
        if throughput >= 30_000.0 {
            "met"
        } else {
            "missed"
        }
    );
    if runs.iter().any(|r| r.exhausted) {
        println!("note: a run ran out of presigned requests; its figure is low");
    }
    Ok(())
}

/// Runs wrk and reads its report. Any non-2xx answer or socket error fails the run.
fn wrk_run(command: &mut Command) -> Result<WrkRun, String> {
    let output = command
        .output()
        .map_err(|e| format!("wrk could not be started ({e}); install it: apt-get install wrk"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "wrk failed ({}): {}{}",
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    for problem in ["Non-2xx or 3xx responses", "Socket errors"] {
        if let Some(line) = stdout.lines().find(|line| line.contains(problem)) {
            return Err(format!(
                "wrk saw failures: {} (the emulator refused requests or connections)",
                line.trim()
            ));
        }
    }
    let calls = stdout
        .lines()
        .find_map(|line| line.trim().split_once(" requests in "))
        .and_then(|(count, _)| count.parse::<u64>().ok())
        .ok_or_else(|| format!("wrk's report has no request count:\n{stdout}"))?;
    let throughput = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .and_then(|value| value.trim().parse::<f64>().ok())
        .ok_or_else(|| format!("wrk's report has no Requests/sec line:\n{stdout}"))?;
    let percentiles = stdout
        .lines()
        .find_map(|line| line.strip_prefix("dds-bench: p50_us "))
        .and_then(|rest| {
            let (p50, p99) = rest.split_once(" p99_us ")?;
            Some((
                p50.trim().parse::<u64>().ok()?,
                p99.trim().parse::<u64>().ok()?,
            ))
        })
        .ok_or_else(|| format!("the wrk script reported no percentiles:\n{stdout}"))?;
    Ok(WrkRun {
        throughput,
        calls,
        emulator_cpu: None,
        wrk_cpu: None,
        p50: Duration::from_micros(percentiles.0),
        p99: Duration::from_micros(percentiles.1),
        exhausted: stdout.contains("dds-bench: exhausted"),
    })
}
