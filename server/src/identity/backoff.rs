//! Failed sign-ins, counted per account *and* address: after `limit` failures from one
//! address the account waits there, a window at first and twice as long after each further
//! round, up to a day. Another address with no failures is not affected, so an attacker
//! guessing from one place never locks the real owner out; a success clears the address.
//! Kept in memory: each node counts on its own.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

const LONGEST: Duration = Duration::from_secs(24 * 3600);

#[derive(Default)]
pub struct Backoff {
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    failures: u32,
    rounds: u32,
    last: Instant,
    blocked_until: Option<Instant>,
}

impl Backoff {
    /// `Err(seconds to wait)` while `key` is made to wait.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(key).and_then(|e| e.blocked_until) {
            Some(until) if now < until => {
                Err(until.saturating_duration_since(now).as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    /// Counts a failure; the `limit`-th within `window` starts a wait that doubles each round.
    pub fn fail(&self, key: &str, limit: u32, window: Duration) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() > 100_000 {
            entries.retain(|_, e| now.saturating_duration_since(e.last) < LONGEST);
        }
        let entry = entries.entry(key.to_owned()).or_insert(Entry {
            failures: 0,
            rounds: 0,
            last: now,
            blocked_until: None,
        });
        if now.saturating_duration_since(entry.last) > window {
            entry.failures = 0;
        }
        if now.saturating_duration_since(entry.last) > LONGEST {
            entry.rounds = 0;
        }
        entry.last = now;
        entry.failures += 1;
        if entry.failures >= limit.max(1) {
            let wait = window
                .saturating_mul(1 << entry.rounds.min(16))
                .min(LONGEST);
            entry.blocked_until = Some(now + wait);
            entry.rounds += 1;
            entry.failures = 0;
        }
    }

    /// Forgets `key`'s failures (the right password came from there).
    pub fn clear(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_at_the_limit_per_key_and_double_each_round() {
        let backoff = Backoff::default();
        let minute = Duration::from_secs(60);
        for _ in 0..2 {
            backoff.fail("ann|1.2.3.4", 3, minute);
            assert!(backoff.check("ann|1.2.3.4").is_ok());
        }
        backoff.fail("ann|1.2.3.4", 3, minute);
        let wait = backoff.check("ann|1.2.3.4").unwrap_err();
        assert!((59..=60).contains(&wait));
        assert!(
            backoff.check("ann|5.6.7.8").is_ok(),
            "another address is not affected"
        );
        // The next round waits twice as long.
        if let Some(e) = backoff.entries.lock().unwrap().get_mut("ann|1.2.3.4") {
            e.blocked_until = None;
        }
        for _ in 0..3 {
            backoff.fail("ann|1.2.3.4", 3, minute);
        }
        assert!(backoff.check("ann|1.2.3.4").unwrap_err() > 60);
        backoff.clear("ann|1.2.3.4");
        assert!(backoff.check("ann|1.2.3.4").is_ok());
    }
}
