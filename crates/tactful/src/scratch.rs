//! Per-thread spare buffers for the hot path, so a repeat `assess` on a thread allocates
//! only its output (issue 10).
//!
//! A buffer set is taken out of its thread-local slot when a computation starts and put
//! back, cleared, when the value holding it is dropped. Taking (not borrowing) keeps the
//! values free of lifetimes and `RefCell` guards; a nested use on the same thread simply
//! finds the slot empty and starts with fresh buffers. `Engine` stays `Send + Sync`: nothing
//! here is shared between threads.

use std::cell::RefCell;
use std::thread::LocalKey;

/// Buffers larger than this (bytes of capacity) are freed instead of kept, so one huge input
/// does not pin its memory on the thread for the rest of the process.
pub(crate) const KEEP_BYTES: usize = 64 * 1024;

/// A set of buffers that can be cleared and measured.
pub(crate) trait Spare: Default {
    /// Empties every buffer, keeping its capacity.
    fn clear(&mut self);
    /// Bytes of capacity held.
    fn capacity_bytes(&self) -> usize;
}

/// The thread's spare set from `slot`, or a new one (first use, nested use, thread teardown).
pub(crate) fn take<T: Spare + 'static>(slot: &'static LocalKey<RefCell<Option<T>>>) -> T {
    slot.try_with(|s| s.try_borrow_mut().ok().and_then(|mut s| s.take()))
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Puts `spare` back into `slot`, cleared, unless it has grown past [`KEEP_BYTES`].
pub(crate) fn give<T: Spare + 'static>(slot: &'static LocalKey<RefCell<Option<T>>>, mut spare: T) {
    if spare.capacity_bytes() > KEEP_BYTES {
        return;
    }
    spare.clear();
    // During thread teardown the slot may be gone: the buffers are then simply freed.
    let _ = slot.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            *s = Some(spare);
        }
    });
}

/// Bytes of capacity of a vector.
pub(crate) fn vec_bytes<T>(v: &Vec<T>) -> usize {
    v.capacity() * std::mem::size_of::<T>()
}
