//! `tactful_review`: the review of an agent's draft reply.

use std::ffi::{c_char, CString};

use tactful_core::{Context, ReplyReview, Severity};

use crate::assessment::tactful_assessment;
use crate::context::tactful_context;
use crate::engine::tactful_engine;
use crate::error::{c_string, fail, owned_c_string, tactful_result};
use crate::ffi::Castable;
use crate::vocab::{tactful_approach, tactful_empathy};

/// How serious a finding of a reply review is (`tactful_review_finding_severity`).
///
/// These codes belong to the C ABI (the core names severities but has no numbers for them);
/// they follow the order `info`, `warning`, `problem`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_severity {
    /// Worth knowing; the reply can go out.
    Info = 0,
    /// Should be fixed before sending.
    Warning = 1,
    /// Will likely make things worse; caps the score.
    Problem = 2,
    /// No value: the review pointer was NULL or the index was out of range.
    Unknown = 255,
}

impl From<Severity> for tactful_severity {
    fn from(s: Severity) -> tactful_severity {
        match s {
            Severity::Info => tactful_severity::Info,
            Severity::Warning => tactful_severity::Warning,
            Severity::Problem => tactful_severity::Problem,
            // A severity added to the core after this header was generated.
            _ => tactful_severity::Unknown,
        }
    }
}

/// The review of an agent's draft reply against the situation: a score 0..100, findings
/// (blame, canned phrases, missing ownership or time frame, ...), suggestions, the three
/// empathy mechanisms and the service signals found.
///
/// Ownership: from `tactful_engine_review_reply` / `_review_reply_for`, released with
/// `tactful_review_free`; or borrowed from a `tactful_turn` (then never freed by you).
/// Thread safety: immutable; any number of threads may read it at once. Strings returned as
/// `const char *` are borrowed from the review and valid until it is freed.
#[derive(Debug)]
pub struct tactful_review {
    pub(crate) inner: ReplyReview,
    /// Finding codes, messages and suggestions as C strings, lent by the accessors.
    codes: Vec<CString>,
    messages: Vec<CString>,
    suggestions: Vec<CString>,
}

impl Castable for tactful_review {}

impl tactful_review {
    pub(crate) fn new(inner: ReplyReview) -> tactful_review {
        tactful_review {
            codes: inner
                .findings
                .iter()
                .map(|f| c_string(f.code.as_str()))
                .collect(),
            messages: inner
                .findings
                .iter()
                .map(|f| c_string(&f.message))
                .collect(),
            suggestions: inner.suggestions.iter().map(|s| c_string(s)).collect(),
            inner,
        }
    }
}

/// Reviews an agent's draft reply to a customer's message: assesses the message, then judges
/// the draft against that situation (empathy that fits, ownership, next step and time frame,
/// tone, clarity, personalization).
///
/// Both texts are UTF-8 `(ptr, len)`; `ctx` may be NULL. Errors: `NULL_PARAMETER`,
/// `INVALID_UTF8`, `EMPTY_INPUT`, `INPUT_TOO_LARGE`, `INVALID_CONTEXT`. On success `*out`
/// receives a new review to release with `tactful_review_free`. Thread-safe like
/// `tactful_engine_assess`.
///
/// # Safety
/// `engine` and `ctx` must be NULL or live objects; each text must point to its length in
/// readable bytes; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_review_reply(
    engine: *const tactful_engine,
    customer_text: *const c_char,
    customer_len: usize,
    draft: *const c_char,
    draft_len: usize,
    ctx: *const tactful_context,
    out: *mut *mut tactful_review,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let engine = try_ref!(engine)?;
            let customer = try_str!(customer_text, customer_len)?;
            let draft = try_str!(draft, draft_len)?;
            let default_ctx = Context::default();
            let ctx = opt_ref!(ctx).map_or(&default_ctx, |c| &c.inner);
            let r = engine
                .inner
                .review_reply(customer, draft, ctx)
                .map_err(fail)?;
            out.write(tactful_review::new(r).into_ptr());
            Ok(())
    }
}

/// Reviews a draft against an existing assessment of the customer's message (for example one
/// from `tactful_engine_assess` or from a conversation turn), without assessing again.
///
/// # Safety
/// As `tactful_engine_review_reply`; `assessment` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_review_reply_for(
    engine: *const tactful_engine,
    assessment: *const tactful_assessment,
    draft: *const c_char,
    draft_len: usize,
    ctx: *const tactful_context,
    out: *mut *mut tactful_review,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let engine = try_ref!(engine)?;
            let assessment = try_ref!(assessment)?;
            let draft = try_str!(draft, draft_len)?;
            let default_ctx = Context::default();
            let ctx = opt_ref!(ctx).map_or(&default_ctx, |c| &c.inner);
            let r = engine
                .inner
                .review_reply_for(&assessment.inner, draft, ctx)
                .map_err(fail)?;
            out.write(tactful_review::new(r).into_ptr());
            Ok(())
    }
}

