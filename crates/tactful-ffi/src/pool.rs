//! The threads batch calls run on: started for the call and joined before it returns.
//!
//! Why not a persistent pool (rayon's, or one per process as before): a pool's worker threads
//! outlive the call, so (1) a `fork()`ed child inherits a pool whose threads do not exist in
//! it and its first batch waits forever, and (2) at process exit the workers are still alive,
//! and their thread-local storage is reported by `valgrind --leak-check=full` as "possibly
//! lost", so a C program that only used the library fails a standard valgrind run. Threads
//! joined before the call returns have neither problem; starting them costs tens of microseconds, small
//! beside a batch large enough to be split (see `MIN_PER_THREAD`).

use std::num::NonZeroUsize;
use std::sync::Arc;

/// Fewer items than this per thread are not worth a thread (an assessment takes ≈ 10–20 µs).
const MIN_PER_THREAD: usize = 32;

/// How many threads to use: `TACTFUL_NUM_THREADS` (or `RAYON_NUM_THREADS`, honoured before
/// for the rayon pool) when set to a positive number, else one per available core.
fn threads() -> usize {
    for var in ["TACTFUL_NUM_THREADS", "RAYON_NUM_THREADS"] {
        if let Some(n) = std::env::var(var)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
        {
            return n;
        }
    }
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// `items.iter().map(f)` on up to [`threads`] threads, in order. When a thread cannot be
/// started, its share runs on the calling thread.
///
/// The threads are plain (not scoped) and joined here: `std::thread::scope` registers the
/// calling thread with Rust's runtime (`thread::current()`), an allocation a C program's main
/// thread then keeps through an interior pointer, which valgrind reports as "possibly lost".
/// So the work is shared by `Arc` and the results come back through `join`.
pub(crate) fn map<I, O, F>(items: Vec<I>, f: F) -> Vec<O>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    F: Fn(&I) -> O + Send + Sync + 'static,
{
    let workers = threads().min(items.len() / MIN_PER_THREAD).max(1);
    if workers == 1 {
        return items.iter().map(f).collect();
    }
    let n = items.len();
    let chunk = n.div_ceil(workers);
    let items: Arc<[I]> = items.into();
    let f = Arc::new(f);
    let handles: Vec<_> = (0..n)
        .step_by(chunk)
        .map(|start| {
            let range = start..(start + chunk).min(n);
            let (items, f) = (Arc::clone(&items), Arc::clone(&f));
            let work = range.clone();
            let handle = std::thread::Builder::new()
                .name("tactful-batch".into())
                .spawn(move || items[work].iter().map(|i| f(i)).collect::<Vec<O>>());
            (range, handle)
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for (range, handle) in handles {
        match handle {
            Ok(h) => match h.join() {
                Ok(done) => out.extend(done),
                // Carried to the caller's panic boundary, as on a single thread.
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // Not started: this share runs here.
            Err(_) => out.extend(items[range].iter().map(|i| f(i))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_for_every_size() {
        for n in [0, 1, 31, 32, 63, 64, 65, 1000, 4097] {
            let items: Vec<usize> = (0..n).collect();
            let out = map(items.clone(), |&i| i * 3);
            assert_eq!(
                out,
                items.iter().map(|i| i * 3).collect::<Vec<_>>(),
                "n = {n}"
            );
        }
    }
}
