//! Many clients changing SSL on many instances at once: the final state is exactly what the
//! accepted requests imply, and the state file agrees.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use dds_emulator::{Config, Emulator, Fixture, Instance, SslStatus};
use support::Call;
use tokio::sync::Mutex;

const INSTANCES: usize = 24;
const CLIENTS: usize = 16;
const REQUESTS_PER_CLIENT: usize = 30;

/// SplitMix64: well-mixed bits from a counter, so the test is the same on every run.
fn splitmix(n: u64) -> u64 {
    let mut x = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[derive(Debug, Default, Clone, Copy)]
struct Accepted {
    opens: u32,
    closes: u32,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_ssl_changes_lose_no_update() {
    let ids: Vec<String> = (0..INSTANCES).map(|i| format!("dds-load-{i:02}")).collect();
    let fixture = Fixture {
        instances: ids.iter().map(Instance::new).collect(),
    };
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("state.json");
    // No restart time: every accepted change is finished at once, so the next request on the
    // same instance sees it.
    let emulator = Emulator::start(
        Config::default()
            .fixture(fixture)
            .state_file(&state_file)
            .restart_time(Duration::ZERO),
    )
    .await
    .unwrap();

    let accepted: Arc<Mutex<HashMap<String, Accepted>>> = Arc::default();
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let ids = ids.clone();
        let url = emulator.url().to_owned();
        let accepted = Arc::clone(&accepted);
        clients.push(tokio::spawn(async move {
            for n in 0..REQUESTS_PER_CLIENT {
                // Clients overlap on instances, and often ask for a change that is refused
                // because another client just made it.
                let random = splitmix((client * REQUESTS_PER_CLIENT + n) as u64);
                let id = &ids[(random % ids.len() as u64) as usize];
                let action = if (random >> 40) & 1 == 0 {
                    "Open"
                } else {
                    "Close"
                };
                let mut call = Call::new("ModifyDBInstanceSSL")
                    .param("DBInstanceId", id)
                    .param("SSLAction", action);
                if n % 3 == 0 {
                    call = call.v1();
                }
                let reply = call.try_send_to(&url, |_, _| {}).await.unwrap();
                match (reply.status, reply.code().as_str()) {
                    (200, _) => {
                        let mut accepted = accepted.lock().await;
                        let entry = accepted.entry(id.clone()).or_default();
                        if action == "Open" {
                            entry.opens += 1;
                        } else {
                            entry.closes += 1;
                        }
                    }
                    (400, "SSLAlreadyEnabled" | "SSLAlreadyDisabled") => {}
                    // A change finishing at the same instant as another request's check.
                    (403, "IncorrectDBInstanceState") => {}
                    other => panic!("unexpected answer {other:?}: {}", reply.text),
                }
            }
        }));
    }
    for client in clients {
        client.await.unwrap();
    }

    let accepted = accepted.lock().await.clone();
    let total: u32 = accepted.values().map(|a| a.opens + a.closes).sum();
    assert!(
        total > INSTANCES as u32,
        "enough changes went through: {total}"
    );

    let check = |instances: &[Instance], origin: &str| {
        for instance in instances {
            let a = accepted.get(&instance.id).copied().unwrap_or_default();
            // Starting closed, accepted changes must alternate Open, Close, Open, ...
            assert!(
                a.opens == a.closes || a.opens == a.closes + 1,
                "{origin}: {} accepted {} opens and {} closes",
                instance.id,
                a.opens,
                a.closes
            );
            let expected = if a.opens > a.closes {
                SslStatus::Open
            } else {
                SslStatus::Closed
            };
            assert_eq!(instance.ssl.status, expected, "{origin}: {}", instance.id);
        }
    };
    check(&emulator.instances(), "memory");
    emulator.stop().await;
    // A new emulator over the same state file sees the same state.
    let reopened = Emulator::start(Config::default().state_file(&state_file))
        .await
        .unwrap();
    check(&reopened.instances(), "state file");
    reopened.stop().await;
}
