//! A per-key limit of one event per window (for example one "find my workspaces" mail per
//! address every ten minutes), so a form cannot be used to flood someone's mailbox. It lives in
//! this process; several servers each apply it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Throttle {
    window: Duration,
    seen: Mutex<HashMap<String, Instant>>,
}

impl Throttle {
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `key` may act now; if so, its window starts.
    pub fn allow(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, at| now.duration_since(*at) < self.window);
        }
        match seen.get(key) {
            Some(at) if now.duration_since(*at) < self.window => false,
            _ => {
                seen.insert(key.to_string(), now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_event_per_key_and_window() {
        let t = Throttle::new(Duration::from_secs(600));
        assert!(t.allow("ada@acme.example"));
        assert!(!t.allow("ada@acme.example"));
        assert!(t.allow("bob@acme.example"));
        let open = Throttle::new(Duration::ZERO);
        assert!(open.allow("x") && open.allow("x"));
    }
}
