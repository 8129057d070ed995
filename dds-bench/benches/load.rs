//! The load tool: N calls at concurrency C against one in-process emulator, through
//!
//! - the dds-api SDK (`client.describe_db_instance_attribute()...send()`), which validates,
//!   signs, sends and decodes every call inline;
//! - bare reqwest, sending the same number of requests signed before the timed run (one nonce
//!   each: the emulator refuses a nonce twice) and reading each answer's body;
//! - Alibaba Cloud's official Python SDK (`python/load_peer.py`), in its own process.
//!
//! All three talk to the same emulator, signature checks on, no throttle, over loopback.
//! Prints calls/s, p50 and p99 latency, peak memory and the ratios.
//!
//! `cargo bench -p dds-bench --bench load -- --help` lists the options.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use dds_api::credentials::Credentials;
use dds_api::signing::{self, SignatureVersion};
use dds_api::{Client, RetryPolicy};
use dds_bench::memory;
use dds_bench::presign::{DemoCall, PresignedRequest, Presigner, parse_signature};
use dds_bench::stats::{RunStats, Short};
use dds_emulator::{Config, DEMO_RS44_SSL, Emulator};

/// Options of the load tool. The defaults finish in well under a minute on 2 cores.
#[derive(Debug, Parser)]
#[command(
    name = "load",
    about = "SDK, bare reqwest and the official Python SDK against the emulator"
)]
struct Options {
    /// Calls per timed run, for the SDK and for bare reqwest. A run takes about a second on
    /// 2 cores; shorter runs let a single scheduling hiccup move the median.
    #[arg(long, default_value_t = 30_000)]
    calls: usize,
    /// Concurrency levels (calls in flight), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,64")]
    concurrency: Vec<usize>,
    /// Timed runs per sender and concurrency; the medians are reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Untimed calls before each run (connections open, caches warm).
    #[arg(long, default_value_t = 200)]
    warmup: usize,
    /// The signature every sender uses: v1 or v3.
    #[arg(long, default_value = "v3", value_parser = parse_signature)]
    signature: SignatureVersion,
    /// The senders to run: sdk, bare, python (comma-separated; all by default). One sender
    /// alone is handy under a profiler.
    #[arg(long, value_delimiter = ',', default_value = "sdk,bare,python")]
    senders: Vec<Sender>,
    /// Calls per concurrency level for the Python SDK (it is much slower); 0 leaves it out.
    #[arg(long, default_value_t = 1_000)]
    python_calls: usize,
    /// Concurrency levels (threads) for the Python SDK.
    #[arg(long, value_delimiter = ',', default_value = "1,64")]
    python_concurrency: Vec<usize>,
    /// The Python interpreter with the official SDK installed. Default: the interop suite's
    /// virtual environment, tests/interop/.venv (made by tests/interop/setup.sh).
    #[arg(long)]
    python: Option<PathBuf>,
    /// Bare reqwest also parses each answer into a `serde_json::Value`, as a hand-written
    /// client that reads the answer would (the SDK decodes into typed structs).
    #[arg(long)]
    bare_parses_json: bool,
    /// The operation every call makes: `attribute` (DescribeDBInstanceAttribute, a 2.8 KB
    /// answer of about 60 members to decode) or `ssl` (DescribeDBInstanceSSL, a 0.2 KB answer
    /// of 4), to tell the SDK's per-call cost from its decoding cost.
    #[arg(long, value_enum, default_value = "attribute")]
    operation: DemoCall,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// One of the three ways of sending the load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Sender {
    /// The dds-api SDK.
    Sdk,
    /// Bare reqwest with presigned requests.
    Bare,
    /// The official Python SDK.
    Python,
}

fn main() {
    let options = Options::parse();
    // The workspace builds reqwest without a built-in TLS provider (the SDK hands it one);
    // bare reqwest takes the process default. Nothing here uses TLS: the traffic is loopback
    // HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime starts");
    if let Err(message) = runtime.block_on(run(options)) {
        eprintln!("load: {message}");
        std::process::exit(1);
    }
}

/// One sender's runs at one concurrency level.
#[derive(Debug, Default)]
struct Results {
    sdk: Vec<RunStats>,
    bare: Vec<RunStats>,
    python: Option<Result<RunStats, String>>,
}

