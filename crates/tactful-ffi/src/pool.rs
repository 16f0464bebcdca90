//! The thread pool batch calls run on, safe across `fork()`.
//!
//! rayon's pool does not survive `fork()`: a child process (a pre-forking server, a job runner
//! that forks workers) inherits a pool whose worker threads do not exist in it, and the first
//! parallel call waits for them forever. So batch calls run in a pool that belongs to the
//! current process id: created on first use and created again in a forked child. When no
//! pool can be made, the caller runs the batch serially on its own thread.

use std::sync::{Arc, Mutex};

use rayon::{ThreadPool, ThreadPoolBuilder};

static POOL: Mutex<Option<(u32, Arc<ThreadPool>)>> = Mutex::new(None);

/// This process's pool, or `None` when its threads cannot be started.
pub(crate) fn current() -> Option<Arc<ThreadPool>> {
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
        // Inherited through fork: its worker threads do not exist here, so dropping it would
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
