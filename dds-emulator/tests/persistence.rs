//! The state file survives a killed emulator: a child `dds-emulator` process is killed
//! (SIGKILL) while it is writing changes, restarted on the same file, and every change it had
//! acknowledged is still there.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use dds_emulator::{Fixture, Instance, SslStatus};
use support::Call;
use tokio::sync::Mutex;

const INSTANCES: usize = 12;
const KILLS: usize = 4;

/// A child emulator and its URL.
struct ChildEmulator {
    child: Child,
    url: String,
}

impl ChildEmulator {
    fn spawn(fixture: &Path, state_file: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dds-emulator"))
            .arg("--fixture")
            .arg(fixture)
            .arg("--state-file")
            .arg(state_file)
            .args(["--restart-time", "0s"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the dds-emulator binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the emulator prints its URL");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Self { child, url }
    }

    fn kill(mut self) {
        self.child.kill().expect("kill the child");
        self.child.wait().expect("reap the child");
    }
}

impl Drop for ChildEmulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a client knows about one instance: the SSL state of its last acknowledged change, and
/// of a change sent but not answered (it may or may not have been applied).
#[derive(Debug, Clone, Copy, Default)]
struct Known {
    acknowledged: Option<SslStatus>,
    in_flight: Option<SslStatus>,
}

async fn ssl_status(url: &str, id: &str) -> SslStatus {
    let reply = Call::new("DescribeDBInstanceSSL")
        .param("DBInstanceId", id)
        .try_send_to(url, |_, _| {})
        .await
        .expect("the restarted emulator answers");
    match reply.assert_ok()["SSLStatus"].as_str() {
        Some("Open") => SslStatus::Open,
        Some("Closed") => SslStatus::Closed,
        other => panic!("unexpected SSLStatus {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_emulator_keeps_every_acknowledged_change() {
    let dir = tempfile::tempdir().unwrap();
    let fixture_path = dir.path().join("fixture.json");
    let state_file = dir.path().join("state.json");
    let ids: Vec<String> = (0..INSTANCES).map(|i| format!("dds-kill-{i:02}")).collect();
    let fixture = Fixture {
        instances: ids.iter().map(Instance::new).collect(),
    };
    std::fs::write(&fixture_path, fixture.to_json()).unwrap();

    let known: Arc<Mutex<Vec<Known>>> = Arc::new(Mutex::new(vec![Known::default(); INSTANCES]));
    for round in 0..KILLS {
        let emulator = ChildEmulator::spawn(&fixture_path, &state_file);

        // Every instance starts this round in the state the last round left; one client per
        // instance flips SSL as fast as it can.
        let mut clients = Vec::new();
        for (index, id) in ids.iter().enumerate() {
            let url = emulator.url.clone();
            let id = id.clone();
            let known = Arc::clone(&known);
            clients.push(tokio::spawn(async move {
                let mut current = ssl_status(&url, &id).await;
                loop {
                    let (action, next) = match current {
                        SslStatus::Closed => ("Open", SslStatus::Open),
                        SslStatus::Open => ("Close", SslStatus::Closed),
                    };
                    known.lock().await[index].in_flight = Some(next);
                    let call = Call::new("ModifyDBInstanceSSL")
                        .param("DBInstanceId", &id)
                        .param("SSLAction", action);
                    match call.try_send_to(&url, |_, _| {}).await {
                        Ok(reply) => {
                            reply.assert_ok();
                            let mut known = known.lock().await;
                            known[index] = Known {
                                acknowledged: Some(next),
                                in_flight: None,
                            };
                            current = next;
                        }
                        // The emulator was killed.
                        Err(_) => return,
                    }
                }
            }));
        }

        // Let writes run, then kill in the middle of them, at a different moment each round.
        tokio::time::sleep(Duration::from_millis(150 + 70 * round as u64)).await;
        emulator.kill();
        for client in clients {
            client.await.unwrap();
        }

        // Whether the kill landed inside a write (a temporary file is left), for the log.
        let mid_write = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains(".tmp-"));
        eprintln!("round {round}: killed with a temporary file left behind: {mid_write}");

        // The file is whole: it parses, with every instance.
        let state = Fixture::from_file(&state_file)
            .unwrap_or_else(|e| panic!("round {round}: torn state file: {e}"));
        assert_eq!(state.instances.len(), INSTANCES);

        // A new emulator on the same file has every acknowledged change.
        let restarted = ChildEmulator::spawn(&fixture_path, &state_file);
        let known_now = known.lock().await.clone();
        let mut changes = 0;
        for (id, k) in ids.iter().zip(&known_now) {
            let status = ssl_status(&restarted.url, id).await;
            let allowed = [k.acknowledged.unwrap_or(SslStatus::Closed)]
                .into_iter()
                .chain(k.in_flight)
                .collect::<Vec<_>>();
            assert!(
                allowed.contains(&status),
                "round {round}: {id} is {status} after restart, expected one of {allowed:?}"
            );
            if k.acknowledged.is_some() {
                changes += 1;
            }
            // Whatever survived is now the truth the next round builds on.
            let mut known = known.lock().await;
            known[ids.iter().position(|x| x == id).unwrap()] = Known {
                acknowledged: Some(status),
                in_flight: None,
            };
        }
        assert!(changes > 0, "round {round}: some changes were acknowledged");
        restarted.kill();
    }
}
