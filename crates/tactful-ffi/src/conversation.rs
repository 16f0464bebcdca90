//! `tactful_conversation`: follows a conversation turn by turn and adapts the recommendation.

use std::ffi::c_char;

use tactful_core::{Context, Conversation, TurnView};

use crate::assessment::tactful_assessment;
use crate::context::tactful_context;
use crate::engine::tactful_engine;
use crate::error::{fail, guard_or, owned_c_string, tactful_result};
use crate::ffi::{Castable, Out};
use crate::review::tactful_review;
use crate::vocab::tactful_approach;

/// One conversation followed turn by turn: each customer turn is assessed with the history in
/// mind (heat, repetition, empathy that backfired, supervisor requests, waiting time) and the
/// recommendation adapts; each agent turn is reviewed against it. Memory is bounded.
///
/// Ownership: created by `tactful_conversation_new`, released with `tactful_conversation_free`.
/// It keeps its own reference to the engine, so the engine handle may be freed first.
/// Thread safety: not thread-safe; push turns from one thread at a time (it may move between
/// threads). Different conversations may be used on different threads at once.
#[derive(Debug)]
pub struct tactful_conversation {
    inner: Conversation,
}

impl Castable for tactful_conversation {}

/// The result of pushing one turn: for a customer turn its assessment, for an agent turn its
/// review, and the conversation state after it.
///
/// Ownership: returned by `tactful_conversation_push_*`, released with `tactful_turn_free`; it
/// does not borrow from the conversation. The assessment and review it lends are valid until
/// the turn is freed. Thread safety: immutable.
#[derive(Debug)]
pub struct tactful_turn {
    /// The view with its assessment and review moved into the C wrappers below.
    view: TurnView,
    assessment: Option<tactful_assessment>,
    review: Option<tactful_review>,
}

impl Castable for tactful_turn {}

impl tactful_turn {
    fn new(mut view: TurnView) -> tactful_turn {
        let assessment = view.assessment.take().map(tactful_assessment::new);
        let review = view.review.take().map(tactful_review::new);
        tactful_turn {
            view,
            assessment,
            review,
        }
    }

    fn to_json(&self) -> String {
        let mut whole = self.view.clone();
        whole.assessment = self.assessment.as_ref().map(|a| a.inner.clone());
        whole.review = self.review.as_ref().map(|r| r.inner.clone());
        whole.to_json()
    }
}

/// Starts a conversation with this engine and what is known about the customer (`ctx` may be
/// NULL; it is copied). On success `*out` receives a new conversation to release with
/// `tactful_conversation_free`.
///
/// # Safety
/// `engine` and `ctx` must be NULL or live objects; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_new(
    engine: *const tactful_engine,
    ctx: *const tactful_context,
    out: *mut *mut tactful_conversation,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let engine = try_ref!(engine)?;
            let ctx = opt_ref!(ctx).map_or_else(Context::default, |c| c.inner.clone());
            ctx.validate().map_err(fail)?;
            let c = tactful_conversation {
                inner: Conversation::new(engine.inner.clone(), ctx),
            };
            out.write(c.into_ptr());
            Ok(())
    }
}

/// Releases a conversation. `tactful_conversation_free(NULL)` is a no-op.
///
/// # Safety
/// `c` must be NULL or a conversation from this library, not yet freed and not in use.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_free(c: *mut tactful_conversation) {
    free_box!(c)
}

enum Who {
    Customer,
    Agent,
}

/// Pushes one turn and hands it out through `out` when one was given.
fn push(
    c: &mut tactful_conversation,
    who: Who,
    text: &str,
    timestamp: i64,
    out: Option<Out<'_, *mut tactful_turn>>,
) -> Result<(), tactful_result> {
    let ts = u64::try_from(timestamp).ok();
    let view = match who {
        Who::Customer => c.inner.push_customer(text, ts),
        Who::Agent => c.inner.push_agent(text, ts),
    }
    .map_err(fail)?;
    if let Some(out) = out {
        out.write(tactful_turn::new(view).into_ptr());
    }
    Ok(())
}

/// Pushes what the customer wrote or said (UTF-8, `len` bytes). `timestamp` is in seconds (any
/// epoch, never decreasing), or negative when unknown. A failed push changes nothing; a
/// timestamp earlier than the previous turn's gives `TACTFUL_RESULT_INVALID_TURN`.
///
/// On success `*out` receives the turn (its assessment and the state), to release with
/// `tactful_turn_free`; pass `out = NULL` to discard it.
///
/// # Safety
/// `c` must be a live conversation not used by another thread during the call; `text` must
/// point to `len` readable bytes; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_push_customer(
    c: *mut tactful_conversation,
    text: *const c_char,
    len: usize,
    timestamp: i64,
    out: *mut *mut tactful_turn,
) -> tactful_result {
    ffi_boundary! {
        let c = try_mut!(c, "conversation")?;
        let text = try_str!(text, len)?;
        push(c, Who::Customer, text, timestamp, crate::ffi::opt_out(out))
    }
}

/// Pushes what the agent sent (UTF-8, `len` bytes); it is reviewed against the adapted
/// recommendation and the lines already sent. Otherwise as `tactful_conversation_push_customer`
/// (the turn lends a review instead of an assessment).
///
/// # Safety
/// As `tactful_conversation_push_customer`.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_push_agent(
    c: *mut tactful_conversation,
    text: *const c_char,
    len: usize,
    timestamp: i64,
    out: *mut *mut tactful_turn,
) -> tactful_result {
    ffi_boundary! {
        let c = try_mut!(c, "conversation")?;
        let text = try_str!(text, len)?;
        push(c, Who::Agent, text, timestamp, crate::ffi::opt_out(out))
    }
}