async fn run(options: Options) -> Result<(), String> {
    print_machine();
    let load_before = load_average();

    let credentials = Credentials::new(
        Config::DEFAULT_ACCESS_KEY_ID,
        Config::DEFAULT_ACCESS_KEY_SECRET,
    );
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("the bare reqwest client could not be built: {e}"))?;

    println!(
        "emulator in this process (a fresh one per timed run), {} on {DEMO_RS44_SSL}, signature {}",
        options.operation.action(),
        options.signature
    );
    println!(
        "{} calls per run, {} runs per sender and concurrency (medians), warm-up {} calls\n",
        options.calls, options.runs, options.warmup
    );

    let mut results: Vec<(usize, Results)> = options
        .concurrency
        .iter()
        .map(|&c| (c, Results::default()))
        .collect();
    for run in 0..options.runs {
        for (concurrency, results) in &mut results {
            let concurrency = *concurrency;
            // Alternate which sender goes first, so neither always runs on a warmer machine.
            let sdk_first = run % 2 == 0;
            for sdk_turn in [sdk_first, !sdk_first] {
                let sender = if sdk_turn { Sender::Sdk } else { Sender::Bare };
                if !options.senders.contains(&sender) {
                    continue;
                }
                let target = Target::start(&options, &credentials).await?;
                let stats = if sdk_turn {
                    sdk_run(
                        &target.client,
                        options.operation,
                        options.calls,
                        concurrency,
                        options.warmup,
                    )
                    .await
                } else {
                    let presigner = options.operation.presigner(
                        &target.authority,
                        &credentials,
                        options.signature,
                    );
                    match presigner {
                        Ok(presigner) => {
                            bare_run(
                                &bare,
                                target.emulator.url(),
                                &presigner,
                                options.calls,
                                concurrency,
                                options.warmup,
                                options.bare_parses_json,
                            )
                            .await
                        }
                        Err(message) => Err(message),
                    }
                };
                target.emulator.stop().await;
                let stats = stats?;
                if sdk_turn {
                    results.sdk.push(stats);
                } else {
                    results.bare.push(stats);
                }
            }
            eprintln!(
                "run {}/{} at concurrency {concurrency}: SDK {:.0} calls/s, bare {:.0} calls/s",
                run + 1,
                options.runs,
                results.sdk.last().map_or(0.0, RunStats::throughput),
                results.bare.last().map_or(0.0, RunStats::throughput),
            );
        }
    }

    if options.python_calls > 0 && options.senders.contains(&Sender::Python) {
        let python = options.python.clone().unwrap_or_else(default_python);
        for (concurrency, results) in &mut results {
            if !options.python_concurrency.contains(concurrency) {
                continue;
            }
            let outcome = if python.exists() {
                let target = Target::start(&options, &credentials).await?;
                let outcome = python_run(
                    &python,
                    &target.authority,
                    &credentials,
                    options.signature,
                    options.operation,
                    options.python_calls,
                    *concurrency,
                )
                .await;
                target.emulator.stop().await;
                outcome
            } else {
                Err(format!(
                    "not run: {} does not exist (run tests/interop/setup.sh, or pass --python)",
                    python.display()
                ))
            };
            results.python = Some(outcome);
        }
    }

    for (concurrency, results) in &results {
        print_results(*concurrency, results, &options);
    }
    println!(
        "CPU/call and peak RSS cover this whole process, the in-process emulator included \
         (the Python row: its own process only)."
    );
    println!(
        "load average before: {load_before}; after: {}",
        load_average()
    );
    Ok(())
}

/// A fresh emulator for one timed run, and an SDK client aimed at it.
///
/// Every run gets its own emulator: it remembers each nonce for its 15-minute window, so one
/// emulator serving every run would hold more nonces, and answer a little slower, in each
/// later run, whichever sender made it.
struct Target {
    emulator: Emulator,
    client: Client,
    /// The emulator's `host:port`, which V3 signs.
    authority: String,
}

impl Target {
    async fn start(options: &Options, credentials: &Credentials) -> Result<Target, String> {
        // The emulator's defaults: signature checks on, its own access key, no throttle.
        let emulator = Emulator::start(Config::new())
            .await
            .map_err(|e| format!("the emulator did not start: {e}"))?;
        let client = Client::builder()
            .endpoint(emulator.url())
            .credentials(credentials.clone())
            .signature_version(options.signature)
            // One attempt per call, as bare reqwest makes: a retry would hide a failure.
            .retry_policy(RetryPolicy::disabled())
            .build()
            .map_err(|e| format!("the SDK client could not be built: {e}"))?;
        let authority = emulator.url().trim_start_matches("http://").to_owned();
        Ok(Target {
            emulator,
            client,
            authority,
        })
    }
}

