//! Rate limits kept in the control database, so they hold across server processes: failed
//! sign-ins per account and per client address, workspace creations per address. Past a free
//! number of events in the window, each further attempt waits twice as long as the one before;
//! at the maximum, attempts wait until the oldest event leaves the window.

use super::token::sha256_hex;
use crate::{BackendError, Db};
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// What the rule counts, for the key and the logs.
    pub name: &'static str,
    pub window: Duration,
    /// Events in the window after which no attempt is allowed until the oldest expires.
    pub max: u32,
    /// Events in the window before delays start.
    pub free: u32,
    /// The longest delay between two attempts.
    pub max_delay: Duration,
}

const HOUR: Duration = Duration::from_secs(3600);

/// Failed sign-ins to one account: at most 100 an hour, growing delays after 5.
pub const ACCOUNT_FAILURES: Rule = Rule {
    name: "account",
    window: HOUR,
    max: 100,
    free: 5,
    max_delay: Duration::from_secs(15 * 60),
};

/// Failed sign-ins from one client address, whatever the account: at most 300 an hour,
/// growing delays after 20.
pub const ADDRESS_FAILURES: Rule = Rule {
    name: "address",
    window: HOUR,
    max: 300,
    free: 20,
    max_delay: Duration::from_secs(15 * 60),
};

/// Workspaces created from one client address: 10 an hour.
pub const ADDRESS_CREATIONS: Rule = Rule {
    name: "creations",
    window: HOUR,
    max: 10,
    free: 10,
    max_delay: Duration::ZERO,
};

/// Invitations sent from one workspace: 50 an hour (a workspace anyone can create must not
/// become a way to mail strangers).
pub const WORKSPACE_INVITATIONS: Rule = Rule {
    name: "invitations",
    window: HOUR,
    max: 50,
    free: 50,
    max_delay: Duration::ZERO,
};

/// The longest window of any rule: older events are removed.
const LONGEST_WINDOW: Duration = HOUR;

/// One counted thing: a rule and what it is about (an account, an address).
#[derive(Debug, Clone)]
pub struct Key {
    rule: Rule,
    hash: String,
    workspace_id: Option<String>,
}

impl Key {
    /// `parts` name the subject (e.g. workspace id and e-mail); only their SHA-256 is stored.
    /// `workspace_id` ties the events to a workspace, so erasing it removes them.
    pub fn new(rule: Rule, parts: &[&str], workspace_id: Option<&str>) -> Self {
        let mut text = rule.name.to_string();
        for p in parts {
            text.push('\0');
            text.push_str(p);
        }
        Self {
            rule,
            hash: sha256_hex(&text),
            workspace_id: workspace_id.map(str::to_string),
        }
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The wait before the next attempt, given the events in the window (oldest first). Pure.
pub fn wait_ms(rule: &Rule, events: &[i64], now: i64) -> i64 {
    let n = u32::try_from(events.len()).unwrap_or(u32::MAX);
    let Some(&last) = events.last() else {
        return 0;
    };
    if n >= rule.max {
        // The window holds `max` or more: wait until enough of them leave it.
        let leaving = events[events.len() - rule.max as usize];
        return (leaving + ms(rule.window) - now).max(1);
    }
    if n >= rule.free {
        let doublings = (n - rule.free).min(30);
        let delay = (1000i64 << doublings).min(ms(rule.max_delay));
        return (last + delay - now).max(0);
    }
    0
}

/// Refuses with [`BackendError::RateLimited`] when `key` must wait.
pub async fn check(control: &Db, key: &Key, now: i64) -> Result<(), BackendError> {
    let since = now - ms(key.rule.window);
    let events: Vec<(i64,)> =
        sqlx::query_as("SELECT at FROM rate_events WHERE key_hash = $1 AND at > $2 ORDER BY at")
            .bind(&key.hash)
            .bind(since)
            .fetch_all(control.pool())
            .await?;
    let events: Vec<i64> = events.into_iter().map(|(at,)| at).collect();
    let wait = wait_ms(&key.rule, &events, now);
    if wait > 0 {
        tracing::info!(rule = key.rule.name, wait_ms = wait, "rate limited");
        return Err(BackendError::RateLimited {
            retry_after_secs: u64::try_from(wait).unwrap_or(0).div_ceil(1000),
        });
    }
    Ok(())
}

/// Counts one event for `key`, and forgets events older than any window.
pub async fn record(control: &Db, key: &Key, now: i64) -> Result<(), BackendError> {
    insert(control, key, now, None).await
}

async fn insert(control: &Db, key: &Key, now: i64, id: Option<&str>) -> Result<(), BackendError> {
    sqlx::query("INSERT INTO rate_events (key_hash, workspace_id, at, id) VALUES ($1, $2, $3, $4)")
        .bind(&key.hash)
        .bind(key.workspace_id.as_deref())
        .bind(now)
        .bind(id)
        .execute(control.pool())
        .await?;
    sqlx::query("DELETE FROM rate_events WHERE at <= $1")
        .bind(now - ms(LONGEST_WINDOW))
        .execute(control.pool())
        .await?;
    Ok(())
}

/// Forgets the events of `key` (an account's failures after a successful sign-in).
pub async fn clear(control: &Db, key: &Key) -> Result<(), BackendError> {
    sqlx::query("DELETE FROM rate_events WHERE key_hash = $1")
        .bind(&key.hash)
        .execute(control.pool())
        .await?;
    Ok(())
}

/// One attempt, counted before it is made: parallel attempts each see the others, so a burst
/// cannot slip past a limit between a check and a record.
#[must_use = "say whether the attempt counts: `keep` or `forget`"]
pub struct Attempt {
    id: String,
}

/// Counts an attempt under `key` and lets it proceed unless the rule says to wait, counting
/// the attempts made before it (and those in flight beside it). A refused attempt is not
/// counted.
pub async fn attempt(control: &Db, key: &Key, now: i64) -> Result<Attempt, BackendError> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    insert(control, key, now, Some(&id)).await?;
    let since = now - ms(key.rule.window);
    // Decide on the others: every event but this attempt's own.
    let events: Vec<(i64,)> = sqlx::query_as(
        "SELECT at FROM rate_events WHERE key_hash = $1 AND at > $2 \
         AND (id IS NULL OR id <> $3) ORDER BY at",
    )
    .bind(&key.hash)
    .bind(since)
    .bind(&id)
    .fetch_all(control.pool())
    .await?;
    let events: Vec<i64> = events.into_iter().map(|(at,)| at).collect();
    let attempt = Attempt { id };
    let wait = wait_ms(&key.rule, &events, now);
    if wait > 0 {
        attempt.forget(control).await?;
        tracing::info!(rule = key.rule.name, wait_ms = wait, "rate limited");
        return Err(BackendError::RateLimited {
            retry_after_secs: u64::try_from(wait).unwrap_or(0).div_ceil(1000),
        });
    }
    Ok(attempt)
}

impl Attempt {
    /// The attempt counts (a failure, or a creation).
    pub fn keep(self) {}

