//! Fit rules: what the context and the conversation ask for: alternatives under a policy
//! conflict, the number of apologies for the approach, a supervisor request and a long wait.

use super::Case;
use crate::review::data::Cue;
use crate::review::findings::Builder;
use crate::review::signals::Reading;
use crate::review::types::FindingCode;
use crate::{Approach, Emotion, Flag};

/// Findings about what the context and the conversation call for.
pub(super) fn fit(b: &mut Builder<'_>, r: &Reading<'_>, c: &Case<'_>) {
    let (m, t, ctx, extras) = (&r.m, c.t, c.ctx, c.extras);
    let has_alternative = !r.alt.is_empty();
    let apologies = m.of(Cue::Apology).count();
    if ctx.policy_conflict {
        let ok = if ctx.allowed_alternatives.is_empty() && ctx.max_gesture.is_none() {
            has_alternative
        } else {
            r.allowed_named
        };
        if !ok {
            let x = if b.vars.alternatives.is_empty() {
                "none named".to_string()
            } else {
                b.vars.alternatives.clone()
            };
            b.add_whole(FindingCode::PolicyWithoutAlternatives, &x);
            if b.vars.alternatives.is_empty() {
                b.suggest("add_alternative", "");
            } else {
                b.suggest("offer_alternatives", "");
            }
        }
    }
    // A calm question has nothing to apologize for (two apologies are too many, and one is
    // when the reply also names feelings the customer never showed: "so sorry you're having
    // trouble, we understand how frustrating this is" to a plain question), and a thank-you
    // needs no apology at all.
    let calm = matches!(t.emotion, Emotion::Neutral | Emotion::Positive) || t.intensity < 0.3;
    let feelings_named = m.has(Cue::Ip2) || m.has(Cue::Er2);
    let too_many = match t.approach {
        Approach::Appreciate => 1,
        Approach::InformConcisely if calm && feelings_named => 1,
        Approach::InformConcisely => 2,
        _ if extras.empathy_backfired => 2,
        _ => 3,
    };
    if apologies >= too_many {
        b.add_whole(FindingCode::OverApologizing, &apologies.to_string());
        b.suggest("one_apology", "");
    }
    let supervisor_asked =
        extras.supervisor_requested || t.flags.contains(&Flag::SupervisorRequested);
    if supervisor_asked && !m.has(Cue::Supervisor) {
        b.add_whole(FindingCode::IgnoresSupervisorRequest, "");
        b.suggest("address_supervisor", "");
    }
    if let Some(w) = extras.long_wait {
        if !m.has(Cue::WaitAck) {
            b.add_whole(FindingCode::NoWaitAcknowledgement, &human_seconds(w));
            b.suggest("thank_for_waiting", "");
        }
    }
}

pub(crate) fn human_seconds(s: u64) -> String {
    if s < 120 {
        format!("{s} seconds")
    } else if s < 2 * 3600 {
        format!("{} minutes", s / 60)
    } else if s < 2 * 86400 {
        format!("{} hours", s / 3600)
    } else {
        format!("{} days", s / 86400)
    }
}
