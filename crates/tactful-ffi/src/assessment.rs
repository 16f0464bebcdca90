//! `tactful_assessment`: the result of one assess, read through accessors or as JSON.

use std::ffi::{c_char, CString};

use tactful_core::{Assessment, Emotion, Flag};

use crate::error::{
    arg, code, guard, guard_or, out_arg, owned_c_string, read_or, tactful_result, write_out,
};
use crate::vocab::{
    by_code, tactful_approach, tactful_emotion, tactful_empathy, tactful_flag, tactful_stance,
    tactful_style, tactful_urgency,
};

/// What situation this is and how to respond: the result of `tactful_engine_assess`.
///
/// Ownership: released with `tactful_assessment_free`. It does not borrow from the engine, the
/// text or the context: it may outlive all three. Thread safety: immutable, so any number of
/// threads may read one assessment at once; free it only when no thread is reading it.
/// Strings returned as `const char *` are borrowed from the assessment and valid until it is
/// freed; strings returned as `char *` are the caller's, released with `tactful_string_free`.
#[derive(Debug)]
pub struct tactful_assessment {
    pub(crate) inner: Assessment,
    /// The category label as a C string, so the accessor can lend it without allocating.
    category: CString,
}

impl tactful_assessment {
    pub(crate) fn new(inner: Assessment) -> tactful_assessment {
        let category = crate::error::c_string(&inner.situation.category.label);
        tactful_assessment { inner, category }
    }

    pub(crate) fn boxed(inner: Assessment) -> *mut tactful_assessment {
        Box::into_raw(Box::new(tactful_assessment::new(inner)))
    }
}

/// Reads one field of a non-NULL assessment, or gives `fallback` for NULL.
///
/// # Safety
/// `a` must be NULL or a live assessment.
unsafe fn read<T: Copy>(
    a: *const tactful_assessment,
    fallback: T,
    f: impl FnOnce(&Assessment) -> T,
) -> T {
    // SAFETY: forwarded from the caller.
    unsafe { read_or(a, fallback, |a| f(&a.inner)) }
}

/// Releases an assessment. `tactful_assessment_free(NULL)` is a no-op.
///
/// # Safety
/// `a` must be NULL or an assessment from this library, not yet freed and not being read.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_free(a: *mut tactful_assessment) {
    if a.is_null() {
        return;
    }
    guard_or((), || {
        // SAFETY: `a` came from `Box::into_raw` in this library (caller's promise).
        drop(unsafe { Box::from_raw(a) });
    })
}

/// The issue category, a label of the engine's playbook (e.g. "fraud_security"; "other" when
/// the classifier abstains), or NULL for NULL.
///
/// The string is borrowed: valid until the assessment is freed; do not free it.
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_category(
    a: *const tactful_assessment,
) -> *const c_char {
    // SAFETY: forwarded from the caller.
    guard_or(std::ptr::null(), || match unsafe { a.as_ref() } {
        Some(a) => a.category.as_ptr(),
        None => std::ptr::null(),
    })
}

/// Probability of the chosen category, 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_category_confidence(
    a: *const tactful_assessment,
) -> f64 {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, f64::NAN, |a| a.situation.category.confidence) }
}

/// The dominant emotion (`TACTFUL_EMOTION_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_emotion(
    a: *const tactful_assessment,
) -> tactful_emotion {
    // SAFETY: forwarded from the caller.
    unsafe {
        read(a, tactful_emotion::Unknown, |a| {
            a.situation.emotion.label.into()
        })
    }
}

/// Probability of the dominant emotion, 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_emotion_confidence(
    a: *const tactful_assessment,
) -> f64 {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, f64::NAN, |a| a.situation.emotion.confidence) }
}

/// How strongly the emotion is expressed, 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_emotion_intensity(a: *const tactful_assessment) -> f64 {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, f64::NAN, |a| a.situation.emotion.intensity) }
}

/// Probability of one emotion (a `TACTFUL_EMOTION_*` code), 0..1; NaN for NULL or an unknown
/// code.
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_emotion_score(
    a: *const tactful_assessment,
    emotion: u32,
) -> f64 {
    // SAFETY: forwarded from the caller.
    unsafe {
        read(a, f64::NAN, |a| {
            match by_code(Emotion::ALL, emotion, Emotion::code) {
                Some(e) => a.situation.emotion.scores.get(e.as_str()),
                None => f64::NAN,
            }
        })
    }
}

/// Overall valence, −1 (very negative) … 1 (very positive) (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_sentiment(a: *const tactful_assessment) -> f64 {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, f64::NAN, |a| a.situation.sentiment) }
}

