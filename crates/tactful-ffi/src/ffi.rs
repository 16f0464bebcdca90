//! The one place where pointers from C become Rust values, and the panic boundary (in the
//! style of rustls-ffi's `ffi.rs`: `Castable`, `try_ref_from_ptr!`, `ffi_panic_boundary!`).
//!
//! Each exported function is then a few lines: `ffi_boundary! { ... }` around its body, one
//! `try_*!` per argument, and the call into the core.
//!
//! # Safety (the one SAFETY note of every `unsafe` block these macros expand to)
//!
//! Every exported function of this library is an `unsafe extern "C" fn` whose `# Safety`
//! section is its caller's promise about each pointer argument: a handle is NULL or a live
//! object of that type handed out by this library and not freed (and, for a `*mut` handle, not
//! used by anyone else during the call); `(ptr, len)` text is NULL or `len` readable bytes that
//! do not change during the call; an array argument `(ptr, count)` is NULL or `count` readable
//! elements, an output array NULL or `count` writable ones; an out-parameter is NULL or
//! writable. The macros below are
//! only ever given such arguments, straight from the exported function; what they can check
//! (NULL, lengths no buffer can have) they check, and the rest is that promise.

use std::ffi::c_char;
use std::marker::PhantomData;

use crate::error::{fail_with, tactful_result};

/// A type the C side only sees behind pointers this library hands out, boxed
/// (rustls-ffi's `Castable` with `OwnershipBox`): made by [`Castable::into_ptr`], borrowed by
/// [`try_ref!`] / [`try_mut!`] / [`read_or!`], released by [`free_box!`].
pub(crate) trait Castable: Sized {
    /// Moves `self` into a new box and hands its pointer to C.
    fn into_ptr(self) -> *mut Self {
        Box::into_raw(Box::new(self))
    }
}

/// A checked, non-NULL out-parameter; [`try_out!`] is the only way to make one.
pub(crate) struct Out<'a, T> {
    ptr: *mut T,
    _slot: PhantomData<&'a mut T>,
}

impl<T> Out<'_, T> {
    /// Writes the result. Only call it once the call has succeeded: on failure the
    /// out-parameter is left unchanged.
    pub(crate) fn write(self, value: T) {
        // SAFETY: `ptr` is non-NULL (checked in `out`) and writable (module note).
        unsafe { self.ptr.write(value) }
    }
}

fn null(name: &str) -> tactful_result {
    fail_with(tactful_result::NullParameter, format!("`{name}` is NULL"))
}

/// # Safety
/// `ptr` must be NULL or point to a live `T` for `'a` (module note).
pub(crate) unsafe fn try_ref<'a, T: Castable>(
    ptr: *const T,
    name: &str,
) -> Result<&'a T, tactful_result> {
    // SAFETY: forwarded from the caller; NULL is handled by `as_ref`.
    unsafe { ptr.as_ref() }.ok_or_else(|| null(name))
}

/// # Safety
/// `ptr` must be NULL or point to a live `T` nothing else accesses for `'a` (module note).
pub(crate) unsafe fn try_mut<'a, T: Castable>(
    ptr: *mut T,
    name: &str,
) -> Result<&'a mut T, tactful_result> {
    // SAFETY: forwarded from the caller; NULL is handled by `as_mut`.
    unsafe { ptr.as_mut() }.ok_or_else(|| null(name))
}

/// # Safety
/// `ptr` must be NULL or come from [`Castable::into_ptr`], not be freed yet and not be used
/// after this call (module note): ownership moves back to Rust.
pub(crate) unsafe fn try_box<T: Castable>(
    ptr: *mut T,
    name: &str,
) -> Result<Box<T>, tactful_result> {
    if ptr.is_null() {
        return Err(null(name));
    }
    // SAFETY: `ptr` came from `Box::into_raw` in `into_ptr` (caller's promise).
    Ok(unsafe { Box::from_raw(ptr) })
}

/// # Safety
/// `ptr` must be NULL or point to a live `T` for `'a` (module note).
pub(crate) unsafe fn opt_ref<'a, T: Castable>(ptr: *const T) -> Option<&'a T> {
    // SAFETY: forwarded from the caller.
    unsafe { ptr.as_ref() }
}

