//! What the benchmarks share: running a call from 64 threads released at once or as a steady
//! stream, and printing the times' percentiles. Included by each bench with `#[path]`.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

/// The server's allocator (`frontend/src/main.rs`), so the figures are the server's: with the
/// system allocator the benchmark's own threads spent a tenth of their time in glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub const THREADS: usize = 64;

pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

pub fn report(what: &str, mut times: Vec<Duration>, wall: Duration) {
    times.sort();
    println!(
        "{what}: {} calls, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {:.0} per second",
        times.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.99),
        times.last().map_or(0.0, |t| t.as_secs_f64() * 1000.0),
        times.len() as f64 / wall.as_secs_f64()
    );
}

/// Run `each(i)` for `0..n` from THREADS threads at once; the time of each call.
pub fn at_once(n: usize, each: impl Fn(usize) + Send + Sync + 'static) -> (Vec<Duration>, Duration) {
    let each = Arc::new(each);
    let barrier = Arc::new(std::sync::Barrier::new(THREADS));
    let started = Instant::now();
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (each, barrier) = (each.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let mut times = Vec::new();
                let mut i = t;
                while i < n {
                    let s = Instant::now();
                    each(i);
                    times.push(s.elapsed());
                    i += THREADS;
                }
                times
            })
        })
        .collect();
    let times = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    (times, started.elapsed())
}

/// Run `each(i)` for `0..n` from THREADS threads, call `i` due at `i / rate` seconds after the
/// start (an open loop: a steady stream of requests, as people file, rather than every thread
/// firing again the moment it is answered). Each call's time counts from when it was due, so
/// a call that had to wait for its thread is not flattered.
pub fn paced(n: usize, rate: f64, each: impl Fn(usize) + Send + Sync + 'static) -> (Vec<Duration>, Duration) {
    let each = Arc::new(each);
    let started = Instant::now() + Duration::from_millis(50);
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let each = each.clone();
            std::thread::spawn(move || {
                let mut times = Vec::new();
                let mut i = t;
                while i < n {
                    let due = started + Duration::from_secs_f64(i as f64 / rate);
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    each(i);
                    times.push(due.elapsed());
                    i += THREADS;
                }
                times
            })
        })
        .collect();
    let times = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    (times, started.elapsed())
}

