//! Replay protection: a signature nonce is accepted once per access key within the window.
//!
//! Memory stays bounded by the traffic of one window: entries are kept in arrival order and
//! dropped as soon as they are older than the window, on every insert. The cache is split into
//! shards so that concurrent requests rarely wait on the same lock.

use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

const SHARDS: usize = 16;

/// Nonces seen within the last `window`.
#[derive(Debug)]
pub(crate) struct NonceCache {
    window: Duration,
    shards: Vec<Mutex<Shard>>,
}

#[derive(Debug, Default)]
struct Shard {
    /// Key to the time it was first seen.
    seen: HashMap<String, SystemTime>,
    /// Keys in arrival order, for expiry.
    order: VecDeque<(SystemTime, String)>,
}

impl NonceCache {
    pub(crate) fn new(window: Duration) -> Self {
        Self {
            window,
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }

    /// Records `nonce` for `access_key_id` at `now`; `false` when it was already seen within
    /// the window.
    pub(crate) fn insert(&self, access_key_id: &str, nonce: &str, now: SystemTime) -> bool {
        let key = format!("{access_key_id}\n{nonce}");
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let shard = &self.shards[(hasher.finish() as usize) % SHARDS];
        let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());

        // Drop what has left the window. Arrival order is time order unless the clock steps
        // back; an entry stuck behind a newer one then just lives a little longer.
        while let Some((seen_at, _)) = shard.order.front() {
            if now
                .duration_since(*seen_at)
                .is_ok_and(|age| age > self.window)
            {
                if let Some((_, old)) = shard.order.pop_front() {
                    shard.seen.remove(&old);
                }
            } else {
                break;
            }
        }

        match shard.seen.entry(key.clone()) {
            Entry::Occupied(_) => false,
            Entry::Vacant(slot) => {
                slot.insert(now);
                shard.order.push_back((now, key));
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
    use std::time::UNIX_EPOCH;

    const WINDOW: Duration = Duration::from_secs(900);

    #[test]
    fn a_nonce_is_accepted_once_per_access_key() {
        let cache = NonceCache::new(WINDOW);
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(cache.insert("ak1", "n1", now));
        assert!(!cache.insert("ak1", "n1", now + Duration::from_secs(899)));
        assert!(
            cache.insert("ak2", "n1", now),
            "other access keys are separate"
        );
    }

    #[test]
    fn nonces_expire_after_the_window_and_memory_stays_bounded() {
        let cache = NonceCache::new(WINDOW);
        let start = UNIX_EPOCH + Duration::from_secs(1_000_000);
        for i in 0..1000 {
            assert!(cache.insert("ak", &format!("n{i}"), start));
        }
        let later = start + WINDOW + Duration::from_secs(1);
        // One insert per shard is enough to sweep it; send many so every shard is touched.
        for i in 0..1000 {
            assert!(cache.insert("ak", &format!("m{i}"), later));
        }
        assert_eq!(cache.len(), 1000, "the first thousand have expired");
        assert!(
            cache.insert("ak", "n1", later),
            "an expired nonce is accepted again"
        );
    }
}
