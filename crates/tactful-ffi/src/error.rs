//! Result codes, the thread-local last error, the panic boundary and string helpers.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use tactful_core::Error;

/// The outcome of a fallible call. `TACTFUL_RESULT_OK` (0) is success; every other value is
/// an error whose detail is kept in the calling thread's last error (see
/// `tactful_last_error_message`).
///
/// Codes are stable: values are only ever added, never renumbered or reused. Codes 10 and up
/// are the core library's own error codes. Treat any value you do not know as a generic error.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_result {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullParameter = 1,
    /// A text argument is not valid UTF-8.
    InvalidUtf8 = 2,
    /// The library hit an internal bug and recovered; the call had no effect. Please report it.
    Panic = 3,
    /// An index or numeric argument is outside its allowed range.
    OutOfRange = 4,
    /// The call needs an object that was already consumed (e.g. a builder that was built).
    AlreadyUsed = 5,
    /// An error this version of the C library does not know yet (from a newer core).
    Unexpected = 9,
    /// The text is empty or only whitespace.
    EmptyInput = 10,
    /// The text is longer than the engine's maximum input size.
    InputTooLarge = 11,
    /// The playbook is malformed or inconsistent (the last error names the field and line).
    InvalidPlaybook = 12,
    /// The context is malformed (unknown field, out-of-range value).
    InvalidContext = 13,
    /// A model file is corrupt, truncated, of an unsupported version or does not fit the playbook.
    InvalidModel = 14,
    /// A file could not be read.
    Io = 15,
    /// A value is not one of a vocabulary's values (e.g. an unknown channel code).
    UnknownValue = 16,
    /// A conversation turn is out of order or malformed.
    InvalidTurn = 17,
    /// An engine option is out of range.
    InvalidOption = 18,
}

impl tactful_result {
    /// Every value, for the look-ups below.
    const ALL: &'static [tactful_result] = &[
        tactful_result::Ok,
        tactful_result::NullParameter,
        tactful_result::InvalidUtf8,
        tactful_result::Panic,
        tactful_result::OutOfRange,
        tactful_result::AlreadyUsed,
        tactful_result::Unexpected,
        tactful_result::EmptyInput,
        tactful_result::InputTooLarge,
        tactful_result::InvalidPlaybook,
        tactful_result::InvalidContext,
        tactful_result::InvalidModel,
        tactful_result::Io,
        tactful_result::UnknownValue,
        tactful_result::InvalidTurn,
        tactful_result::InvalidOption,
    ];

    /// The result for a core error: the value equal to its stable code, or `Unexpected` for
    /// codes added to the core after this wrapper was written.
    pub(crate) fn of(e: &Error) -> tactful_result {
        let code = e.code();
        Self::ALL
            .iter()
            .copied()
            .find(|&r| r as u32 == code && code >= CORE_CODES)
            .unwrap_or(tactful_result::Unexpected)
    }

    /// The description of a code: this wrapper's own codes (below 10) here, the core's from
    /// `Error::summary_of`.
    fn message(code: u32) -> &'static CStr {
        let own = match code {
            0 => Some(c"success"),
            1 => Some(c"a required pointer argument was NULL"),
            2 => Some(c"a text argument is not valid UTF-8"),
            3 => Some(c"internal error (panic) caught; the call had no effect"),
            4 => Some(c"an index or numeric argument is out of range"),
            5 => Some(c"the object was already consumed"),
            9 => Some(c"unexpected error"),
            _ => None,
        };
        static CORE: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
        own.or_else(|| {
            CORE.get_or_init(|| {
                Error::CODES
                    .iter()
                    .filter_map(|&c| Some((c, c_string(Error::summary_of(c)?))))
                    .collect()
            })
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, s)| s.as_c_str())
        })
        .unwrap_or(c"unknown result code")
    }
}

/// Codes from 10 up are the core's `Error::code()` values.
const CORE_CODES: u32 = 10;

/// What the last failed call on this thread reported.
struct LastError {
    code: tactful_result,
    message: String,
    error: Option<Error>,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

fn set_last(code: tactful_result, message: String, error: Option<Error>) {
    // `try_with`: during thread teardown the slot may be gone; losing the detail is better
    // than panicking there.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = Some(LastError {
                code,
                message,
                error,
            });
        }
    });
}

fn with_last<T>(f: impl FnOnce(&LastError) -> T) -> Option<T> {
    LAST_ERROR
        .try_with(|slot| slot.try_borrow().ok()?.as_ref().map(f))
        .ok()
        .flatten()
}

