//! `tactful_context`: what the contact center already knows about the customer.

use std::ffi::c_char;

use tactful_core::{Channel, Context, Error, PastFeedback, Relationship};

use crate::error::{fail, fail_with, guard_or, tactful_result};
use crate::ffi::Castable;

/// What the contact center knows about the customer: channel, name, prior contacts, past
/// feedback, relationship, policy conflict, allowed alternatives, largest gesture. Every field
/// is optional; a fresh context has none set.
///
/// Ownership: created by `tactful_context_new` or `tactful_context_from_json`, released with
/// `tactful_context_free`. Thread safety: a context may be read by any number of threads at
/// once (e.g. passed to `tactful_engine_assess` concurrently), but the setters must not run
/// while another thread uses the same context. The engine copies nothing from it that
/// outlives the call, so a context may be freed right after the calls that use it.
#[derive(Debug, Default)]
pub struct tactful_context {
    pub(crate) inner: Context,
}

impl Castable for tactful_context {}

/// A new context with every field unset, or NULL if the library failed internally.
///
/// Ownership: release with `tactful_context_free`.
#[no_mangle]
pub extern "C" fn tactful_context_new() -> *mut tactful_context {
    guard_or(std::ptr::null_mut(), || {
        tactful_context::default().into_ptr()
    })
}

/// Parses a context from JSON, e.g.
/// `{"channel":"chat","customer_name":"Maria","prior_contacts":2,"past_feedback":{"csat":2}}`.
/// Unknown fields are an error (`TACTFUL_RESULT_INVALID_CONTEXT`, the last error names the field).
///
/// `json` is UTF-8 of `len` bytes (need not be NUL-terminated). On success `*out` receives a
/// new context to release with `tactful_context_free`; on failure `*out` is left unchanged.
///
/// # Safety
/// `json` must point to `len` readable bytes; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_from_json(
    json: *const c_char,
    len: usize,
    out: *mut *mut tactful_context,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let json = try_str!(json, len)?;
            let inner = Context::from_json(json).map_err(fail)?;
            out.write(tactful_context { inner }.into_ptr());
            Ok(())
    }
}

/// Releases a context. `tactful_context_free(NULL)` is a no-op.
///
/// # Safety
/// `ctx` must be NULL or a context from this library, not yet freed and not in use.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_free(ctx: *mut tactful_context) {
    free_box!(ctx)
}

/// Applies `change` to the context, keeping the old value if the result does not validate.
fn update(
    ctx: &mut tactful_context,
    change: impl FnOnce(&mut Context) -> Result<(), tactful_result>,
) -> Result<(), tactful_result> {
    let mut next = ctx.inner.clone();
    change(&mut next)?;
    next.validate().map_err(fail)?;
    ctx.inner = next;
    Ok(())
}

fn unknown(what: &'static str, code: u32, all: &[&str]) -> tactful_result {
    fail(Error::UnknownValue {
        what,
        value: code.to_string(),
        expected: all.join(", "),
    })
}

/// Sets the channel: a `TACTFUL_CHANNEL_*` code. An unknown code gives
/// `TACTFUL_RESULT_UNKNOWN_VALUE` and leaves the context unchanged.
///
/// # Safety
/// `ctx` must be a valid context not used by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_channel(
    ctx: *mut tactful_context,
    channel: u32,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            let ch = Channel::from_code(channel).ok_or_else(|| {
                let names: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
                unknown("channel", channel, &names)
            })?;
            c.channel = Some(ch);
            Ok(())
        })
    }
}

/// Sets the customer's name (UTF-8, `len` bytes, at most 128 bytes), used in the opening line.
///
/// # Safety
/// `name` must point to `len` readable bytes; `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_customer_name(
    ctx: *mut tactful_context,
    name: *const c_char,
    len: usize,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            let name = try_str!(name, len)?;
            c.customer_name = Some(name.to_owned());
            Ok(())
        })
    }
}

/// Sets the number of earlier contacts about this same issue (one or more makes this a repeat
/// contact).
///
/// # Safety
/// `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_prior_contacts(
    ctx: *mut tactful_context,
    prior_contacts: u32,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            c.prior_contacts = prior_contacts;
            Ok(())
        })
    }
}

fn small(v: u32, what: &str) -> Result<u8, tactful_result> {
    u8::try_from(v).map_err(|_| {
        fail_with(
            tactful_result::InvalidContext,
            format!("invalid context: past_feedback.{what}: {v} is out of range"),
        )
    })
}

/// Sets the customer's last CSAT score, 1 (very dissatisfied) … 5 (very satisfied). Out of
/// range gives `TACTFUL_RESULT_INVALID_CONTEXT` and leaves the context unchanged.
///
/// # Safety
/// `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_csat(
    ctx: *mut tactful_context,
    csat: u32,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            c.past_feedback = Some(PastFeedback::Csat(small(csat, "csat")?));
            Ok(())
        })
    }
}

/// Sets the customer's last NPS answer, 0 … 10. Out of range gives
/// `TACTFUL_RESULT_INVALID_CONTEXT` and leaves the context unchanged.
///
/// # Safety
/// `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_nps(
    ctx: *mut tactful_context,
    nps: u32,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            c.past_feedback = Some(PastFeedback::Nps(small(nps, "nps")?));
            Ok(())
        })
    }
}

/// Sets the customer's last feedback without a score: positive (`true`) or negative (`false`).
///
/// # Safety
/// `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_feedback_positive(
    ctx: *mut tactful_context,
    positive: bool,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            c.past_feedback = Some(if positive {
                PastFeedback::Positive
            } else {
                PastFeedback::Negative
            });
            Ok(())
        })
    }
}

/// Sets the relationship: a `TACTFUL_RELATIONSHIP_*` code. An unknown code gives
/// `TACTFUL_RESULT_UNKNOWN_VALUE` and leaves the context unchanged.
///
/// # Safety
/// `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_relationship(
    ctx: *mut tactful_context,
    relationship: u32,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            let r = Relationship::from_code(relationship).ok_or_else(|| {
                let names: Vec<&str> = Relationship::ALL.iter().map(|r| r.as_str()).collect();
                unknown("relationship", relationship, &names)
            })?;
            c.relationship = Some(r);
            Ok(())
        })
    }
}

/// Marks whether the request conflicts with policy (e.g. a refund outside the window).
///
/// # Safety
/// `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_policy_conflict(
    ctx: *mut tactful_context,
    conflict: bool,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            c.policy_conflict = conflict;
            Ok(())
        })
    }
}

/// Adds an alternative the agent may offer when policy says no (UTF-8, `len` bytes), e.g.
/// "store credit".
///
/// # Safety
/// `alternative` must point to `len` readable bytes; `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_add_allowed_alternative(
    ctx: *mut tactful_context,
    alternative: *const c_char,
    len: usize,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            let alt = try_str!(alternative, len)?;
            c.allowed_alternatives.push(alt.to_owned());
            Ok(())
        })
    }
}

/// Sets the largest goodwill gesture the agent may offer (UTF-8, `len` bytes), e.g.
/// "10% discount".
///
/// # Safety
/// `gesture` must point to `len` readable bytes; `ctx` as for `tactful_context_set_channel`.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_set_max_gesture(
    ctx: *mut tactful_context,
    gesture: *const c_char,
    len: usize,
) -> tactful_result {
    ffi_boundary! {
        update(try_mut!(ctx)?, |c| {
            let g = try_str!(gesture, len)?;
            c.max_gesture = Some(g.to_owned());
            Ok(())
        })
    }
}
