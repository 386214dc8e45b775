//! The job queue on the real database: concurrent workers never take the same job, a dead
//! worker's job is taken again after its lease, transient failures back off, and a job that
//! keeps killing its worker ends dead with the reason.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;
use server::jobs::queue::{self, NewJob, Outcome};

use crate::helpers::spawn_app;

fn job(n: usize) -> NewJob {
    NewJob {
        kind: "test",
        subject: format!("subject-{n}"),
        payload: serde_json::json!({}),
        priority: 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_never_take_the_same_job() {
    let app = spawn_app().await;
    let now = Utc::now();
    for n in 0..120 {
        assert!(queue::enqueue(&app.db, job(n), now).await.unwrap());
    }
    assert!(
        !queue::enqueue(&app.db, job(7), now).await.unwrap(),
        "one job per subject"
    );
    let workers: Vec<_> = (0..6)
        .map(|w| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                let name = format!("worker-{w}");
                while let Some(claimed) =
                    queue::claim(&db, &name, Duration::seconds(60), Utc::now())
                        .await
                        .expect("claim")
                {
                    mine.push(claimed.subject.clone());
                    let done = Outcome::Done(serde_json::json!({}));
                    assert!(queue::complete(&db, &claimed, done, Utc::now())
                        .await
                        .unwrap());
                }
                mine
            })
        })
        .collect();
    let mut seen = HashSet::new();
    let mut total = 0;
    let mut busy = 0;
    for worker in workers {
        let mine = worker.await.unwrap();
        busy += usize::from(!mine.is_empty());
        total += mine.len();
        seen.extend(mine);
    }
    assert_eq!(total, 120, "every job done once");
    assert_eq!(seen.len(), 120, "no job done twice");
    if app.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // SQLite has one writer at a time; PostgreSQL's workers claim side by side.
        assert!(busy >= 2, "the work was shared ({busy} workers busy)");
    }
}

#[tokio::test]
async fn a_dead_workers_job_is_taken_again_after_its_lease() {
    let app = spawn_app().await;
    let now = Utc::now();
    queue::enqueue(&app.db, job(1), now).await.unwrap();
    let lease = Duration::seconds(60);
    let first = queue::claim(&app.db, "crashed", lease, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.attempts, 1);
    // Leased: nobody else gets it meanwhile.
    let during = queue::claim(&app.db, "other", lease, now + Duration::seconds(30)).await;
    assert!(during.unwrap().is_none());
    let later = now + Duration::seconds(61);
    let second = queue::claim(&app.db, "other", lease, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.attempts, 2);
    // The first worker coming back late changes nothing; the second one's result counts.
    let stale = Outcome::Done(serde_json::json!({"by": "crashed"}));
    assert!(!queue::complete(&app.db, &first, stale, later)
        .await
        .unwrap());
    let done = Outcome::Done(serde_json::json!({"by": "other"}));
    assert!(queue::complete(&app.db, &second, done, later)
        .await
        .unwrap());
    let rows = queue::find(&app.db, "test", vec!["subject-1".into()])
        .await
        .unwrap();
    assert_eq!(rows[0].state, "done");
    assert_eq!(rows[0].result.as_deref(), Some(r#"{"by":"other"}"#));
}

#[tokio::test]
async fn transient_failures_back_off_then_the_job_is_dead() {
    let app = spawn_app().await;
    let mut now = Utc::now();
    queue::enqueue(&app.db, job(1), now).await.unwrap();
    for attempt in 1..=queue::MAX_ATTEMPTS {
        let claimed = queue::claim(&app.db, "w", Duration::seconds(60), now)
            .await
            .unwrap()
            .expect("due again");
        assert_eq!(claimed.attempts, attempt);
        let retry = Outcome::Retry("storage unreachable".into());
        queue::complete(&app.db, &claimed, retry, now)
            .await
            .unwrap();
        // Not before its backoff.
        let early = queue::claim(&app.db, "w", Duration::seconds(60), now)
            .await
            .unwrap();
        assert!(early.is_none());
        now += queue::backoff(attempt) + Duration::seconds(1);
    }
    let rows = queue::find(&app.db, "test", vec!["subject-1".into()])
        .await
        .unwrap();
    assert_eq!(rows[0].state, "dead");
    assert_eq!(rows[0].error.as_deref(), Some("storage unreachable"));
    assert!(queue::claim(&app.db, "w", Duration::seconds(60), now)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_job_that_kills_every_worker_ends_dead() {
    let app = spawn_app().await;
    let mut now = Utc::now();
    queue::enqueue(&app.db, job(1), now).await.unwrap();
    let lease = Duration::seconds(60);
    for _ in 0..queue::MAX_ATTEMPTS {
        assert!(queue::claim(&app.db, "w", lease, now)
            .await
            .unwrap()
            .is_some());
        now += lease + Duration::seconds(1); // the worker died; its lease runs out
    }
    assert!(queue::claim(&app.db, "w", lease, now)
        .await
        .unwrap()
        .is_none());
    let rows = queue::find(&app.db, "test", vec!["subject-1".into()])
        .await
        .unwrap();
    assert_eq!(rows[0].state, "dead");
    assert!(rows[0]
        .error
        .as_deref()
        .unwrap_or_default()
        .contains("worker stopped"));
}

#[tokio::test]
async fn urgent_jobs_run_first() {
    let app = spawn_app().await;
    let now = Utc::now();
    for n in 0..5 {
        queue::enqueue(&app.db, job(n), now).await.unwrap();
    }
    queue::prioritize(&app.db, "test", vec!["subject-3".into()], 10)
        .await
        .unwrap();
    let first = queue::claim(&app.db, "w", Duration::seconds(60), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.subject, "subject-3");
}