/// Records a core error as the thread's last error and returns its result code.
pub(crate) fn fail(e: Error) -> tactful_result {
    let code = tactful_result::of(&e);
    set_last(code, e.to_string(), Some(e));
    code
}

/// Records an FFI-level error (NULL, UTF-8, range) and returns `code`.
pub(crate) fn fail_with(code: tactful_result, message: impl Into<String>) -> tactful_result {
    set_last(code, message.into(), None);
    code
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic");
    format!("internal error (panic) caught at the C boundary: {what}")
}

/// Runs `f` inside the panic boundary of a fallible call: a panic becomes `TACTFUL_RESULT_PANIC`.
pub(crate) fn guard(f: impl FnOnce() -> tactful_result) -> tactful_result {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let message = panic_message(&*payload);
            // Dropping a panic payload can itself panic (a payload with a panicking Drop);
            // keep that from unwinding into C as well.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            fail_with(tactful_result::Panic, message)
        }
    }
}

/// Runs `f` inside the panic boundary of an infallible call: a panic gives `fallback`.
pub(crate) fn guard_or<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(payload) => {
            let message = panic_message(&*payload);
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            fail_with(tactful_result::Panic, message);
            fallback
        }
    }
}

/// A C string for `s`. C strings cannot hold NUL, so NUL characters are dropped.
pub(crate) fn c_string(s: &str) -> CString {
    match CString::new(s) {
        Ok(c) => c,
        Err(e) => {
            let mut bytes = e.into_vec();
            bytes.retain(|&b| b != 0);
            // Every NUL was just removed, so this cannot fail; an empty string is a safe fallback.
            CString::new(bytes).unwrap_or_default()
        }
    }
}

/// An owned C string for `s`, to be released with `tactful_string_free`.
pub(crate) fn owned_c_string(s: &str) -> *mut c_char {
    c_string(s).into_raw()
}

/// Turns a `Result` whose error was already recorded into its code.
pub(crate) fn code(r: Result<(), tactful_result>) -> tactful_result {
    match r {
        Ok(()) => tactful_result::Ok,
        Err(c) => c,
    }
}

/// A short English description of a result code, for logs.
///
/// Returns a static NUL-terminated string that must not be freed; never NULL (unknown codes
/// give "unknown result code"). Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_result_message(code: u32) -> *const c_char {
    guard_or(c"unknown result code".as_ptr(), || {
        tactful_result::message(code).as_ptr()
    })
}

/// The result code of the last failed call on the calling thread, or `TACTFUL_RESULT_OK` when
/// no call has failed on this thread yet.
///
/// The last error is per thread and is only replaced by the next failure on the same thread
/// (successful calls leave it alone, like `errno`).
#[no_mangle]
pub extern "C" fn tactful_last_error_code() -> tactful_result {
    guard_or(tactful_result::Panic, || {
        with_last(|e| e.code).unwrap_or(tactful_result::Ok)
    })
}

/// A detailed message for the last failed call on the calling thread (for example
/// `invalid playbook: categories[2].default_urgency: ... (line 14, column 3)`), or NULL when
/// no call has failed on this thread.
///
/// Ownership: the caller owns the returned string and must release it with
/// `tactful_string_free`. Thread-safe (each thread has its own last error).
#[no_mangle]
pub extern "C" fn tactful_last_error_message() -> *mut c_char {
    guard_or(std::ptr::null_mut(), || {
        with_last(|e| owned_c_string(&e.message)).unwrap_or(std::ptr::null_mut())
    })
}

/// The field the last failed call on this thread complained about (e.g.
/// `categories[2].default_urgency` or `past_feedback.csat`), or NULL when there is none.
///
/// Ownership: the caller owns the returned string and must release it with
/// `tactful_string_free`.
#[no_mangle]
pub extern "C" fn tactful_last_error_field() -> *mut c_char {
    guard_or(std::ptr::null_mut(), || {
        with_last(|e| match &e.error {
            Some(Error::InvalidPlaybook { field, .. } | Error::InvalidContext { field, .. })
                if !field.is_empty() =>
            {
                owned_c_string(field)
            }
            _ => std::ptr::null_mut(),
        })
        .unwrap_or(std::ptr::null_mut())
    })
}

/// The 1-based line in the playbook text of the last failed call on this thread, or 0 when
/// unknown.
#[no_mangle]
pub extern "C" fn tactful_last_error_line() -> usize {
    guard_or(0, || {
        with_last(|e| match &e.error {
            Some(Error::InvalidPlaybook { line, .. }) => line.unwrap_or(0),
            _ => 0,
        })
        .unwrap_or(0)
    })
}

