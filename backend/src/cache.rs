//! Short-lived, in-process copies of database answers for the hottest reads (who a session
//! cookie belongs to, tenant-list totals). Every entry is keyed by the data generation it was
//! read in; the `authenticate` middleware moves the generation on after each POST, PUT, PATCH
//! or DELETE has been answered (its changes committed), so this process never serves an answer
//! older than its own last write. Entries also expire after a few seconds, which bounds how
//! long a change made through another server process can go unseen here.

use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The data generation: moves on whenever data may have changed.
#[derive(Debug, Default)]
pub struct Generation(AtomicU64);

impl Generation {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Data may have changed: nothing read before now is served again.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// Values by key, valid for the generation they were read in and at most `ttl`.
pub struct Cached<K, V> {
    generation: Arc<Generation>,
    entries: moka::sync::Cache<(u64, K), V>,
}

impl<K, V> Cached<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new(generation: Arc<Generation>, capacity: u64, ttl: Duration) -> Self {
        Cached { generation, entries: moka::sync::Cache::builder().max_capacity(capacity).time_to_live(ttl).build() }
    }

    /// The generation to read in: take it *before* reading, and store under it.
    pub fn generation(&self) -> u64 {
        self.generation.current()
    }

    pub fn get(&self, generation: u64, key: K) -> Option<V> {
        self.entries.get(&(generation, key))
    }

    /// A value read in `generation`. If data changed while it was read, the generation has
    /// moved on and nobody asks for this entry again.
    pub fn insert(&self, generation: u64, key: K, value: V) {
        self.entries.insert((generation, key), value);
    }

    /// The cached value, or `load` it (a database read on the blocking pool) and keep it
    /// under the generation taken before the read.
    pub async fn get_or_load<E, Fut>(&self, key: K, load: impl FnOnce() -> Fut) -> Result<V, E>
    where
        K: Clone,
        Fut: std::future::Future<Output = Result<V, E>>,
    {
        let generation = self.generation();
        if let Some(v) = self.get(generation, key.clone()) {
            return Ok(v);
        }
        let v = load().await?;
        self.insert(generation, key, v.clone());
        Ok(v)
    }

    /// The cached value, or `read` it (and keep it).
    pub fn get_or_try<E>(&self, key: K, read: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        let generation = self.generation();
        let key = (generation, key);
        if let Some(v) = self.entries.get(&key) {
            return Ok(v);
        }
        let v = read()?;
        self.entries.insert(key, v.clone());
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_hides_what_was_read_before_it() {
        let generation = Arc::new(Generation::default());
        let cache: Cached<&str, i64> = Cached::new(generation.clone(), 10, Duration::from_secs(60));
        assert_eq!(cache.get_or_try("k", || Ok::<_, ()>(1)), Ok(1));
        assert_eq!(cache.get_or_try("k", || Ok::<_, ()>(2)), Ok(1), "served from the cache");
        generation.bump();
        assert_eq!(cache.get_or_try("k", || Ok::<_, ()>(3)), Ok(3), "read again after a change");
        // A value read in an older generation is stored under it and never served.
        let old = cache.generation();
        generation.bump();
        cache.insert(old, "k", 99);
        assert_eq!(cache.get_or_try("k", || Ok::<_, ()>(4)), Ok(4));
        assert_eq!(cache.get_or_try("k", || Err(())), Ok(4));
    }

    #[test]
    fn entries_expire() {
        let cache: Cached<&str, i64> = Cached::new(Arc::default(), 10, Duration::from_millis(50));
        assert_eq!(cache.get_or_try("k", || Ok::<_, ()>(1)), Ok(1));
        std::thread::sleep(Duration::from_millis(120));
        assert_eq!(cache.get_or_try("k", || Ok::<_, ()>(2)), Ok(2));
    }
}
