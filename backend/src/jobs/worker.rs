//! The job worker: a thread of the server process that runs due jobs (see [`super`]). It wakes
//! when a job is scheduled in this process and otherwise looks every few seconds, so jobs
//! scheduled for later, and jobs another process scheduled, run when their time comes.

use std::sync::mpsc::{Receiver, RecvTimeoutError};

use crate::state::AppState;

/// How often the worker looks for due jobs when nobody wakes it.
const POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// Wakes the job worker after a job is scheduled; stops it at shutdown.
pub type JobWaker = crate::background::Waker;

/// Start the job worker for `state` on `state.jobs`.
pub fn start(state: AppState) {
    let worker = format!("{}-{}-{}", hostname(), std::process::id(), state.clock.now().timestamp_micros());
    let waker = state.jobs.clone();
    waker.spawn("job-worker", move |rx| run(state, worker, rx));
}

fn hostname() -> String {
    std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "portal".into())
}

fn run(state: AppState, worker: String, rx: Receiver<()>) {
    loop {
        if let Err(e) = super::run_due(&state, &worker) {
            tracing::warn!(error = %e, "job worker");
        }
        match rx.recv_timeout(POLL) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
