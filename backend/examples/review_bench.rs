//! Figures for the review (issue 14), over the database the settings name (bench/review.sh
//! fills it with demo data first): the reviewer's queue (`review::queue::queue`, the first
//! page, overdue first) for the lead agency of the first-set program and for Jinqiao's park
//! manager, each from 64 threads at once; then transitions per second: applications with
//! Jinqiao's recommending unit recommended by 64 threads through `review::actions::act`, the
//! same write the API makes. Prints figures; asserts nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use backend::accounts::audit::RequestMeta;
use backend::db::schema::{agencies, applications, bases, users};
use backend::diesel::prelude::*;
use backend::principal::{Grant, Identity, SecondFactor, Via};
use backend::review::queue::{queue, QueueQuery};
use backend::{AppState, Settings};
use shared::accounts::Role;
use shared::applications::ApplicationState;

#[path = "bench_support/mod.rs"]
mod bench_support;
use bench_support::{at_once, report, THREADS};

/// Executions of each statement per connection before the measured calls (PostgreSQL's plan
/// cache makes its choice after five).
const WARM_ROUNDS: usize = 7;

fn person(user_id: i64, grants: Vec<Grant>) -> Identity {
    Identity {
        user_id,
        email: "bench@example.com".into(),
        display_name: "bench".into(),
        locale: "zh-CN".into(),
        email_verified: true,
        grants,
        via: Via::Session("bench".into()),
        second_factor: SecondFactor::Done,
        second_factor_at: None,
        totp_enrolled: true,
    }
}

fn main() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    let db = backend::open_database(&settings)?;
    let state = AppState::new(settings, db)?;
    let calls: usize = std::env::var("BENCH_QUEUE_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    let steps: usize = std::env::var("BENCH_TRANSITIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let total: i64 = state.db.read_blocking(|conn| Ok(applications::table.count().get_result(conn)?))?;
    println!("applications in the database: {total}; pool: {} connections; {THREADS} threads", state.settings.pool_size());

    let (eitc, jinqiao, user) = state.db.maintenance(|conn| {
        let eitc: i64 = agencies::table.filter(agencies::code.eq("sh-eitc")).select(agencies::id).first(conn)?;
        let jinqiao: i64 = bases::table.filter(bases::code.eq("jinqiao")).select(bases::id).first(conn)?;
        let now = chrono::Utc::now().naive_utc();
        let user: i64 = diesel::insert_into(users::table)
            .values((
                users::email.eq(format!("review-bench-{}@example.com", now.and_utc().timestamp_nanos_opt().unwrap_or(0))),
                users::password_hash.eq("-"),
                users::display_name.eq("bench"),
                users::locale.eq("zh-CN"),
                users::email_verified_at.eq(now),
                users::password_changed_at.eq(now),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .returning(users::id)
            .get_result(conn)?;
        Ok((eitc, jinqiao, user))
    })?;
    let reviewer = person(user, vec![Grant { id: 0, role: Role::AgencyReviewer, enterprise_id: None, base_id: None, agency_id: Some(eitc) }]);
    let park = person(user, vec![Grant { id: 0, role: Role::ParkManager, enterprise_id: None, base_id: Some(jinqiao), agency_id: None }]);
    let today = state.clock.today();

    for (who, name) in [(reviewer.clone(), "the lead agency's reviewer (sh-eitc)"), (park.clone(), "Jinqiao's park manager")] {
        // The first view counts every part of the queue (nothing cached yet); the views after
        // it in the same data generation reuse those counts, as reloads and pages do.
        let started = std::time::Instant::now();
        let page: shared::dto::Page<shared::review::QueueRow> = state.db.read_blocking({
            let (who, caches) = (who.clone(), state.queue.clone());
            move |conn| queue(conn, &who, &QueueQuery::default(), today, &caches)
        })?;
        println!("queue of {name}: {} applications at its stages; the first view (counting them) took {:.1} ms", page.total, started.elapsed().as_secs_f64() * 1000.0);
        // A server's connections are long-lived; a new one is not yet in its steady state:
        // its first statements load the PostgreSQL backend's catalog caches, and PostgreSQL
        // plans each prepared statement afresh for its first five executions before it settles
        // on a generic plan (a bind then costs 1.8 ms instead of 0.05 under this load). So
        // every connection first runs each statement of the measured calls more than five
        // times; those calls are not counted.
        let st = state.clone();
        let view = move |i: usize| {
            let q = QueueQuery { sort: Some(if i % 4 == 3 { "amount" } else { "due" }.into()), ..QueueQuery::default() };
            st.db.read_blocking(|conn| queue(conn, &who, &q, today, &st.queue)).unwrap();
        };
        let view = Arc::new(view);
        let warm = view.clone();
        at_once(THREADS * 4 * WARM_ROUNDS, move |i| warm(i));
        let (times, wall) = at_once(calls, move |i| view(i));
        report(&format!("queue of {name}, first page, 64 threads at once"), times, wall);
    }

    // Transitions: applications with Jinqiao's recommending unit, recommended at once.
    let waiting: Vec<i64> = state.db.read_blocking(move |conn| {
        Ok(applications::table
            .filter(applications::state.eq(ApplicationState::RecommendingReview.code()))
            .filter(applications::recommending_base_id.eq(jinqiao))
            .select(applications::id)
            .limit(steps as i64)
            .load(conn)?)
    })?;
    let refused = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (st, who, list, r) = (state.clone(), park.clone(), Arc::new(waiting.clone()), refused.clone());
    let origin = state.settings.public_origin().to_string();
    let (times, wall) = at_once(waiting.len(), move |i| {
        let body = shared::review::ActionRequest {
            action: "recommend".into(),
            expected_state: ApplicationState::RecommendingReview,
            comment: None,
            flags: Vec::new(),
            deadline_working_days: None,
            amount_fen: None,
            to_stage: None,
        };
        let m = RequestMeta::default();
        if st.db.write_blocking(|conn| backend::review::actions::act(conn, &m, &who, list[i], &body, &origin)).is_err() {
            r.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    });
    println!("recommendations: {}; refused: {}", waiting.len(), refused.load(std::sync::atomic::Ordering::Relaxed));
    report("recommend (one transition with its history, audit record, notices and deadline jobs), 64 threads at once", times, wall);
    Ok(())
}
