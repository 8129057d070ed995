//! Rust SDK for Alibaba Cloud ApsaraDB for MongoDB (`Dds`, API version `2015-12-01`).
//!
//! The operations under [`operations`] are generated at compile time from the JSON specs in
//! the repository's `specs/` folder by `dds-macros`; the rest of this crate is the runtime
//! they share: signing, credentials, endpoints, transport, retries and errors.

#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

// Generated code names this crate by its external path, so that it reads the same inside
// and outside the crate.
extern crate self as dds_api;

// The repository README's Rust example compiles as a doctest, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

pub mod client;
pub mod credentials;
pub mod de;
pub mod endpoint;
pub mod error;
pub mod operation;
pub mod operations;
mod response;
pub mod retry;
pub mod signing;
pub mod transport;
pub mod validation;
pub mod waiter;
pub mod wire;

/// Crates the generated code names through `dds_api`, so that it compiles in any crate that
/// depends on `dds_api` alone. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}

pub use client::{Client, ClientBuilder, Error, Timeouts};
pub use error::{ConfigError, GatewayCode, GatewayError, ServiceError};
pub use operation::{OperationError, OperationMeta, Request, WireParams};
pub use retry::RetryPolicy;
pub use transport::PreparedRequest;
pub use validation::ValidationErrors;