/// Checks an out-parameter for NULL (before any work is done).
pub(crate) fn try_out<'a, T>(ptr: *mut T, name: &str) -> Result<Out<'a, T>, tactful_result> {
    if ptr.is_null() {
        return Err(null(name));
    }
    Ok(Out {
        ptr,
        _slot: PhantomData,
    })
}

/// An out-parameter that may be NULL ("discard the result").
pub(crate) fn opt_out<'a, T>(ptr: *mut T) -> Option<Out<'a, T>> {
    (!ptr.is_null()).then_some(Out {
        ptr,
        _slot: PhantomData,
    })
}

/// `ptr` non-NULL and `len` elements of `T` no larger than any buffer can be.
fn check_array<T>(ptr: *const T, len: usize, name: &str) -> Result<(), tactful_result> {
    if ptr.is_null() {
        return Err(null(name));
    }
    // A slice longer than isize::MAX bytes is undefined behaviour to even form.
    if len
        .checked_mul(size_of::<T>())
        .is_none_or(|bytes| bytes > isize::MAX as usize)
    {
        return Err(fail_with(
            tactful_result::OutOfRange,
            format!("`{name}` length {len} is larger than any valid buffer"),
        ));
    }
    Ok(())
}

/// # Safety
/// `ptr` must be NULL or point to `len` readable elements unchanged for `'a` (module note).
pub(crate) unsafe fn try_slice<'a, T>(
    ptr: *const T,
    len: usize,
    name: &str,
) -> Result<&'a [T], tactful_result> {
    check_array(ptr, len, name)?;
    // SAFETY: non-NULL, size checked above, validity forwarded from the caller.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// A checked, non-NULL output array of `len` elements; [`try_out_array!`] is the only way to
/// make one. It is written through the raw pointer, element by element, like [`Out`]: no
/// Rust reference to the caller's memory is formed.
pub(crate) struct OutArray<'a, T> {
    ptr: *mut T,
    len: usize,
    _slots: PhantomData<&'a mut [T]>,
}

impl<T> OutArray<'_, T> {
    /// Writes `values` to the first elements (never more than `len`). Only call it once the
    /// call has succeeded: on failure the array is left unchanged.
    pub(crate) fn write(self, values: impl IntoIterator<Item = T>) {
        for (i, value) in values.into_iter().take(self.len).enumerate() {
            // SAFETY: `i < len`, and the array holds `len` writable elements (checked in
            // `try_out_array`, module note).
            unsafe { self.ptr.add(i).write(value) }
        }
    }
}

/// Checks an output array for NULL and size (before any work is done).
pub(crate) fn try_out_array<'a, T>(
    ptr: *mut T,
    len: usize,
    name: &str,
) -> Result<OutArray<'a, T>, tactful_result> {
    check_array(ptr, len, name)?;
    Ok(OutArray {
        ptr,
        len,
        _slots: PhantomData,
    })
}

/// # Safety
/// As [`try_bytes`].
pub(crate) unsafe fn try_str<'a>(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a str, tactful_result> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { try_slice(ptr.cast::<u8>(), len, name) }?;
    std::str::from_utf8(bytes).map_err(|e| {
        fail_with(
            tactful_result::InvalidUtf8,
            format!("`{name}` is not valid UTF-8 at byte {}", e.valid_up_to()),
        )
    })
}

/// # Safety
/// `ptr` must be NULL or come from [`Castable::into_ptr`] and not be freed yet (module note).
pub(crate) unsafe fn free_box<T: Castable>(ptr: *mut T) {
    if ptr.is_null() {
        return;
    }
    crate::error::guard_or((), || {
        // SAFETY: `ptr` came from `Box::into_raw` in `into_ptr` (caller's promise).
        drop(unsafe { Box::from_raw(ptr) });
    })
}

/// The panic boundary of a fallible export: runs the body (which uses `?` on the `try_*!`
/// results and core calls, and ends in `Ok(())`) and gives its `tactful_result`; a panic gives
/// `TACTFUL_RESULT_PANIC`.
macro_rules! ffi_boundary {
    ($($body:tt)*) => {
        $crate::error::guard(|| {
            $crate::error::code((|| -> ::std::result::Result<(), $crate::error::tactful_result> {
                $($body)*
            })())
        })
    };
}

