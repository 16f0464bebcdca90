//! Request rules: asking again for what the customer gave, asking for credentials, and
//! asking for private data on a public channel.

use super::Case;
use crate::review::data::Cue;
use crate::review::findings::Builder;
use crate::review::matching::span_of;
use crate::review::signals::Reading;
use crate::review::types::FindingCode;

/// Findings about what the draft asks of the customer.
pub(super) fn requests(b: &mut Builder<'_>, r: &Reading<'_>, c: &Case<'_>) {
    let (doc, m, t, ctx) = (&r.doc, &r.m, c.t, c.ctx);
    for (cue, gave) in [
        (Cue::AsksReference, t.gave.reference),
        (Cue::AsksAmount, t.gave.amount),
        (Cue::AsksDate, t.gave.date),
    ] {
        if !gave {
            continue;
        }
        if let Some(s) = m
            .of(cue)
            .find(|x| r.request_sentence(x.first) && !r.agent_acts_before(x.first))
        {
            if let Some(sp) = span_of(doc, s.first, s.last) {
                b.add(FindingCode::AsksAgain, sp.start, sp.end, &sp.text);
                b.suggest("use_given", &sp.text);
            }
        }
    }
    for s in m.of(Cue::Credentials) {
        if r.request_sentence(s.first) {
            if let Some(sp) = span_of(doc, s.first, s.last) {
                b.add(FindingCode::AsksForCredentials, sp.start, sp.end, &sp.text);
                b.suggest("no_credentials", &sp.text);
            }
        }
    }
    if ctx.channel == Some(crate::Channel::Social) && !m.has(Cue::PrivateChannel) {
        for s in m.of(Cue::Private) {
            if r.request_sentence(s.first) {
                if let Some(sp) = span_of(doc, s.first, s.last) {
                    b.add(FindingCode::PrivateDataInPublic, sp.start, sp.end, &sp.text);
                    b.suggest("go_private", &sp.text);
                }
            }
        }
    }
}
