//! The job worker: a thread of the server process that runs due jobs (see [`super`]), mail
//! included. It wakes once a transaction of this process that scheduled a job has committed,
//! and otherwise looks every few seconds (a read), so jobs scheduled for later, retries after
//! their back-off and jobs another process scheduled run when their time comes.

use std::sync::mpsc::{Receiver, RecvTimeoutError};

use super::Kinds;
use crate::state::AppState;

/// How often the worker looks for due jobs when nobody wakes it.
const POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// Wakes the job worker after a commit that scheduled a job; stops it at shutdown.
pub type JobWaker = crate::background::Waker;

/// Start the job worker for `state` on `state.jobs`, running jobs of `kinds`.
pub fn start(state: AppState, kinds: Kinds) {
    let worker = format!("{}-{}-{}", hostname(), std::process::id(), state.clock.now().timestamp_micros());
    let waker = state.jobs.clone();
    waker.spawn("job-worker", move |rx| run(state, worker, kinds, rx));
}

fn hostname() -> String {
    std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "portal".into())
}

fn run(state: AppState, worker: String, kinds: Kinds, rx: Receiver<()>) {
    loop {
        if let Err(e) = super::run_due(&state, &worker, kinds) {
            tracing::warn!(error = %e, "job worker");
        }
        match rx.recv_timeout(POLL) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