/// Calls through the SDK: validated, signed, sent and decoded inline.
async fn sdk_run(
    client: &Client,
    operation: DemoCall,
    calls: usize,
    concurrency: usize,
    warmup: usize,
) -> Result<RunStats, String> {
    let sender = |client: Client| move |_index| sdk_call(client.clone(), operation);
    drive(warmup, concurrency, sender(client.clone())).await?;

    measured(drive(calls, concurrency, sender(client.clone()))).await
}

async fn sdk_call(client: Client, operation: DemoCall) -> Result<(), String> {
    let failed = |e: &dyn std::fmt::Display| format!("an SDK call failed: {e}");
    match operation {
        DemoCall::Attribute => client
            .describe_db_instance_attribute()
            .db_instance_id(DEMO_RS44_SSL)
            .send()
            .await
            .map(drop)
            .map_err(|e| failed(&e)),
        DemoCall::Ssl => client
            .describe_db_instance_ssl()
            .db_instance_id(DEMO_RS44_SSL)
            .send()
            .await
            .map(drop)
            .map_err(|e| failed(&e)),
    }
}

/// Sends requests signed beforehand with a bare reqwest client, reading each answer's body.
async fn bare_run(
    bare: &reqwest::Client,
    base_url: &str,
    presigner: &Presigner<'_>,
    calls: usize,
    concurrency: usize,
    warmup: usize,
    parse_json: bool,
) -> Result<RunStats, String> {
    // Signed before the clock starts; the emulator's timestamp window covers the run.
    let mut warm = presigner
        .sign_many(warmup + calls, signing::now())
        .map_err(|e| e.to_string())?;
    let timed = warm.split_off(warmup);
    let sender = |requests: Vec<PresignedRequest>| {
        // Moved, not copied: the presigned requests are held once.
        let requests: Arc<[PresignedRequest]> = requests.into();
        let bare = bare.clone();
        let base_url: Arc<str> = base_url.into();
        move |index: usize| {
            bare_call(
                bare.clone(),
                Arc::clone(&base_url),
                Arc::clone(&requests),
                index,
                parse_json,
            )
        }
    };
    drive(warmup, concurrency, sender(warm)).await?;

    measured(drive(calls, concurrency, sender(timed))).await
}

async fn bare_call(
    bare: reqwest::Client,
    base_url: Arc<str>,
    requests: Arc<[PresignedRequest]>,
    index: usize,
    parse_json: bool,
) -> Result<(), String> {
    let request = &requests[index];
    let mut builder = bare.post(format!("{base_url}{}", request.path_and_query));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder
        .header(reqwest::header::CONTENT_LENGTH, "0")
        .body(Vec::new())
        .send()
        .await
        .map_err(|e| format!("a bare request failed: {}", e.without_url()))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("a bare answer broke off: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "a bare request was answered {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        ));
    }
    if parse_json {
        serde_json::from_slice::<serde_json::Value>(&body)
            .map_err(|e| format!("a bare answer is not JSON: {e}"))?;
    }
    Ok(())
}

/// Runs a timed load and adds what the process used meanwhile: peak memory and CPU time.
async fn measured(
    load: impl Future<Output = Result<(Vec<Duration>, Duration), String>>,
) -> Result<RunStats, String> {
    memory::reset_peak();
    let cpu_before = memory::cpu_time();
    let (latencies, elapsed) = load.await?;
    let cpu_after = memory::cpu_time();

    let mut stats = RunStats::from_latencies(latencies, elapsed);
    stats.peak_rss_kib = memory::peak_rss_kib();
    if let (Some(before), Some(after)) = (cpu_before, cpu_after) {
        stats.cpu_per_call = Some((after - before) / stats.calls.max(1) as u32);
    }
    Ok(stats)
}

