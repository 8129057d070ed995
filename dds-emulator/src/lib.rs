//! A local Dds (ApsaraDB for MongoDB) endpoint, as strict as Alibaba Cloud's gateway, with
//! simulated instances.
//!
//! Every request goes through the gateway's checks (signature V1 or V3 with the SDK's own
//! verifier, access key, timestamp window, nonce reuse, throttle, version, action, and the
//! operation's parameters through its generated parsing), then runs against simulated
//! instances: ModifyDBInstanceSSL, DescribeDBInstanceSSL and DescribeDBInstanceAttribute are
//! modelled; every other operation of the registry answers from its spec's response shape.
//!
//! ```no_run
//! # async fn demo() -> Result<(), dds_emulator::StartError> {
//! use dds_emulator::{Config, Emulator};
//!
//! let emulator = Emulator::start(Config::default()).await?;
//! println!("Dds endpoint at {}", emulator.url());
//! // ... point a client at emulator.url() with Config::DEFAULT_ACCESS_KEY_ID ...
//! emulator.stop().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

mod clock;
mod decode;
mod error;
mod gateway;
mod model;
mod nonce;
mod ops;
mod render;
mod server;
mod shape;
mod ssl;
mod store;
mod throttle;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dds_api::credentials::Credentials;
use dds_api::operation::OperationMeta;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use clock::{Clock, ManualClock, SystemClock};
pub use model::{
    DEMO_CREATING, DEMO_LOCKED, DEMO_RS32, DEMO_RS40, DEMO_RS44_SSL, DEMO_SHARDED, Fixture,
    FixtureError, Instance, InstanceType, PendingSslChange, SslChange, SslState, SslStatus, Tag,
};
pub use store::StoreError;

use crate::gateway::Gateway;
use crate::server::{App, RequestIds};
use crate::store::Store;

/// How an emulator runs. `Config::default()` is ready for demos and tests: loopback on a free
/// port, the built-in instances, one known access key pair, a 3-second restart, no throttle,
/// no state file, the system clock.
#[derive(Clone)]
pub struct Config {
    address: SocketAddr,
    access_keys: Vec<Credentials>,
    fixture: Fixture,
    state_file: Option<PathBuf>,
    restart_time: Duration,
    throttle_per_second: Option<u32>,
    clock: Arc<dyn Clock>,
    host_id: String,
    operations: &'static [&'static OperationMeta],
}

impl Config {
    /// The AccessKeyId the default configuration accepts.
    pub const DEFAULT_ACCESS_KEY_ID: &'static str = "emulator-access-key-id";
    /// The secret of [`Config::DEFAULT_ACCESS_KEY_ID`]. It protects nothing (the emulator is
    /// local); it exists so that requests are signed exactly as for the real service.
    pub const DEFAULT_ACCESS_KEY_SECRET: &'static str = "emulator-access-key-secret";
    /// How long an SSL change keeps an instance in `SSLModifying` by default.
    pub const DEFAULT_RESTART_TIME: Duration = Duration::from_secs(3);
    /// The `HostId` of error answers by default, the central endpoint's host.
    pub const DEFAULT_HOST_ID: &'static str = "mongodb.aliyuncs.com";

    /// The default configuration (see [`Config`]).
    pub fn new() -> Self {
        Self {
            address: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            access_keys: vec![Credentials::new(
                Self::DEFAULT_ACCESS_KEY_ID,
                Self::DEFAULT_ACCESS_KEY_SECRET,
            )],
            fixture: Fixture::builtin(),
            state_file: None,
            restart_time: Self::DEFAULT_RESTART_TIME,
            throttle_per_second: None,
            clock: Arc::new(SystemClock),
            host_id: String::from(Self::DEFAULT_HOST_ID),
            operations: dds_api::operations::OPERATIONS,
        }
    }

    /// The address to listen on; port 0 picks a free port. Default `127.0.0.1:0`.
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// Replaces the accepted access keys.
    pub fn access_keys(mut self, keys: impl IntoIterator<Item = Credentials>) -> Self {
        self.access_keys = keys.into_iter().collect();
        self
    }

    /// Replaces the instances the emulator starts with (when no state file exists yet).
    pub fn fixture(mut self, fixture: Fixture) -> Self {
        self.fixture = fixture;
        self
    }

    /// Keeps the instances' state in `path`: read at start when it exists (it then wins over
    /// the fixture), rewritten atomically after every change.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// How long an SSL change keeps an instance in `SSLModifying`.
    pub fn restart_time(mut self, restart_time: Duration) -> Self {
        self.restart_time = restart_time;
        self
    }

    /// Refuses requests beyond `per_second` per AccessKeyId with `Throttling.User`.
    pub fn throttle(mut self, per_second: u32) -> Self {
        self.throttle_per_second = Some(per_second);
        self
    }

    /// The clock for the timestamp window, nonce expiry and instance restarts.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The `HostId` written into error answers.
    pub fn host_id(mut self, host_id: impl Into<String>) -> Self {
        self.host_id = host_id.into();
        self
    }

    /// The operations served; by default the SDK's whole registry.
    pub fn operations(mut self, operations: &'static [&'static OperationMeta]) -> Self {
        self.operations = operations;
        self
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Credentials` hides its secret in `Debug`; only the key ids are worth showing.
        let key_ids: Vec<&str> = self
            .access_keys
            .iter()
            .map(|k| k.access_key_id.as_str())
            .collect();
        f.debug_struct("Config")
            .field("address", &self.address)
            .field("access_key_ids", &key_ids)
            .field("instances", &self.fixture.instances.len())
            .field("state_file", &self.state_file)
            .field("restart_time", &self.restart_time)
            .field("throttle_per_second", &self.throttle_per_second)
            .field("clock", &self.clock)
            .field("host_id", &self.host_id)
            .field("operations", &self.operations.len())
            .finish()
    }
}

/// Why an emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The instance state could not be loaded or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A running emulator. Stop it with [`Emulator::stop`]; dropping it stops it too, without
/// waiting.
#[derive(Debug)]
pub struct Emulator {
    address: SocketAddr,
    url: String,
    store: Arc<Store>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts an emulator on the current Tokio runtime.
    pub async fn start(config: Config) -> Result<Self, StartError> {
        let store = Arc::new(Store::open(
            config.fixture,
            config.state_file,
            Arc::clone(&config.clock),
        )?);
        let app = Arc::new(App {
            gateway: Gateway::new(
                config.access_keys,
                config.operations,
                dds_api::operations::VERSION,
                config.clock,
                config.throttle_per_second,
            ),
            store: Arc::clone(&store),
            restart_time: config.restart_time,
            host_id: config.host_id,
            request_ids: RequestIds::new(),
        });

        let listener = tokio::net::TcpListener::bind(config.address)
            .await
            .map_err(|source| StartError::Bind {
                address: config.address,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            address: config.address,
            source,
        })?;
        // Every request goes to the one handler, whatever its path or method (RPC lives at
        // `/`; anything else is answered by the gateway's checks): no router in between,
        // which would box and clone a service per request.
        let service = axum::handler::Handler::with_state(server::handle, app);
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, service)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "the emulator's server stopped");
            }
        });
        tracing::info!(%address, "dds emulator listening");

        Ok(Self {
            address,
            url: format!("http://{address}"),
            store,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The endpoint URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the emulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The instances as they are now (restarts that are due are finished first).
    pub fn instances(&self) -> Vec<Instance> {
        self.store.snapshot()
    }

    /// Stops accepting requests, lets the ones in progress finish, and returns once the
    /// server is down and the state file holds every accepted change.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
