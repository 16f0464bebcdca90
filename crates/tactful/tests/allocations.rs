//! Heap allocations per `Engine::assess` (issue 10, "nothing built until asked").
//!
//! A counting global allocator wraps the system one and counts `alloc` and `realloc` calls
//! made on the test's own thread while a thread-local flag is set, so the test harness's
//! other threads cannot disturb the count. Each message is assessed once first (lazy
//! statics, the per-thread scratch buffers), then counted on the second call.
//!
//! The counts are exact: the engine's code path is the same on every platform (no hashing
//! with random seeds, no platform-dependent formatting), so a change in a count means a
//! change in what `assess` allocates. Update the numbers deliberately, with the reason.
//!
//! `output` is what cloning the result allocates: one allocation per non-empty `String` or
//! `Vec` in the `Assessment`, the floor for an API that returns owned strings.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use tactful::{Context, Engine};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // `const` and without a destructor: reading it never allocates, even from inside the
    // allocator, and it stays readable while the thread is being torn down.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn counting() -> bool {
    COUNTING.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: every call is forwarded unchanged to `System`; the counter has no effect on memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if counting() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if counting() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if counting() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f` on this thread.
fn count<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (out, ALLOCS.load(Ordering::Relaxed) - before)
}

/// The four messages of `examples/rust/profile.rs` (the workload of `docs/performance.md`),
/// with (allocations per `assess`, of which the owned output).
const CASES: [(&str, usize, usize); 4] = [
    (
        "Someone used my card abroad and took $900 from my account, please block it now!",
        52,
        33,
    ),
    (
        "@SouthwestAir my flight got cancelled and nobody at the gate can tell me anything. 3 hours now",
        45,
        28,
    ),
    ("Hi, can you tell me if you ship to Canada?", 37, 24),
    (
        "Thanks so much for sorting my refund so quickly, really appreciate it!",
        47,
        30,
    ),
];

#[test]
fn allocations_per_assess() {
    let engine = Engine::default();
    let ctx = Context::default();
    for (text, _, _) in CASES {
        engine.assess(text, &ctx).expect("warm-up assess");
    }
    let mut got = Vec::new();
    for (text, _, _) in CASES {
        let (a, n) = count(|| engine.assess(text, &ctx).expect("assess"));
        let (copy, output) = count(|| a.clone());
        drop(copy);
        got.push((n, output));
    }
    let want: Vec<(usize, usize)> = CASES.iter().map(|&(_, n, o)| (n, o)).collect();
    assert_eq!(
        got, want,
        "(allocations per assess, of which the output) per message"
    );
}
