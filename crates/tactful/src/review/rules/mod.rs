//! The review's rules, one file per concern. Each reads the [`Reading`] of the draft and adds
//! findings and suggestions to the [`Builder`]; [`apply`] runs them in a fixed order, because
//! suggestions of equal severity keep the order they were made in.

mod action;
mod clarity;
mod empathy;
pub(super) mod fit;
mod personal;
mod requests;
mod tone;

use super::findings::Builder;
use super::signals::Reading;
use super::target::{Extras, Target};
use crate::{Approach, Context, Playbook};

/// What the draft is judged against, in one place for the rules.
pub(super) struct Case<'a> {
    pub(super) t: &'a Target<'a>,
    pub(super) ctx: &'a Context,
    pub(super) extras: &'a Extras<'a>,
    pub(super) pb: &'a Playbook,
}

fn needs_action(a: Approach) -> bool {
    matches!(
        a,
        Approach::ResolveFirst
            | Approach::EmpathizeThenResolve
            | Approach::Deescalate
            | Approach::Retain
    )
}

/// Every rule in order; returns the action score lost without a finding (see [`action`]).
pub(super) fn apply(b: &mut Builder<'_>, r: &Reading<'_>, c: &Case<'_>) -> u32 {
    tone::tone(b, r, c);
    requests::requests(b, r, c);
    clarity::clarity(b, r, c);
    personal::personal(b, r, c);
    empathy::empathy(b, r, c);
    fit::fit(b, r, c);
    action::action(b, r, c)
}