/// The 1-based column in the playbook text of the last failed call on this thread, or 0 when
/// unknown.
#[no_mangle]
pub extern "C" fn tactful_last_error_column() -> usize {
    guard_or(0, || {
        with_last(|e| match &e.error {
            Some(Error::InvalidPlaybook { column, .. }) => column.unwrap_or(0),
            _ => 0,
        })
        .unwrap_or(0)
    })
}

/// Releases a string returned by this library (`_to_json`, `_opening`, `tactful_last_error_*`).
///
/// `tactful_string_free(NULL)` is a no-op. Passing any other pointer, or the same pointer twice,
/// is undefined behaviour. Do not change the string's length before freeing it.
///
/// # Safety
/// `s` must be NULL or a string returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn tactful_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    guard_or((), || {
        // SAFETY: `s` came from `CString::into_raw` in this library (caller's promise).
        drop(unsafe { CString::from_raw(s) });
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_message() -> String {
        let p = tactful_last_error_message();
        assert!(!p.is_null());
        // SAFETY: owned NUL-terminated string from this library.
        let s = unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
        // SAFETY: as above.
        unsafe { tactful_string_free(p) };
        s
    }

    fn borrowed(p: *const c_char) -> &'static str {
        // SAFETY: static NUL-terminated string.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("")
    }

    #[test]
    fn result_codes_are_the_cores_error_codes() {
        let errors = [
            Error::EmptyInput,
            Error::InputTooLarge { len: 2, max: 1 },
            Error::InvalidPlaybook {
                field: "f".into(),
                message: "m".into(),
                line: Some(1),
                column: None,
            },
            Error::InvalidContext {
                field: "f".into(),
                message: "m".into(),
            },
            Error::InvalidModel("m".into()),
            Error::Io {
                path: "p".into(),
                message: "m".into(),
            },
            Error::UnknownValue {
                what: "channel",
                value: "v".into(),
                expected: "e".into(),
            },
            Error::InvalidTurn("t".into()),
            Error::InvalidOption("o".into()),
        ];
        let mut seen = std::collections::HashSet::new();
        for e in &errors {
            let r = fail(e.clone());
            assert_eq!(r as u32, e.code(), "{e}");
            assert!(seen.insert(e.code()));
            assert_eq!(tactful_last_error_code(), r);
            assert_eq!(last_message(), e.to_string());
            let m = borrowed(tactful_result_message(r as u32));
            assert!(!m.is_empty() && m != "unknown result code", "{m}");
        }
        assert_eq!(borrowed(tactful_result_message(0)), "success");
        assert_eq!(
            borrowed(tactful_result_message(12345)),
            "unknown result code"
        );
    }

    #[test]
    fn every_result_is_listed_and_every_core_code_has_its_result() {
        // Exhaustive on purpose: a new variant must be added to `ALL` too.
        for &r in tactful_result::ALL {
            match r {
                tactful_result::Ok
                | tactful_result::NullParameter
                | tactful_result::InvalidUtf8
                | tactful_result::Panic
                | tactful_result::OutOfRange
                | tactful_result::AlreadyUsed
                | tactful_result::Unexpected
                | tactful_result::EmptyInput
                | tactful_result::InputTooLarge
                | tactful_result::InvalidPlaybook
                | tactful_result::InvalidContext
                | tactful_result::InvalidModel
                | tactful_result::Io
                | tactful_result::UnknownValue
                | tactful_result::InvalidTurn
                | tactful_result::InvalidOption => {}
            }
        }
        assert_eq!(tactful_result::ALL.len(), 16);
        for &c in Error::CODES {
            let r = tactful_result::ALL.iter().find(|&&r| r as u32 == c);
            assert!(r.is_some(), "core code {c} has no tactful_result");
            assert_eq!(
                borrowed(tactful_result_message(c)),
                Error::summary_of(c).unwrap_or("")
            );
        }
        for &r in tactful_result::ALL {
            let c = r as u32;
            if c >= CORE_CODES {
                assert!(Error::CODES.contains(&c), "{c} is not a core code");
            }
        }
        assert_eq!(
            borrowed(tactful_result_message(1)),
            "a required pointer argument was NULL"
        );
        assert_eq!(borrowed(tactful_result_message(10)), "the text is empty");
        assert_eq!(borrowed(tactful_result_message(9)), "unexpected error");
    }

    #[test]
    fn the_panic_boundary_turns_panics_into_codes() {
        let r = guard(|| panic!("boom"));
        assert_eq!(r, tactful_result::Panic);
        assert!(last_message().contains("boom"));
        assert_eq!(guard_or(7, || panic!("again")), 7);
    }
}
