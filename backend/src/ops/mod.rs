//! Operations: liveness and readiness probes, Prometheus metrics, request ids on responses
//! and the last line of defence against panics.

pub mod health;
pub mod metrics;
pub mod middleware;
