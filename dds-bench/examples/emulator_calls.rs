//! A fixed number of checked calls against an in-process emulator, for profilers that count
//! instructions (`valgrind --tool=callgrind`) or sample (`perf record`).
//!
//! The emulator runs in this process; the calls come from a child process (this program with
//! `--send`), so a profiler that follows only this process (valgrind's default) counts the
//! emulator's work and not the client's. The child presigns every request before it connects,
//! sends them over keep-alive connections, and fails on any answer but 200.
//!
//! Startup costs the same whatever the number of calls, so the cost of one call is the
//! difference between two runs divided by the difference in calls:
//!
//! ```sh
//! cargo build --release -p dds-bench --example emulator_calls
//! for n in 1000 3000; do
//!   valgrind --tool=callgrind --callgrind-out-file=cg.$n \
//!     target/release/examples/emulator_calls --calls $n
//! done
//! # instructions per call = (Ir of cg.3000 - Ir of cg.1000) / 2000
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;

use clap::Parser;
use dds_api::credentials::Credentials;
use dds_api::signing;
use dds_bench::memory;
use dds_bench::presign::{DemoCall, PresignedRequest, parse_signature};
use dds_emulator::{Config, Emulator};

#[derive(Debug, Parser)]
#[command(
    name = "emulator_calls",
    about = "N checked calls against an in-process emulator, for profilers"
)]
struct Options {
    /// Calls to make.
    #[arg(long, default_value_t = 1000)]
    calls: usize,
    /// Connections (one client thread each); the calls are split between them.
    #[arg(long, default_value_t = 1)]
    connections: usize,
    /// The signature of the requests: v1 or v3.
    #[arg(long, default_value = "v3")]
    signature: String,
    /// The operation: DescribeDBInstanceAttribute or DescribeDBInstanceSSL.
    #[arg(long, default_value = "DescribeDBInstanceAttribute")]
    action: String,
    /// The emulator's Tokio worker threads.
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Internal: be the client, sending to this `host:port`.
    #[arg(long, hide = true)]
    send: Option<String>,
}

fn main() {
    let options = Options::parse();
    let outcome = match &options.send {
        Some(authority) => send(&options, authority),
        None => serve(&options),
    };
    if let Err(message) = outcome {
        eprintln!("emulator_calls: {message}");
        std::process::exit(1);
    }
}

fn serve(options: &Options) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.workers)
        .enable_all()
        .build()
        .map_err(|e| format!("no Tokio runtime: {e}"))?;
    let emulator = runtime
        .block_on(Emulator::start(Config::new()))
        .map_err(|e| format!("the emulator did not start: {e}"))?;
    let exe = std::env::current_exe().map_err(|e| format!("no path to this program: {e}"))?;
    let cpu_before = memory::cpu_time();
    let status = Command::new(exe)
        .arg(format!("--calls={}", options.calls))
        .arg(format!("--connections={}", options.connections))
        .arg(format!("--signature={}", options.signature))
        .arg(format!("--action={}", options.action))
        .arg(format!("--send={}", emulator.local_addr()))
        .status()
        .map_err(|e| format!("the client did not start: {e}"))?;
    let cpu = cpu_before.zip(memory::cpu_time()).map(|(b, a)| a - b);
    runtime.block_on(emulator.stop());
    if status.success() {
        // The client presigns while the emulator waits, so this is the emulator's serving.
        if let Some(cpu) = cpu {
            let calls = u32::try_from(options.calls.max(1)).unwrap_or(u32::MAX);
            println!(
                "{} calls: emulator CPU {:.1} µs per call (in 10 ms ticks: {} ms in all)",
                options.calls,
                cpu.as_secs_f64() * 1e6 / f64::from(calls),
                cpu.as_millis()
            );
        }
        Ok(())
    } else {
        Err(format!("the client failed ({status})"))
    }
}

fn send(options: &Options, authority: &str) -> Result<(), String> {
    let version = parse_signature(&options.signature)?;
    let call = DemoCall::from_action(&options.action)
        .ok_or_else(|| format!("`{}` is not an operation this driver sends", options.action))?;
    let credentials = Credentials::new(
        Config::DEFAULT_ACCESS_KEY_ID,
        Config::DEFAULT_ACCESS_KEY_SECRET,
    );
    let signed: Vec<PresignedRequest> = call
        .presigner(authority, &credentials, version)?
        .sign_many(options.calls, signing::now())
        .map_err(|e| e.to_string())?;
    let texts: Vec<String> = signed.iter().map(|r| r.to_http1(authority)).collect();

    let connections = options.connections.max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..connections)
            .map(|k| {
                let mine: Vec<&String> = texts.iter().skip(k).step_by(connections).collect();
                scope.spawn(move || send_all(authority, &mine))
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err("a client thread panicked".into()))
        })
    })
}

/// Sends each request over one connection, reading each whole answer before the next.
fn send_all(authority: &str, requests: &[&String]) -> Result<(), String> {
    let stream =
        TcpStream::connect(authority).map_err(|e| format!("cannot connect to {authority}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    for request in requests {
        writer
            .write_all(request.as_bytes())
            .map_err(|e| format!("cannot send: {e}"))?;
        line.clear();
        reader
            .read_line(&mut line)
            .map_err(|e| format!("cannot read: {e}"))?;
        if !line.starts_with("HTTP/1.1 200") {
            return Err(format!("the emulator answered {}", line.trim_end()));
        }
        let mut length = None;
        loop {
            line.clear();
            reader
                .read_line(&mut line)
                .map_err(|e| format!("cannot read: {e}"))?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let length = length.ok_or("an answer without content-length")?;
        let mut body = vec![0; length];
        reader
            .read_exact(&mut body)
            .map_err(|e| format!("cannot read the body: {e}"))?;
    }
    Ok(())
}
