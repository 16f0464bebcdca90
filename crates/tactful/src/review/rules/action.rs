//! Action rules: ownership, a next step and a time frame where the approach calls for
//! action. Weak ownership costs part of the action score without a finding.

use super::{needs_action, Case};
use crate::review::data::Cue;
use crate::review::findings::Builder;
use crate::review::signals::Reading;
use crate::review::types::FindingCode;
use crate::{Approach, Stance};

/// Action findings; returns the action score lost without a finding.
pub(super) fn action(b: &mut Builder<'_>, r: &Reading<'_>, c: &Case<'_>) -> u32 {
    let (m, own, tf, t) = (&r.m, &r.own, &r.tf, c.t);
    let personal_ownership = r.personal_ownership;
    let acted = r.acted();
    let mut action_bonus_lost = 0u32;
    if needs_action(t.approach)
        || t.stance == Stance::SeekingResolution && t.approach != Approach::ListenAndValidate
    {
        let strict = matches!(
            t.approach,
            Approach::ResolveFirst | Approach::Deescalate | Approach::Retain
        );
        if own.is_empty() {
            if strict || !m.has(Cue::NextStep) {
                b.add_whole(FindingCode::NoOwnership, "");
                b.suggest("add_ownership", "");
            } else {
                // Instructions without a commitment: the customer does the work.
                action_bonus_lost += 15;
            }
        } else if !personal_ownership {
            // "We will" is weaker than "I will".
            action_bonus_lost += 10;
        }
        if !acted {
            b.add_whole(FindingCode::NoNextStep, "");
            b.suggest("add_next_step", "");
        } else if tf.is_empty() && needs_action(t.approach) {
            b.add_whole(FindingCode::NoTimeFrame, "");
            b.suggest("add_time_frame", "");
        }
    }
    action_bonus_lost
}