/// How fast this needs action (`TACTFUL_URGENCY_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_urgency(
    a: *const tactful_assessment,
) -> tactful_urgency {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, tactful_urgency::Unknown, |a| a.situation.urgency.into()) }
}

/// What the customer wants (`TACTFUL_STANCE_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_stance(a: *const tactful_assessment) -> tactful_stance {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, tactful_stance::Unknown, |a| a.situation.stance.into()) }
}

/// How the customer communicates (`TACTFUL_STYLE_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_style(a: *const tactful_assessment) -> tactful_style {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, tactful_style::Unknown, |a| a.situation.style.into()) }
}

/// Likelihood the contact escalates (supervisor, complaint, threat), 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_escalation_risk(a: *const tactful_assessment) -> f64 {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, f64::NAN, |a| a.situation.escalation_risk) }
}

/// Likelihood the customer leaves, 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_churn_risk(a: *const tactful_assessment) -> f64 {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, f64::NAN, |a| a.situation.churn_risk) }
}

/// The number of flags set (0 for NULL); read them with `tactful_assessment_flag_at`.
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_flag_count(a: *const tactful_assessment) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { read(a, 0, |a| a.situation.flags.len()) }
}

/// The flag at `index` (0 ≤ index < `tactful_assessment_flag_count`), in code order;
/// `TACTFUL_FLAG_UNKNOWN` for NULL or an index out of range.
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_flag_at(
    a: *const tactful_assessment,
    index: usize,
) -> tactful_flag {
    // SAFETY: forwarded from the caller.
    unsafe {
        read(a, tactful_flag::Unknown, |a| {
            a.situation
                .flags
                .get(index)
                .map_or(tactful_flag::Unknown, |&f| f.into())
        })
    }
}

/// True when the flag (a `TACTFUL_FLAG_*` code) is set; false for NULL or an unknown code.
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_has_flag(
    a: *const tactful_assessment,
    flag: u32,
) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe {
        read(a, false, |a| {
            by_code(Flag::ALL, flag, Flag::code).is_some_and(|f| a.situation.has(f))
        })
    }
}

/// What the agent should lead with (`TACTFUL_APPROACH_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_approach(
    a: *const tactful_assessment,
) -> tactful_approach {
    // SAFETY: forwarded from the caller.
    unsafe {
        read(a, tactful_approach::Unknown, |a| {
            a.recommendation.approach.into()
        })
    }
}

/// How much empathy goes up front (`TACTFUL_EMPATHY_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_empathy(
    a: *const tactful_assessment,
) -> tactful_empathy {
    // SAFETY: forwarded from the caller.
    unsafe {
        read(a, tactful_empathy::Unknown, |a| {
            a.recommendation.empathy.into()
        })
    }
}

/// Writes a copy of `f(a)` to `*out` as an owned C string.
///
/// # Safety
/// `a` must be NULL or a live assessment; `out` NULL or writable.
unsafe fn string_out(
    a: *const tactful_assessment,
    out: *mut *mut c_char,
    f: impl FnOnce(&Assessment) -> String,
) -> tactful_result {
    guard(|| {
        code((|| {
            let out = out_arg(out, "out")?;
            // SAFETY: forwarded from the caller.
            let a = unsafe { arg(a, "assessment") }?;
            let s = owned_c_string(&f(&a.inner));
            // SAFETY: `out` is non-NULL and writable.
            unsafe { write_out(out, s) };
            Ok(())
        })())
    })
}

/// The suggested first line for the agent (UTF-8, NUL-terminated; NUL characters a customer
/// name might contain are dropped).
///
/// On success `*out` receives a new string to release with `tactful_string_free`.
///
/// # Safety
/// `a` must be NULL or a live assessment; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_opening(
    a: *const tactful_assessment,
    out: *mut *mut c_char,
) -> tactful_result {
    // SAFETY: forwarded from the caller.
    unsafe { string_out(a, out, |a| a.recommendation.opening.clone()) }
}

/// The whole assessment as compact JSON, the same shape (and bytes) as the Rust library's
/// `Assessment::to_json`: situation, recommendation (tone, steps, avoid, channel tips,
/// rationale) and evidence spans (byte offsets into the text as given).
///
/// On success `*out` receives a new string to release with `tactful_string_free`.
///
/// # Safety
/// `a` must be NULL or a live assessment; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_to_json(
    a: *const tactful_assessment,
    out: *mut *mut c_char,
) -> tactful_result {
    // SAFETY: forwarded from the caller.
    unsafe { string_out(a, out, Assessment::to_json) }
}
