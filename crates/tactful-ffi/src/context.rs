//! `tactful_context`: what the contact center already knows about the customer.

use std::ffi::c_char;

use tactful_core::{Channel, Context, Error, PastFeedback, Relationship};

use crate::error::{
    arg_mut, code, fail, fail_with, guard, guard_or, out_arg, str_arg, tactful_result, write_out,
};
use crate::vocab::by_code;

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

/// A new context with every field unset, or NULL if the library failed internally.
///
/// Ownership: release with `tactful_context_free`.
#[no_mangle]
pub extern "C" fn tactful_context_new() -> *mut tactful_context {
    guard_or(std::ptr::null_mut(), || {
        Box::into_raw(Box::<tactful_context>::default())
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
    guard(|| {
        code((|| {
            let out = out_arg(out, "out")?;
            // SAFETY: forwarded from the caller.
            let json = unsafe { str_arg(json, len, "json") }?;
            let inner = Context::from_json(json).map_err(fail)?;
            let ctx = Box::into_raw(Box::new(tactful_context { inner }));
            // SAFETY: `out` is non-NULL and writable.
            unsafe { write_out(out, ctx) };
            Ok(())
        })())
    })
}

/// Releases a context. `tactful_context_free(NULL)` is a no-op.
///
/// # Safety
/// `ctx` must be NULL or a context from this library, not yet freed and not in use.
#[no_mangle]
pub unsafe extern "C" fn tactful_context_free(ctx: *mut tactful_context) {
    if ctx.is_null() {
        return;
    }
    guard_or((), || {
        // SAFETY: `ctx` came from `Box::into_raw` in this library (caller's promise).
        drop(unsafe { Box::from_raw(ctx) });
    })
}

/// Applies `change` to the context, keeping the old value if the result does not validate.
///
/// # Safety
/// `ctx` must be NULL or a valid, unaliased context.
unsafe fn update(
    ctx: *mut tactful_context,
    change: impl FnOnce(&mut Context) -> Result<(), tactful_result>,
) -> tactful_result {
    guard(|| {
        code((|| {
            // SAFETY: forwarded from the caller.
            let ctx = unsafe { arg_mut(ctx, "ctx") }?;
            let mut next = ctx.inner.clone();
            change(&mut next)?;
            next.validate().map_err(fail)?;
            ctx.inner = next;
            Ok(())
        })())
    })
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
            let ch = by_code(Channel::ALL, channel, Channel::code).ok_or_else(|| {
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
            let name = str_arg(name, len, "name")?;
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
            c.relationship = Some(match relationship {
                0 => Relationship::New,
                1 => Relationship::Established,
                2 => Relationship::HighValue,
                other => {
                    return Err(unknown(
                        "relationship",
                        other,
                        &["new", "established", "high_value"],
                    ))
                }
            });
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
            let alt = str_arg(alternative, len, "alternative")?;
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
    // SAFETY: forwarded from the caller.
    unsafe {
        update(ctx, |c| {
            let g = str_arg(gesture, len, "gesture")?;
            c.max_gesture = Some(g.to_owned());
            Ok(())
        })
    }
}
