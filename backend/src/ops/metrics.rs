//! Prometheus metrics at `GET /metrics`: requests by route pattern and status, a latency
//! histogram (both from actix-web-prom) and the database pool's connections in use.

use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{IntGauge, Opts, Registry};

use crate::db::Db;

/// Reads the pool's state at scrape time, so the figure is never stale.
struct PoolCollector {
    db: Db,
    in_use: IntGauge,
    size: IntGauge,
}

impl Collector for PoolCollector {
    fn desc(&self) -> Vec<&Desc> {
        self.in_use.desc().into_iter().chain(self.size.desc()).collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let state = self.db.pool().state();
        self.in_use.set(i64::from(self.db.in_use()));
        self.size.set(i64::from(state.connections));
        let mut families = self.in_use.collect();
        families.extend(self.size.collect());
        families
    }
}

/// Build the metrics middleware; it also answers `GET /metrics`.
pub fn build(db: &Db) -> anyhow::Result<PrometheusMetrics> {
    let registry = Registry::new();
    let in_use = IntGauge::with_opts(Opts::new(
        "uhd_db_pool_connections_in_use",
        "Database connections checked out of the pool",
    ))?;
    let size = IntGauge::with_opts(Opts::new(
        "uhd_db_pool_connections",
        "Database connections open in the pool",
    ))?;
    registry.register(Box::new(PoolCollector { db: db.clone(), in_use, size }))?;
    PrometheusMetricsBuilder::new("uhd")
        .registry(registry)
        .endpoint("/metrics")
        .mask_unmatched_patterns("UNMATCHED")
        .build()
        .map_err(|e| anyhow::anyhow!("metrics: {e}"))
}
