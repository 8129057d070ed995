//! Flow control per access key: a token bucket refilled at `rate` requests per second, holding
//! at most one second's worth, so clients' throttling retries can be exercised.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

#[derive(Debug)]
pub(crate) struct Throttle {
    rate: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: SystemTime,
}

impl Throttle {
    /// A throttle admitting `per_second` requests per second per access key (at least 1).
    pub(crate) fn new(per_second: u32) -> Self {
        Self {
            rate: f64::from(per_second.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `access_key_id`; `false` when its bucket is empty.
    pub(crate) fn admit(&self, access_key_id: &str, now: SystemTime) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        // Access keys are the configured ones only (unknown keys are refused before this
        // point), so the map cannot grow without bound.
        let bucket = buckets.entry(access_key_id.to_owned()).or_insert(Bucket {
            tokens: self.rate,
            updated: now,
        });
        let elapsed = now
            .duration_since(bucket.updated)
            .map_or(0.0, |d| d.as_secs_f64());
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.rate);
        bucket.updated = now.max(bucket.updated);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn a_burst_beyond_the_rate_is_refused_until_tokens_refill() {
        let throttle = Throttle::new(5);
        let now = UNIX_EPOCH + Duration::from_secs(100);
        let admitted = (0..8).filter(|_| throttle.admit("ak", now)).count();
        assert_eq!(admitted, 5);
        assert!(
            throttle.admit("other", now),
            "each access key has its own bucket"
        );
        assert!(!throttle.admit("ak", now + Duration::from_millis(100)));
        assert!(throttle.admit("ak", now + Duration::from_millis(200)));
    }
}