/// Makes `calls` calls, `concurrency` of them in flight at any time; answers the latency of
/// each call and the wall time of the whole.
async fn drive<F, Fut>(
    calls: usize,
    concurrency: usize,
    call: F,
) -> Result<(Vec<Duration>, Duration), String>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let call = Arc::new(call);
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency.max(1))
        .map(|_| {
            let next = Arc::clone(&next);
            let call = Arc::clone(&call);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(calls / concurrency.max(1) + 1);
                // Each worker takes the next call number until all are taken.
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= calls {
                        return Ok::<_, String>(latencies);
                    }
                    let sent = Instant::now();
                    call(index).await?;
                    latencies.push(sent.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(calls);
    for worker in workers {
        let worker = worker
            .await
            .map_err(|e| format!("a load worker panicked: {e}"))?;
        latencies.extend(worker?);
    }
    Ok((latencies, started.elapsed()))
}

/// Runs the official Python SDK in its own process against the same emulator.
async fn python_run(
    python: &Path,
    authority: &str,
    credentials: &Credentials,
    signature: SignatureVersion,
    operation: DemoCall,
    calls: usize,
    concurrency: usize,
) -> Result<RunStats, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/load_peer.py");
    let mut command = Command::new(python);
    command
        .arg(&script)
        .args(["--calls", &calls.to_string()])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--instance", DEMO_RS44_SSL])
        .args(["--action", operation.action()])
        .args([
            "--signature",
            match signature {
                SignatureVersion::V1 => "v1",
                _ => "v3",
            },
        ])
        .env("DDS_BENCH_ENDPOINT", authority)
        .env("DDS_BENCH_ACCESS_KEY_ID", &credentials.access_key_id)
        .env(
            "DDS_BENCH_ACCESS_KEY_SECRET",
            credentials.access_key_secret.expose(),
        );
    eprintln!("Python SDK at concurrency {concurrency}: {calls} calls ...");
    // The emulator answers on this runtime's workers while the child runs.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| format!("the Python runner panicked: {e}"))?
        .map_err(|e| format!("{} could not be started: {e}", python.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last_lines: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!(
            "failed ({}): {}",
            output.status,
            last_lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
        ));
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("its report is not JSON: {e}"))?;
    let number = |name: &str| {
        report
            .get(name)
            .and_then(serde_json::Value::as_f64)
            .ok_or_else(|| format!("its report has no number `{name}`"))
    };
    let micros = |value: f64| Duration::from_secs_f64(value / 1e6);
    Ok(RunStats {
        calls: number("calls")? as usize,
        elapsed: Duration::from_secs_f64(number("seconds")?),
        p50: micros(number("p50_us")?),
        p99: micros(number("p99_us")?),
        peak_rss_kib: Some(number("peak_rss_kib")? as u64),
        cpu_per_call: None,
    })
}

fn default_python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/.venv/bin/python")
}

fn print_results(concurrency: usize, results: &Results, options: &Options) {
    println!("concurrency {concurrency}");
    println!(
        "  {:<26} {:>8} {:>9} {:>9} {:>10} {:>12}",
        "sender", "calls/s", "p50", "p99", "CPU/call", "peak RSS"
    );
    let row = |name: &str, stats: &RunStats, note: &str| {
        let peak = stats.peak_rss_kib.map_or_else(
            || "-".to_owned(),
            |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
        );
        let cpu = stats
            .cpu_per_call
            .map_or_else(|| "-".to_owned(), |cpu| Short(cpu).to_string());
        println!(
            "  {name:<26} {:>8.0} {:>9} {:>9} {cpu:>10} {peak:>12}{note}",
            stats.throughput(),
            Short(stats.p50).to_string(),
            Short(stats.p99).to_string(),
        );
    };
    let sdk = RunStats::median(&results.sdk);
    let bare = RunStats::median(&results.bare);
    if let Some(sdk) = &sdk {
        row("dds-api SDK", sdk, "");
    }
    if let Some(bare) = &bare {
        let name = if options.bare_parses_json {
            "bare reqwest + JSON parse"
        } else {
            "bare reqwest, presigned"
        };
        row(name, bare, "");
    }
    match &results.python {
        Some(Ok(python)) => row(
            "official Python SDK",
            python,
            &format!(
                "  ({} calls, 1 run; RSS of the Python process)",
                python.calls
            ),
        ),
        Some(Err(message)) => println!("  {:<26} {message}", "official Python SDK"),
        None => {}
    }
    if let (Some(sdk), Some(bare)) = (&sdk, &bare) {
        let ratio = sdk.throughput() / bare.throughput();
        println!(
            "  SDK / bare reqwest throughput: {:.1}% (target 95% or more: {})",
            ratio * 100.0,
            if ratio >= 0.95 { "met" } else { "missed" }
        );
    }
    if let (Some(sdk), Some(bare)) = (&sdk, &bare)
        && let (Some(sdk_cpu), Some(bare_cpu)) = (sdk.cpu_per_call, bare.cpu_per_call)
    {
        println!(
            "  SDK CPU per call minus bare: {:+.1} µs (whole process, emulator included in both)",
            (sdk_cpu.as_secs_f64() - bare_cpu.as_secs_f64()) * 1e6
        );
    }
    if let (Some(sdk), Some(Ok(python))) = (&sdk, &results.python) {
        println!(
            "  SDK / official Python SDK throughput: {:.1}x",
            sdk.throughput() / python.throughput()
        );
    }
    println!();
}

/// The machine, for the results table: date, cores, CPU model.
fn print_machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "{}, {cores} cores, {cpu}",
        dds_api::signing::format_timestamp(signing::now())
    );
}

/// The 1, 5 and 15 minute load averages.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}
