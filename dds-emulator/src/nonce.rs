//! Replay protection: a signature nonce is accepted once per access key for as long as the
//! request that carried it could still be accepted.
//!
//! Memory stays bounded by the traffic of the window: entries are kept in arrival order and
//! dropped once their time is over, on every insert. The cache is split into shards so that
//! concurrent requests rarely wait on the same lock.

use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::SystemTime;

const SHARDS: usize = 16;

/// Nonces, each remembered until a time given when it was seen.
#[derive(Debug)]
pub(crate) struct NonceCache {
    shards: Vec<Mutex<Shard>>,
}

#[derive(Debug, Default)]
struct Shard {
    /// Key to the time until which it is remembered.
    seen: HashMap<String, SystemTime>,
    /// Keys with that time, in arrival order, for expiry.
    order: VecDeque<(SystemTime, String)>,
}

impl NonceCache {
    pub(crate) fn new() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }

    /// Records `nonce` for `access_key_id`, to be remembered until `until`; `false` when it
    /// is still remembered from an earlier request at `now`.
    pub(crate) fn insert(
        &self,
        access_key_id: &str,
        nonce: &str,
        now: SystemTime,
        until: SystemTime,
    ) -> bool {
        // `format!` would do, at several times the cost on this path.
        let mut key = String::with_capacity(access_key_id.len() + 1 + nonce.len());
        key.push_str(access_key_id);
        key.push('\n');
        key.push_str(nonce);
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let shard = &self.shards[(hasher.finish() as usize) % SHARDS];
        let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());

        // Drop what has expired. Expiry times mostly follow arrival order (they differ only
        // for requests signed ahead of the server's clock); an entry stuck behind a later one
        // just lives a little longer in memory, and the lookup below ignores it.
        while let Some((expires, _)) = shard.order.front() {
            if *expires < now {
                if let Some((expires, old)) = shard.order.pop_front()
                    && shard.seen.get(&old) == Some(&expires)
                {
                    shard.seen.remove(&old);
                }
            } else {
                break;
            }
        }

        match shard.seen.entry(key.clone()) {
            Entry::Occupied(mut slot) if *slot.get() < now => {
                slot.insert(until);
                shard.order.push_back((until, key));
                true
            }
            Entry::Occupied(_) => false,
            Entry::Vacant(slot) => {
                slot.insert(until);
                shard.order.push_back((until, key));
                true
            }
        }
    }

    /// How many nonces are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).seen.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const WINDOW: Duration = Duration::from_secs(900);

    #[test]
    fn a_nonce_is_accepted_once_per_access_key() {
        let cache = NonceCache::new();
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(cache.insert("ak1", "n1", now, now + WINDOW));
        assert!(!cache.insert(
            "ak1",
            "n1",
            now + Duration::from_secs(899),
            now + Duration::from_secs(899) + WINDOW
        ));
        assert!(
            cache.insert("ak2", "n1", now, now + WINDOW),
            "other access keys are separate"
        );
    }

    #[test]
    fn nonces_expire_after_the_window_and_memory_stays_bounded() {
        let cache = NonceCache::new();
        let start = UNIX_EPOCH + Duration::from_secs(1_000_000);
        for i in 0..1000 {
            assert!(cache.insert("ak", &format!("n{i}"), start, start + WINDOW));
        }
        let later = start + WINDOW + Duration::from_secs(1);
        // One insert per shard is enough to sweep it; send many so every shard is touched.
        for i in 0..1000 {
            assert!(cache.insert("ak", &format!("m{i}"), later, later + WINDOW));
        }
        assert_eq!(cache.len(), 1000, "the first thousand have expired");
        assert!(
            cache.insert("ak", "n1", later, later + WINDOW),
            "an expired nonce is accepted again"
        );
    }

    #[test]
    fn a_nonce_is_remembered_until_its_own_time_even_behind_a_later_one() {
        let cache = NonceCache::new();
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        // Remembered for two windows (a request signed one window ahead), then one that
        // expires sooner arrives behind it.
        assert!(cache.insert("ak", "ahead", now, now + 2 * WINDOW));
        assert!(cache.insert("ak", "normal", now, now + WINDOW));
        let later = now + WINDOW + Duration::from_secs(1);
        assert!(!cache.insert("ak", "ahead", later, later + WINDOW));
        assert!(
            cache.insert("ak", "normal", later, later + WINDOW),
            "an expired entry stuck in the queue is not a replay"
        );
        assert!(!cache.insert("ak", "normal", later, later + WINDOW));
    }
}
