//! The instances' state, shared by all requests, and its persistence.
//!
//! One short-held mutex guards the instances; it is never held across an `.await`. With a
//! state file, every change is written atomically (temporary file, `fsync`, rename, `fsync`
//! of the folder) by one writer thread, and the request that made the change is answered
//! only once a snapshot containing it is on disk. Concurrent changes share writes (group
//! commit): the writer always writes the newest snapshot, which contains every change before
//! it.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::SystemTime;

use tokio::sync::watch;

use crate::clock::Clock;
use crate::model::{Fixture, FixtureError, Instance};

/// The instances, by id, in fixture order.
#[derive(Debug)]
struct Instances {
    /// Shared with the requests that read them, which write their answers after the lock is
    /// released: a change copies an instance only while such a request still holds it.
    list: Vec<Arc<Instance>>,
    index: HashMap<String, usize>,
    /// Bumped by every change; the persisted snapshot names the version it holds.
    version: u64,
}

/// Shared instance state.
#[derive(Debug)]
pub(crate) struct Store {
    instances: Mutex<Instances>,
    clock: Arc<dyn Clock>,
    persister: Option<Persister>,
}

/// Why the store could not start.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The fixture or the state file is not usable.
    #[error(transparent)]
    Fixture(#[from] FixtureError),
    /// The state file could not be written.
    #[error("cannot write the state file {path}: {source}")]
    Write {
        /// The state file.
        path: String,
        /// Why.
        source: io::Error,
    },
}

/// A change could not be made durable.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the state file could not be written: {0}")]
pub(crate) struct PersistError(String);