/// Turns pushed so far (0 for NULL).
///
/// # Safety
/// `c` must be NULL or a live conversation.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_turn_count(c: *const tactful_conversation) -> usize {
    read_or!(c, 0, |c| c.inner.state().turns)
}

/// Heat of the last customer turn, 0 (calm) … 1 (furious) (NaN for NULL).
///
/// # Safety
/// `c` must be NULL or a live conversation.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_heat(c: *const tactful_conversation) -> f64 {
    read_or!(c, f64::NAN, |c| c.inner.state().heat)
}

/// Did the last agent turn's empathy land? 1 yes (the customer calmed down), 0 no (angrier, or
/// "stop apologizing"), -1 unknown (no empathy shown, no answer yet, no clear change, or NULL).
///
/// # Safety
/// `c` must be NULL or a live conversation.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_empathy_landed(
    c: *const tactful_conversation,
) -> i32 {
    read_or!(c, -1, |c| c
        .inner
        .state()
        .empathy_landed
        .map_or(-1, i32::from))
}

/// True when empathy backfired and the conversation is in action mode (false for NULL).
///
/// # Safety
/// `c` must be NULL or a live conversation.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_action_mode(c: *const tactful_conversation) -> bool {
    read_or!(c, false, |c| c.inner.state().action_mode)
}

/// True when the agent should offer a supervisor or a human now (false for NULL).
///
/// # Safety
/// `c` must be NULL or a live conversation.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_offer_supervisor(
    c: *const tactful_conversation,
) -> bool {
    read_or!(c, false, |c| c.inner.state().escalation.offer_supervisor)
}

/// Times the customer restated the same issue (0 for NULL).
///
/// # Safety
/// `c` must be NULL or a live conversation.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_repetitions(c: *const tactful_conversation) -> u32 {
    read_or!(c, 0, |c| c.inner.state().repetitions)
}

/// The approach of the current, adapted recommendation (`TACTFUL_APPROACH_UNKNOWN` before the
/// first customer turn or for NULL).
///
/// # Safety
/// `c` must be NULL or a live conversation.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_approach(
    c: *const tactful_conversation,
) -> tactful_approach {
    read_or!(c, tactful_approach::Unknown, |c| {
        c.inner
            .state()
            .recommendation
            .as_ref()
            .map_or(tactful_approach::Unknown, |r| r.approach.into())
    })
}

/// The conversation state as compact JSON (turn counts, trajectories, heat, empathy landed,
/// action mode, repetitions, waiting times, escalation, the adapted recommendation and what
/// changed it), the serde shape of the Rust `ConversationState`.
///
/// On success `*out` receives a new string to release with `tactful_string_free`.
///
/// # Safety
/// `c` must be NULL or a live conversation; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_conversation_state_to_json(
    c: *const tactful_conversation,
    out: *mut *mut c_char,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let c = try_ref!(c, "conversation")?;
            out.write(owned_c_string(&c.inner.state().to_json()));
            Ok(())
    }
}

/// Releases a turn (and the assessment or review it lends). `tactful_turn_free(NULL)` is a
/// no-op.
///
/// # Safety
/// `t` must be NULL or a turn from this library, not yet freed and not being read.
#[no_mangle]
pub unsafe extern "C" fn tactful_turn_free(t: *mut tactful_turn) {
    free_box!(t)
}

/// 0-based index of the turn in its conversation (0 for NULL).
///
/// # Safety
/// `t` must be NULL or a live turn.
#[no_mangle]
pub unsafe extern "C" fn tactful_turn_index(t: *const tactful_turn) -> usize {
    read_or!(t, 0, |t| t.view.index)
}

/// A customer turn's assessment, borrowed from the turn (valid until `tactful_turn_free`; never
/// free it yourself); NULL for an agent turn or NULL. Read it with the `tactful_assessment_*`
/// accessors.
///
/// # Safety
/// `t` must be NULL or a live turn.
#[no_mangle]
pub unsafe extern "C" fn tactful_turn_assessment(
    t: *const tactful_turn,
) -> *const tactful_assessment {
    guard_or(std::ptr::null(), || {
        match opt_ref!(t).and_then(|t| t.assessment.as_ref()) {
            Some(a) => a,
            None => std::ptr::null(),
        }
    })
}

/// An agent turn's review, borrowed from the turn (valid until `tactful_turn_free`; never free
/// it yourself); NULL for a customer turn or NULL. Read it with the `tactful_review_*`
/// accessors.
///
/// # Safety
/// `t` must be NULL or a live turn.
#[no_mangle]
pub unsafe extern "C" fn tactful_turn_review(t: *const tactful_turn) -> *const tactful_review {
    guard_or(std::ptr::null(), || {
        match opt_ref!(t).and_then(|t| t.review.as_ref()) {
            Some(r) => r,
            None => std::ptr::null(),
        }
    })
}

/// The whole turn as compact JSON (index, speaker, timestamp, assessment or review, signals,
/// waiting time and the state after it), the serde shape of the Rust `TurnView`.
///
/// On success `*out` receives a new string to release with `tactful_string_free`.
///
/// # Safety
/// `t` must be NULL or a live turn; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_turn_to_json(
    t: *const tactful_turn,
    out: *mut *mut c_char,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let t = try_ref!(t, "turn")?;
            out.write(owned_c_string(&t.to_json()));
            Ok(())
    }
}
