//! A background thread of the server process (the mail worker, the job worker) and the
//! channel that wakes it: `wake` after a commit that gave it work, `shutdown` to stop it (after
//! what it is doing) and wait for it.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

#[derive(Clone, Default)]
pub struct Waker {
    tx: Arc<Mutex<Option<Sender<()>>>>,
    thread: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl Waker {
    /// A waker with no thread behind it (tools, and tests that run the work themselves).
    pub fn detached() -> Waker {
        Waker::default()
    }

    /// Start the thread `name` running `body`, which receives a message at each `wake` and
    /// sees the channel close at `shutdown`.
    pub fn spawn(&self, name: &str, body: impl FnOnce(Receiver<()>) + Send + 'static) {
        let (tx, rx) = channel();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || body(rx))
            .map_err(|e| tracing::error!(error = %e, thread = name, "cannot start a background thread"))
            .ok();
        if let (Ok(mut t), Ok(mut h)) = (self.tx.lock(), self.thread.lock()) {
            *t = Some(tx);
            *h = thread;
        }
    }

    pub fn wake(&self) {
        if let Ok(guard) = self.tx.lock() {
            if let Some(tx) = guard.as_ref() {
                let _ = tx.send(());
            }
        }
    }

    /// Stop the thread and wait for it. What is queued stays queued.
    pub fn shutdown(&self) {
        if let Ok(mut guard) = self.tx.lock() {
            guard.take();
        }
        let handle = self.thread.lock().ok().and_then(|mut h| h.take());
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}
