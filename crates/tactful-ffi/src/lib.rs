//! # libtactful — the C ABI of `tactful`
//!
//! A thin C layer over the `tactful` Rust library for existing C and C++ contact-center
//! suites: it holds no logic of its own. It builds `libtactful.so` and `libtactful.a`; the
//! header `include/tactful.h` is generated from this crate by cbindgen and committed.
//!
//! Conventions (those of rustls-ffi):
//! - every type and function is prefixed `tactful_`, functions are `tactful_<type>_<verb>`, and a
//!   `const` first argument means the call does not change it;
//! - opaque handles: the engine (reference counted, shareable across threads), the assessment
//!   and the context (boxed); every constructor has a `_free`, and `_free(NULL)` is a no-op;
//! - fallible calls return a numbered [`tactful_result`] and write their out-parameters only on
//!   success; a thread-local last error holds the detail;
//! - every pointer is checked for NULL and every body runs inside a panic boundary, so a bug
//!   gives `TACTFUL_RESULT_PANIC` instead of unwinding into C or aborting the host;
//! - text goes in as `(const char *ptr, size_t len)` UTF-8 (validated) and owned strings come out
//!   to be released with `tactful_string_free`.
#![deny(missing_docs)]
// Names follow the C conventions of the header (`tactful_engine`, `tactful_result`).
#![allow(non_camel_case_types)]

// The cast helpers and the panic boundary macros: first, so every module can use them.
#[macro_use]
mod ffi;
mod assessment;
mod context;
mod conversation;
mod engine;
mod error;
mod pool;
mod review;
mod vocab;

pub use assessment::*;
pub use context::*;
pub use conversation::*;
pub use engine::*;
pub use error::*;
pub use review::*;
pub use vocab::*;

use std::ffi::c_char;

/// Major version of the library this header belongs to (checked against Cargo.toml by a test).
pub const TACTFUL_VERSION_MAJOR: u32 = 0;
/// Minor version of the library this header belongs to.
pub const TACTFUL_VERSION_MINOR: u32 = 1;
/// Patch version of the library this header belongs to.
pub const TACTFUL_VERSION_PATCH: u32 = 0;
/// The ABI version of this header. It changes only when an existing function, type or value
/// changes incompatibly; additions keep it. Compare with `tactful_abi_version()` at start-up.
pub const TACTFUL_ABI_VERSION: u32 = 1;

/// The library's version, e.g. "0.1.0": a static NUL-terminated string, never NULL, never
/// freed. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version of the loaded library; a program compiled against this header should check
/// `tactful_abi_version() == TACTFUL_ABI_VERSION` at start-up. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_abi_version() -> u32 {
    TACTFUL_ABI_VERSION
}