    /// The attempt does not count (a success where only failures count, or a creation that
    /// did not happen).
    pub async fn forget(self, control: &Db) -> Result<(), BackendError> {
        sqlx::query("DELETE FROM rate_events WHERE id = $1")
            .bind(&self.id)
            .execute(control.pool())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn free_attempts_then_doubling_delays_then_a_hard_stop() {
        let rule = ACCOUNT_FAILURES;
        let now = 10 * 3_600_000;
        // Four failures: no wait.
        let few: Vec<i64> = (0..4).map(|i| now - 10 * MIN + i).collect();
        assert_eq!(wait_ms(&rule, &few, now), 0);
        // Five failures, the last one just now: one second.
        let mut five = few.clone();
        five.push(now);
        assert_eq!(wait_ms(&rule, &five, now), 1000);
        // Eight failures: 8 s after the last.
        let eight: Vec<i64> = (0..8).map(|i| now - 8 + i).collect();
        assert_eq!(wait_ms(&rule, &eight, now + 1), 8000 - 2);
        // Delays stop growing at 15 minutes.
        let many: Vec<i64> = (0..40).map(|i| now - 40 + i).collect();
        assert_eq!(wait_ms(&rule, &many, now), 15 * MIN - 1);
        // 100 failures in the hour: wait until the oldest leaves the window.
        let full: Vec<i64> = (0..100).map(|i| now - 50 * MIN + i * 1000).collect();
        assert_eq!(wait_ms(&rule, &full, now), 10 * MIN);
    }

    #[test]
    fn creations_have_no_delay_until_the_cap() {
        let now = 3_600_000 * 5;
        let nine: Vec<i64> = (0..9).map(|i| now - i).rev().collect();
        assert_eq!(wait_ms(&ADDRESS_CREATIONS, &nine, now), 0);
        let ten: Vec<i64> = (0..10).map(|i| now - 30 * MIN + i).collect();
        assert_eq!(wait_ms(&ADDRESS_CREATIONS, &ten, now), 30 * MIN);
    }

    #[test]
    fn keys_hide_what_they_count() {
        let k = Key::new(ACCOUNT_FAILURES, &["ws", "ada@example.com"], Some("ws"));
        assert!(!k.hash.contains("ada"));
        let other = Key::new(ADDRESS_FAILURES, &["ws", "ada@example.com"], None);
        assert_ne!(k.hash, other.hash);
    }
}