impl Store {
    /// A store over `fixture`, or over the state file's contents when it exists. A new state
    /// file is written at once, so a state file always exists after start.
    pub(crate) fn open(
        fixture: Fixture,
        state_file: Option<PathBuf>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StoreError> {
        let instances = match &state_file {
            Some(path) if path.exists() => Fixture::from_file(path)?,
            _ => fixture,
        };
        let persister = match state_file {
            Some(path) => {
                remove_leftovers(&path);
                write_atomically(&path, instances.to_json().as_bytes()).map_err(|source| {
                    StoreError::Write {
                        path: path.display().to_string(),
                        source,
                    }
                })?;
                Some(Persister::start(path))
            }
            None => None,
        };
        let index = instances
            .instances
            .iter()
            .enumerate()
            .map(|(i, instance)| (instance.id.clone(), i))
            .collect();
        Ok(Self {
            instances: Mutex::new(Instances {
                list: instances.instances.into_iter().map(Arc::new).collect(),
                index,
                version: 0,
            }),
            clock,
            persister,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Instances> {
        // A panic while holding the lock leaves whole instances behind (every change is a
        // single assignment of checked values), so the state is still usable.
        self.instances.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One instance, brought up to the current time. `None` when there is no such instance.
    pub(crate) fn get(&self, id: &str) -> Option<Arc<Instance>> {
        let now = self.clock.now();
        let mut guard = self.lock();
        let i = *guard.index.get(id)?;
        let instance = &mut guard.list[i];
        settle(instance, now);
        Some(Arc::clone(instance))
    }

    /// Every instance, brought up to the current time.
    pub(crate) fn snapshot(&self) -> Vec<Instance> {
        let now = self.clock.now();
        let list = {
            let mut guard = self.lock();
            for instance in &mut guard.list {
                settle(instance, now);
            }
            guard.list.clone()
        };
        list.iter()
            .map(|instance| Instance::clone(instance))
            .collect()
    }

    /// Changes one instance with `f`, brought up to the current time first. When `f`
    /// succeeds, the change is persisted before this returns. `Ok(None)` when there is no
    /// such instance; `Ok(Some(Err(_)))` when `f` refused the change (nothing is written).
    pub(crate) async fn modify<T, E>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Instance, std::time::SystemTime) -> Result<T, E>,
    ) -> Result<Option<Result<T, E>>, PersistError> {
        let now = self.clock.now();
        let (value, snapshot) = {
            let mut guard = self.lock();
            let Some(&i) = guard.index.get(id) else {
                return Ok(None);
            };
            let instance = Arc::make_mut(&mut guard.list[i]);
            instance.settle(now);
            match f(instance, now) {
                Err(refused) => return Ok(Some(Err(refused))),
                Ok(value) => {
                    guard.version += 1;
                    let snapshot = self
                        .persister
                        .as_ref()
                        .map(|_| (guard.version, guard.list.clone()));
                    (value, snapshot)
                }
            }
        };

        if let (Some(persister), Some((version, list))) = (&self.persister, snapshot) {
            let instances = list.iter().map(|i| Instance::clone(i)).collect();
            let bytes = Fixture { instances }.to_json().into_bytes();
            persister.persist(version, bytes).await?;
        }
        Ok(Some(Ok(value)))
    }
}

/// Brings a stored instance up to `now`. Only an instance with a pending change moves by
/// itself; the others are left alone rather than copied away from the requests reading them.
fn settle(instance: &mut Arc<Instance>, now: SystemTime) {
    if instance.pending.is_some() {
        Arc::make_mut(instance).settle(now);
    }
}

/// What the writer thread has made durable.
#[derive(Debug, Clone, Default)]
struct Durable {
    /// Every version up to this one is handled (written, or failed with `error`).
    version: u64,
    /// Set when writing this version failed.
    error: Option<String>,
}

#[derive(Debug, Default)]
struct Queue {
    /// The newest snapshot not written yet.
    latest: Option<(u64, Vec<u8>)>,
    closed: bool,
}

/// The writer thread and the channels to it.
#[derive(Debug)]
struct Persister {
    queue: Arc<(Mutex<Queue>, Condvar)>,
    durable: watch::Receiver<Durable>,
    thread: Option<JoinHandle<()>>,
}

impl Persister {
    fn start(path: PathBuf) -> Self {
        let queue = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
        let (tx, rx) = watch::channel(Durable::default());
        let thread_queue = Arc::clone(&queue);
        let thread = std::thread::Builder::new()
            .name(String::from("dds-emulator-state"))
            .spawn(move || write_loop(&path, &thread_queue, &tx))
            .expect("spawning the state writer thread");
        Self {
            queue,
            durable: rx,
            thread: Some(thread),
        }
    }

    /// Hands a snapshot to the writer and waits until it, or a newer one, is on disk.
    ///
    /// Snapshots may arrive out of order (they are taken under the instances' lock but handed
    /// over after it is released); an older one than the writer holds or has written is
    /// dropped, since the newer one contains its change.
    async fn persist(&self, version: u64, bytes: Vec<u8>) -> Result<(), PersistError> {
        let mut durable = self.durable.clone();
        if durable.borrow().version < version {
            let (lock, wake) = &*self.queue;
            let mut queue = lock.lock().unwrap_or_else(|e| e.into_inner());
            if queue.latest.as_ref().is_none_or(|(v, _)| *v < version) {
                queue.latest = Some((version, bytes));
            }
            wake.notify_one();
        }
        let state = durable
            .wait_for(|d| d.version >= version)
            .await
            .map_err(|_| PersistError(String::from("the state writer stopped")))?;
        match &state.error {
            Some(error) => Err(PersistError(error.clone())),
            None => Ok(()),
        }
    }
}

impl Drop for Persister {
    fn drop(&mut self) {
        {
            let (lock, wake) = &*self.queue;
            lock.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
            wake.notify_one();
        }
        if let Some(thread) = self.thread.take() {
            // The thread finishes the snapshot it holds, so no accepted change is dropped.
            let _ = thread.join();
        }
    }
}

fn write_loop(path: &Path, queue: &(Mutex<Queue>, Condvar), durable: &watch::Sender<Durable>) {
    let (lock, wake) = queue;
    // The newest version on disk (or failed). It only grows, so waiters never see the
    // durable version go back, and an older snapshot never replaces a newer file.
    let mut written = 0;
    loop {
        let next = {
            let mut queue = lock.lock().unwrap_or_else(|e| e.into_inner());
            while queue.latest.is_none() && !queue.closed {
                queue = wake.wait(queue).unwrap_or_else(|e| e.into_inner());
            }
            match queue.latest.take() {
                Some(next) => next,
                None => return,
            }
        };
        let (version, bytes) = next;
        if version <= written {
            continue;
        }
        let error = write_atomically(path, &bytes).err().map(|e| {
            tracing::error!(path = %path.display(), error = %e, "state file not written");
            e.to_string()
        });
        written = version;
        durable.send_replace(Durable { version, error });
    }
}

/// Removes temporary files that a killed emulator left beside the state file. They never
/// hold the state: the state file is only ever replaced by a complete one.
fn remove_leftovers(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Replaces `path` with `bytes` so that a crash at any moment leaves either the old or the
/// new content: write a temporary file beside it, flush it to disk, rename it over `path`,
/// then flush the folder so the rename itself is durable.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "state file has no name"))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));

    let mut file = File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, path)?;
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;
    use crate::model::{DEMO_RS40, SslStatus};

    fn open(path: Option<PathBuf>) -> Store {
        Store::open(Fixture::builtin(), path, Arc::new(SystemClock)).unwrap()
    }

    async fn open_ssl(store: &Store, id: &str) {
        store
            .modify(id, |instance, _| {
                instance.ssl.status = SslStatus::Open;
                Ok::<_, ()>(())
            })
            .await
            .unwrap()
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn changes_survive_reopening_the_state_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let store = open(Some(path.clone()));
        open_ssl(&store, DEMO_RS40).await;
        drop(store);

        let reopened = open(Some(path));
        let status = reopened.get(DEMO_RS40).unwrap().ssl.status;
        assert_eq!(status, SslStatus::Open);
    }

    #[tokio::test]
    async fn a_change_leaves_alone_the_copy_a_request_is_still_answering_from() {
        let store = open(None);
        let before = store.get(DEMO_RS40).unwrap();
        assert_eq!(before.ssl.status, SslStatus::Closed);
        open_ssl(&store, DEMO_RS40).await;
        assert_eq!(before.ssl.status, SslStatus::Closed);
        assert_eq!(store.get(DEMO_RS40).unwrap().ssl.status, SslStatus::Open);
        assert_eq!(store.snapshot()[0].ssl.status, SslStatus::Open);
    }

    #[tokio::test]
    async fn a_leftover_temporary_file_does_not_matter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        drop(open(Some(path.clone())));
        fs::write(dir.path().join(".state.json.tmp-1"), b"{\"Inst").unwrap();
        let reopened = open(Some(path));
        assert_eq!(
            reopened.snapshot().len(),
            Fixture::builtin().instances.len()
        );
    }

    #[tokio::test]
    async fn an_older_snapshot_arriving_late_never_replaces_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let persister = Persister::start(path.clone());
        persister.persist(2, b"{\"v\":2}".to_vec()).await.unwrap();
        // Version 1 was taken before version 2 but handed over after it.
        persister.persist(1, b"{\"v\":1}".to_vec()).await.unwrap();
        drop(persister);
        assert_eq!(fs::read(&path).unwrap(), b"{\"v\":2}");
    }

    #[test]
    fn a_corrupt_state_file_is_reported_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        fs::write(&path, b"{\"Instances\": [").unwrap();
        let error = Store::open(
            Fixture::builtin(),
            Some(path.clone()),
            Arc::new(SystemClock),
        )
        .unwrap_err();
        assert!(error.to_string().contains("state.json"), "{error}");
        assert_eq!(fs::read(&path).unwrap(), b"{\"Instances\": [");
    }

    #[tokio::test]
    async fn a_refused_change_writes_nothing() {
        let store = open(None);
        let outcome = store
            .modify(DEMO_RS40, |_, _| Err::<(), _>("refused"))
            .await
            .unwrap();
        assert_eq!(outcome, Some(Err("refused")));
        assert_eq!(
            store.modify("nope", |_, _| Ok::<_, ()>(())).await.unwrap(),
            None
        );
    }
}
