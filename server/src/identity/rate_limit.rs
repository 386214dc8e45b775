//! Fixed-window counters for sign-in and sign-up attempts, per IP and per account.
//! Kept in memory: each node limits on its own (a cluster multiplies the limit by its size).

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

struct Window {
    started: Instant,
    length: Duration,
    count: u32,
}

impl RateLimiter {
    /// `Err(seconds to wait)` when `key` already had `limit` hits in its current window.
    pub fn check(&self, key: &str, limit: u32) -> Result<(), u64> {
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        match windows.get(key) {
            Some(w) if now < w.started + w.length && w.count >= limit => {
                let left = (w.started + w.length).saturating_duration_since(now);
                Err(left.as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    /// Counts one hit for `key` in a window of `length`.
    pub fn hit(&self, key: &str, length: Duration) {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, w| now < w.started + w.length);
        }
        let window = windows.entry(key.to_owned()).or_insert(Window {
            started: now,
            length,
            count: 0,
        });
        if now >= window.started + window.length {
            *window = Window {
                started: now,
                length,
                count: 0,
            };
        }
        window.count += 1;
    }

    /// Checks, then counts: for limits on every attempt.
    pub fn check_and_hit(&self, key: &str, limit: u32, length: Duration) -> Result<(), u64> {
        self.check(key, limit)?;
        self.hit(key, length);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_says_how_long_to_wait() {
        let limiter = RateLimiter::default();
        let minute = Duration::from_secs(60);
        assert!(limiter.check_and_hit("ip:1", 2, minute).is_ok());
        assert!(limiter.check_and_hit("ip:1", 2, minute).is_ok());
        let wait = limiter.check_and_hit("ip:1", 2, minute).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limiter.check_and_hit("ip:2", 2, minute).is_ok());
    }

    #[test]
    fn a_new_window_starts_after_the_old_one() {
        let limiter = RateLimiter::default();
        limiter.hit("k", Duration::from_millis(1));
        std::thread::sleep(Duration::from_millis(5));
        assert!(limiter.check("k", 1).is_ok());
    }
}
