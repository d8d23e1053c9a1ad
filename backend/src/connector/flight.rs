//! The connector's memory: answers kept for a short time per workspace and question, identical
//! questions in flight answered by one upstream call, and the last good answer kept for when the
//! source fails.

use super::SourceError;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub type Value = Arc<dyn Any + Send + Sync>;
type Flight = Shared<BoxFuture<'static, Result<Good, SourceError>>>;

#[derive(Clone)]
pub struct Good {
    pub value: Value,
    /// Unix seconds of the answer.
    pub fetched_at: i64,
    at: Instant,
}

#[derive(Default)]
struct Entry {
    good: Option<Good>,
    failed: Option<(Instant, SourceError)>,
    flight: Option<Flight>,
}

/// What a question got: a fresh answer, or the last good one while the source fails.
pub struct Answer {
    pub good: Good,
    pub stale: bool,
}

pub struct Flights {
    entries: Mutex<HashMap<String, Entry>>,
    /// How long an answer is served without asking again.
    ttl: Duration,
    /// After a failure, how long the source is not asked again for the same question.
    failure_ttl: Duration,
    max_entries: usize,
}

impl Flights {
    pub fn new(ttl: Duration, failure_ttl: Duration, max_entries: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
            failure_ttl,
            max_entries,
        }
    }

    /// The answer to `key`: from memory when fresh, else from `fetch` — started once however
    /// many ask at the same time.
    pub async fn get(
        &self,
        key: String,
        fetch: impl FnOnce() -> BoxFuture<'static, Result<Value, SourceError>>,
    ) -> Result<Answer, SourceError> {
        let flight = {
            let mut entries = self.entries.lock().expect("connector cache lock");
            if entries.len() >= self.max_entries && !entries.contains_key(&key) {
                self.evict(&mut entries);
            }
            let entry = entries.entry(key.clone()).or_default();
            if let Some(good) = entry.good.as_ref().filter(|g| g.at.elapsed() < self.ttl) {
                return Ok(Answer {
                    good: good.clone(),
                    stale: false,
                });
            }
            if let Some((at, error)) = &entry.failed {
                if at.elapsed() < self.failure_ttl {
                    return stale_or(entry, error.clone());
                }
            }
            match &entry.flight {
                Some(flight) => flight.clone(),
                None => {
                    let flight = fetch()
                        .map(|result| {
                            result.map(|value| Good {
                                value,
                                fetched_at: crate::now_millis() / 1000,
                                at: Instant::now(),
                            })
                        })
                        .boxed()
                        .shared();
                    entry.flight = Some(flight.clone());
                    flight
                }
            }
        };
        let result = flight.clone().await;
        let mut entries = self.entries.lock().expect("connector cache lock");
        let entry = entries.entry(key).or_default();
        // The first waiter to finish records the outcome for everyone.
        if entry.flight.as_ref().is_some_and(|f| f.ptr_eq(&flight)) {
            entry.flight = None;
            match &result {
                Ok(good) => {
                    entry.good = Some(good.clone());
                    entry.failed = None;
                }
                Err(error) => entry.failed = Some((Instant::now(), error.clone())),
            }
        }
        match result {
            Ok(good) => Ok(Answer { good, stale: false }),
            Err(error) => stale_or(entry, error),
        }
    }

    /// Makes room: first answers nobody could use any more, then the oldest.
    fn evict(&self, entries: &mut HashMap<String, Entry>) {
        let keep_for = self.ttl.max(self.failure_ttl);
        entries.retain(|_, e| {
            e.flight.is_some() || e.good.as_ref().is_some_and(|g| g.at.elapsed() < keep_for)
        });
        while entries.len() >= self.max_entries {
            let oldest = entries
                .iter()
                .filter(|(_, e)| e.flight.is_none())
                .min_by_key(|(_, e)| e.good.as_ref().map(|g| g.at))
                .map(|(k, _)| k.clone());
            match oldest {
                Some(key) => entries.remove(&key),
                None => break,
            };
        }
    }
}

fn stale_or(entry: &Entry, error: SourceError) -> Result<Answer, SourceError> {
    match &entry.good {
        Some(good) => Ok(Answer {
            good: good.clone(),
            stale: true,
        }),
        None => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn counting(
        calls: &Arc<AtomicU32>,
        outcome: Result<u32, SourceError>,
    ) -> BoxFuture<'static, Result<Value, SourceError>> {
        let calls = calls.clone();
        async move {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            outcome.map(|n| Arc::new(n) as Value)
        }
        .boxed()
    }

    fn number(answer: &Answer) -> u32 {
        *answer.good.value.downcast_ref::<u32>().unwrap()
    }

    #[tokio::test]
    async fn concurrent_identical_questions_make_one_call_and_then_hit_the_cache() {
        let flights = Arc::new(Flights::new(
            Duration::from_secs(60),
            Duration::from_secs(1),
            100,
        ));
        let calls = Arc::new(AtomicU32::new(0));
        let asks = (0..50).map(|_| {
            let (flights, calls) = (flights.clone(), calls.clone());
            tokio::spawn(async move {
                number(
                    &flights
                        .get("k".into(), || counting(&calls, Ok(7)))
                        .await
                        .unwrap(),
                )
            })
        });
        for ask in asks {
            assert_eq!(ask.await.unwrap(), 7);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        flights
            .get("k".into(), || counting(&calls, Ok(8)))
            .await
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1, "a fresh answer is reused");
        flights
            .get("other".into(), || counting(&calls, Ok(9)))
            .await
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2, "another question is asked");
    }

    #[tokio::test]
    async fn a_failure_serves_the_last_good_answer_as_stale_and_is_not_retried_at_once() {
        let flights = Flights::new(Duration::ZERO, Duration::from_secs(60), 100);
        let calls = Arc::new(AtomicU32::new(0));
        let first = flights
            .get("k".into(), || counting(&calls, Ok(1)))
            .await
            .unwrap();
        assert!(!first.stale);
        let down = || counting(&calls, Err(SourceError::Unreachable("refused".into())));
        let stale = flights.get("k".into(), down).await.unwrap();
        assert!(stale.stale);
        assert_eq!(number(&stale), 1);
        assert_eq!(stale.good.fetched_at, first.good.fetched_at);
        let calls_before = calls.load(Ordering::SeqCst);
        flights.get("k".into(), down).await.unwrap();
        assert_eq!(
            calls.load(Ordering::SeqCst),
            calls_before,
            "the failing source rests"
        );
        let never = flights.get("new".into(), down).await;
        assert!(
            matches!(never, Err(SourceError::Unreachable(_))),
            "nothing good to fall back on"
        );
    }

    #[tokio::test]
    async fn the_number_of_remembered_answers_stays_bounded() {
        let flights = Flights::new(Duration::from_secs(60), Duration::from_secs(1), 10);
        let calls = Arc::new(AtomicU32::new(0));
        for i in 0..100 {
            flights
                .get(format!("k{i}"), || counting(&calls, Ok(i)))
                .await
                .unwrap();
        }
        assert!(flights.entries.lock().unwrap().len() <= 10);
    }
}
