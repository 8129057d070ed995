//! Shared pieces of the dds benchmarks: the inputs every benchmark measures with, the floors
//! the signers are compared to, and the helpers of the load tools.
//!
//! The benchmarks themselves live in `benches/`:
//! - `hot_paths`: building, validating and serializing a request, signing it (V1, V3) next to
//!   the bare cryptography of the same input, verifying it, and decoding an answer;
//! - `load`: the SDK, bare reqwest and the official Python SDK against one in-process emulator;
//! - `emulator`: the emulator's own throughput under `wrk`, with signature checks on.
//!
//! `BENCHMARKS.md` at the repository root has the results and the commands.

#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

pub mod fixtures;
pub mod floor;
pub mod memory;
pub mod presign;
pub mod stats;
pub mod wrk;