/// Releases a review from `tactful_engine_review_reply(_for)`. `tactful_review_free(NULL)` is a
/// no-op. Never pass a review borrowed from a `tactful_turn`.
///
/// # Safety
/// `r` must be NULL or an owned review from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_free(r: *mut tactful_review) {
    free_box!(r)
}

/// Overall quality of the draft, 0..100 (-1 for NULL).
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_score(r: *const tactful_review) -> i32 {
    read_or!(r, -1, |r| i32::from(r.inner.score))
}

/// The approach the draft was judged against (`TACTFUL_APPROACH_UNKNOWN` for NULL).
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_approach(r: *const tactful_review) -> tactful_approach {
    read_or!(r, tactful_approach::Unknown, |r| r.inner.approach.into())
}

/// The amount of empathy the situation calls for (`TACTFUL_EMPATHY_UNKNOWN` for NULL).
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_expected_empathy(
    r: *const tactful_review,
) -> tactful_empathy {
    read_or!(r, tactful_empathy::Unknown, |r| {
        r.inner.expected_empathy.into()
    })
}

/// The sum of the three empathy mechanism levels (emotional reactions, interpretations,
/// explorations), 0..6 (-1 for NULL).
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_empathy_total(r: *const tactful_review) -> i32 {
    read_or!(r, -1, |r| i32::from(r.inner.empathy.total()))
}

/// The number of findings (0 for NULL).
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_finding_count(r: *const tactful_review) -> usize {
    read_or!(r, 0, |r| r.inner.findings.len())
}

/// How many findings were left out because a code reached its cap of findings per review
/// (the first ones of each code are kept; 0 for NULL).
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_findings_omitted(r: *const tactful_review) -> usize {
    read_or!(r, 0, |r| r.inner.findings_omitted)
}

/// The stable code of finding `index` (e.g. "blame", "canned_phrase", "no_time_frame"), or NULL
/// for NULL or an index out of range. Borrowed: valid until the review is freed.
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_finding_code(
    r: *const tactful_review,
    index: usize,
) -> *const c_char {
    read_or!(r, std::ptr::null(), |r| {
        r.codes.get(index).map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The sentence describing finding `index`, or NULL for NULL or an index out of range.
/// Borrowed: valid until the review is freed.
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_finding_message(
    r: *const tactful_review,
    index: usize,
) -> *const c_char {
    read_or!(r, std::ptr::null(), |r| {
        r.messages
            .get(index)
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// How serious finding `index` is (`TACTFUL_SEVERITY_UNKNOWN` for NULL or out of range).
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_finding_severity(
    r: *const tactful_review,
    index: usize,
) -> tactful_severity {
    read_or!(r, tactful_severity::Unknown, |r| {
        r.inner
            .findings
            .get(index)
            .map_or(tactful_severity::Unknown, |f| f.severity.into())
    })
}

/// True when a finding with this code (UTF-8, `len` bytes) is present; false for NULL.
///
/// # Safety
/// `r` must be NULL or a live review; `code` NULL or `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_has_finding(
    r: *const tactful_review,
    finding: *const c_char,
    len: usize,
) -> bool {
    read_or!(r, false, |r| match try_str!(finding, len) {
        // An unknown code is never present.
        Ok(c) => c.parse().is_ok_and(|c| r.inner.has(c)),
        Err(_) => false,
    })
}

/// The number of suggestions (0 for NULL).
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_suggestion_count(r: *const tactful_review) -> usize {
    read_or!(r, 0, |r| r.suggestions.len())
}

/// Suggestion `index`, most important first, or NULL for NULL or an index out of range.
/// Borrowed: valid until the review is freed.
///
/// # Safety
/// `r` must be NULL or a live review.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_suggestion_at(
    r: *const tactful_review,
    index: usize,
) -> *const c_char {
    read_or!(r, std::ptr::null(), |r| {
        r.suggestions
            .get(index)
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// The whole review as compact JSON (score, parts, empathy mechanisms, signals, findings,
/// suggestions), the same bytes as the Rust library's `ReplyReview::to_json`.
///
/// On success `*out` receives a new string to release with `tactful_string_free`.
///
/// # Safety
/// `r` must be NULL or a live review; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_review_to_json(
    r: *const tactful_review,
    out: *mut *mut c_char,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let r = try_ref!(r, "review")?;
            out.write(owned_c_string(&r.inner.to_json()));
            Ok(())
    }
}
