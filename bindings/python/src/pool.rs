//! The thread pool batch calls run on.
//!
//! rayon's global pool does not survive `fork()`: a forked child (Spark's Python worker daemon,
//! `multiprocessing` with the fork start method, gunicorn) inherits a pool whose threads do not
//! exist, and the first parallel call hangs. So batch calls run inside a pool that belongs to
//! the current process id, created on first use and re-created in a forked child.

use std::sync::{Arc, Mutex};

use rayon::{ThreadPool, ThreadPoolBuilder};

static POOL: Mutex<Option<(u32, Arc<ThreadPool>)>> = Mutex::new(None);

/// Runs `f` inside this process's pool (falls back to the calling thread if no pool can be made).
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(p) => p.install(f),
        None => f(),
    }
}

fn pool() -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    // A poisoned lock only means another thread panicked while holding it; the data is a plain
    // Option that is always valid, so keep going.
    let mut guard = POOL.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, pool)) = guard.as_ref() {
        if *owner == pid {
            return Some(Arc::clone(pool));
        }
    }
    if let Some((_, stale)) = guard.take() {
        // Inherited through fork: its worker threads do not exist here, so dropping it could
        // wait on them. Leak it instead (one small allocation per fork).
        std::mem::forget(stale);
    }
    // `RAYON_NUM_THREADS` is honoured by the builder; by default one thread per core.
    let pool = Arc::new(
        ThreadPoolBuilder::new()
            .thread_name(|i| format!("tactful-{i}"))
            .build()
            .ok()?,
    );
    *guard = Some((pid, Arc::clone(&pool)));
    Some(pool)
}