/// `&T` for a handle argument, or `Err(NULL_PARAMETER)` naming it (the variable's name, or
/// the name given).
macro_rules! try_ref {
    ($ptr:ident) => {
        try_ref!($ptr, stringify!($ptr))
    };
    ($ptr:expr, $name:expr) => {{
        let (ptr, name) = ($ptr, $name);
        // SAFETY: see the module note of `ffi.rs`.
        unsafe { $crate::ffi::try_ref(ptr, name) }
    }};
}

/// `&mut T` for a handle argument, or `Err(NULL_PARAMETER)` naming it.
macro_rules! try_mut {
    ($ptr:ident) => {
        try_mut!($ptr, stringify!($ptr))
    };
    ($ptr:expr, $name:expr) => {{
        let (ptr, name) = ($ptr, $name);
        // SAFETY: see the module note of `ffi.rs`.
        unsafe { $crate::ffi::try_mut(ptr, name) }
    }};
}

/// `Box<T>` for a handle argument the call consumes, or `Err(NULL_PARAMETER)` naming it.
macro_rules! try_box {
    ($ptr:ident) => {{
        let ptr = $ptr;
        // SAFETY: see the module note of `ffi.rs`.
        unsafe { $crate::ffi::try_box(ptr, stringify!($ptr)) }
    }};
}

/// `Option<&T>` for a handle argument where NULL means "none" (e.g. the default context).
macro_rules! opt_ref {
    ($ptr:expr) => {{
        let ptr = $ptr;
        // SAFETY: see the module note of `ffi.rs`.
        unsafe { $crate::ffi::opt_ref(ptr) }
    }};
}

/// A checked out-parameter ([`Out`]), or `Err(NULL_PARAMETER)` naming it.
macro_rules! try_out {
    ($ptr:ident) => {
        $crate::ffi::try_out($ptr, stringify!($ptr))
    };
}

/// `&str` for a `(const char *ptr, size_t len)` UTF-8 argument, or `Err(NULL_PARAMETER /
/// OUT_OF_RANGE / INVALID_UTF8)` naming it.
macro_rules! try_str {
    ($ptr:ident, $len:expr) => {
        try_str!($ptr, $len, stringify!($ptr))
    };
    ($ptr:expr, $len:expr, $name:expr) => {{
        let (ptr, len, name) = ($ptr, $len, $name);
        // SAFETY: see the module note of `ffi.rs`.
        unsafe { $crate::ffi::try_str(ptr, len, name) }
    }};
}

/// `&[T]` for a `(const T *ptr, size_t count)` array argument (e.g. `const uint8_t *` bytes),
/// or `Err(NULL_PARAMETER / OUT_OF_RANGE)` naming it.
macro_rules! try_slice {
    ($ptr:ident, $len:expr) => {{
        let (ptr, len) = ($ptr, $len);
        // SAFETY: see the module note of `ffi.rs`.
        unsafe { $crate::ffi::try_slice(ptr, len, stringify!($ptr)) }
    }};
}

/// A checked output array ([`OutArray`]) for a `(T *ptr, size_t count)` argument, or
/// `Err(NULL_PARAMETER / OUT_OF_RANGE)` naming it.
macro_rules! try_out_array {
    ($ptr:ident, $len:expr) => {
        $crate::ffi::try_out_array($ptr, $len, stringify!($ptr))
    };
}

/// For the infallible accessors: `f(&*ptr)` inside the panic boundary, or `fallback` when
/// `ptr` is NULL (or `f` panics).
macro_rules! read_or {
    ($ptr:expr, $fallback:expr, $f:expr) => {{
        let (ptr, fallback) = ($ptr, $fallback);
        $crate::error::guard_or(fallback, || {
            // SAFETY: see the module note of `ffi.rs`.
            let r = unsafe { $crate::ffi::opt_ref(ptr) };
            r.map_or(fallback, $f)
        })
    }};
}

/// Releases a handle made by [`Castable::into_ptr`]; NULL is a no-op.
macro_rules! free_box {
    ($ptr:expr) => {{
        let ptr = $ptr;
        // SAFETY: see the module note of `ffi.rs`.
        unsafe { $crate::ffi::free_box(ptr) }
    }};
}
