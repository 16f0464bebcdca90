//! `tactful_assessment`: the result of one assess, read through accessors or as JSON.

use std::ffi::{c_char, CString};

use tactful_core::{Assessment, Emotion, Flag};

use crate::error::{owned_c_string, tactful_result};
use crate::ffi::Castable;
use crate::vocab::{
    tactful_approach, tactful_emotion, tactful_empathy, tactful_flag, tactful_stance,
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

impl Castable for tactful_assessment {}

impl tactful_assessment {
    pub(crate) fn new(inner: Assessment) -> tactful_assessment {
        let category = crate::error::c_string(&inner.situation.category.label);
        tactful_assessment { inner, category }
    }

    pub(crate) fn boxed(inner: Assessment) -> *mut tactful_assessment {
        tactful_assessment::new(inner).into_ptr()
    }
}

/// Releases an assessment. `tactful_assessment_free(NULL)` is a no-op.
///
/// # Safety
/// `a` must be NULL or an assessment from this library, not yet freed and not being read.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_free(a: *mut tactful_assessment) {
    free_box!(a)
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
    read_or!(a, std::ptr::null(), |a| a.category.as_ptr())
}

/// Probability of the chosen category, 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_category_confidence(
    a: *const tactful_assessment,
) -> f64 {
    read_or!(a, f64::NAN, |a| a.inner.situation.category.confidence)
}

/// The dominant emotion (`TACTFUL_EMOTION_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_emotion(
    a: *const tactful_assessment,
) -> tactful_emotion {
    read_or!(a, tactful_emotion::Unknown, |a| {
        a.inner.situation.emotion.label.into()
    })
}

/// Probability of the dominant emotion, 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_emotion_confidence(
    a: *const tactful_assessment,
) -> f64 {
    read_or!(a, f64::NAN, |a| a.inner.situation.emotion.confidence)
}

/// How strongly the emotion is expressed, 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_emotion_intensity(a: *const tactful_assessment) -> f64 {
    read_or!(a, f64::NAN, |a| a.inner.situation.emotion.intensity)
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
    read_or!(a, f64::NAN, |a| {
        match Emotion::from_code(emotion) {
            Some(e) => a.inner.situation.emotion.scores.of(e),
            None => f64::NAN,
        }
    })
}

/// Overall valence, −1 (very negative) … 1 (very positive) (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_sentiment(a: *const tactful_assessment) -> f64 {
    read_or!(a, f64::NAN, |a| a.inner.situation.sentiment)
}

/// How fast this needs action (`TACTFUL_URGENCY_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_urgency(
    a: *const tactful_assessment,
) -> tactful_urgency {
    read_or!(a, tactful_urgency::Unknown, |a| a
        .inner
        .situation
        .urgency
        .into())
}

/// What the customer wants (`TACTFUL_STANCE_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_stance(a: *const tactful_assessment) -> tactful_stance {
    read_or!(a, tactful_stance::Unknown, |a| a
        .inner
        .situation
        .stance
        .into())
}

/// How the customer communicates (`TACTFUL_STYLE_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_style(a: *const tactful_assessment) -> tactful_style {
    read_or!(a, tactful_style::Unknown, |a| a
        .inner
        .situation
        .style
        .into())
}

/// Likelihood the contact escalates (supervisor, complaint, threat), 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_escalation_risk(a: *const tactful_assessment) -> f64 {
    read_or!(a, f64::NAN, |a| a.inner.situation.escalation_risk)
}

/// Likelihood the customer leaves, 0..1 (NaN for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_churn_risk(a: *const tactful_assessment) -> f64 {
    read_or!(a, f64::NAN, |a| a.inner.situation.churn_risk)
}

/// The number of flags set (0 for NULL); read them with `tactful_assessment_flag_at`.
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_flag_count(a: *const tactful_assessment) -> usize {
    read_or!(a, 0, |a| a.inner.situation.flags.len())
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
    read_or!(a, tactful_flag::Unknown, |a| {
        a.inner
            .situation
            .flags
            .get(index)
            .map_or(tactful_flag::Unknown, |&f| f.into())
    })
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
    read_or!(a, false, |a| {
        Flag::from_code(flag).is_some_and(|f| a.inner.situation.has(f))
    })
}

/// What the agent should lead with (`TACTFUL_APPROACH_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_approach(
    a: *const tactful_assessment,
) -> tactful_approach {
    read_or!(a, tactful_approach::Unknown, |a| {
        a.inner.recommendation.approach.into()
    })
}

/// How much empathy goes up front (`TACTFUL_EMPATHY_UNKNOWN` for NULL).
///
/// # Safety
/// `a` must be NULL or a live assessment.
#[no_mangle]
pub unsafe extern "C" fn tactful_assessment_empathy(
    a: *const tactful_assessment,
) -> tactful_empathy {
    read_or!(a, tactful_empathy::Unknown, |a| {
        a.inner.recommendation.empathy.into()
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
    ffi_boundary! {
        let out = try_out!(out)?;
        let a = try_ref!(a, "assessment")?;
        out.write(owned_c_string(&a.inner.recommendation.opening));
        Ok(())
    }
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
    ffi_boundary! {
        let out = try_out!(out)?;
        let a = try_ref!(a, "assessment")?;
        out.write(owned_c_string(&a.inner.to_json()));
        Ok(())
    }
}
