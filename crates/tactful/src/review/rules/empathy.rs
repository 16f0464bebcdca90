//! Empathy rules: apologies instead of (or before) action, missing acknowledgement,
//! scripted troubleshooting, a cheerful tone to an upset customer and feelings without facts.

use super::{needs_action, Case};
use crate::review::data::Cue;
use crate::review::findings::Builder;
use crate::review::matching::{byte_span, span_of, spans};
use crate::review::signals::Reading;
use crate::review::types::{FindingCode, Span, MAX_SPANS_PER_SIGNAL};
use crate::{Approach, Emotion, Empathy, Style};

/// Findings about how the draft meets the customer's feelings against the approach.
pub(super) fn empathy(b: &mut Builder<'_>, r: &Reading<'_>, c: &Case<'_>) {
    let (doc, m, empathy, own, tf, draft, t, extras) = (
        &r.doc, &r.m, &r.empathy, &r.own, &r.tf, b.draft, c.t, c.extras,
    );
    let acted = r.acted();
    let ack = empathy.emotional_reactions.level > 0
        || empathy.interpretations.level > 0
        || m.has(Cue::Ack);
    let apologies = m.of(Cue::Apology).count();
    let apology_like = |sent: u32| {
        m.list.iter().any(|x| {
            matches!(
                x.cue,
                Cue::Apology | Cue::Er1 | Cue::Er2 | Cue::Ip1 | Cue::Ip2
            ) && doc.tokens.get(x.first).is_some_and(|t| t.sentence == sent)
        })
    };
    let upset = matches!(t.emotion, Emotion::Anger | Emotion::Frustration) && t.intensity >= 0.4
        || t.approach == Approach::Deescalate
        || extras.empathy_backfired;
    if needs_action(t.approach) || extras.empathy_backfired {
        if !acted && (apologies > 0 || ack) {
            b.add_whole(FindingCode::ApologyWithoutAction, "");
            b.suggest("lead_with_action", "");
            b.suggest("add_ownership", "");
        } else if t.approach == Approach::ResolveFirst || extras.empathy_backfired {
            // Sentences of apology before the first sentence that acts.
            let first_act = own
                .iter()
                .map(|&(f, _)| f)
                .chain(m.of(Cue::NextStep).map(|x| x.first))
                .filter_map(|f| doc.tokens.get(f).map(|t| t.sentence))
                .min();
            if let Some(first_act) = first_act {
                let before = (0..first_act).filter(|&s| apology_like(s)).count();
                let limit = if extras.empathy_backfired { 1 } else { 2 };
                if before >= limit {
                    let end = doc
                        .sentences
                        .get(first_act as usize)
                        .map_or(draft.len(), |s| s.0);
                    let text = before.to_string();
                    b.add(FindingCode::ApologyBeforeAction, 0, end, &text);
                    b.suggest("lead_with_action", "");
                }
            }
        }
    }
    let heard_first = matches!(
        t.approach,
        Approach::ListenAndValidate | Approach::Deescalate
    ) || (t.empathy == Empathy::Full && !extras.empathy_backfired);
    if !ack && heard_first {
        b.add_whole(FindingCode::NoAcknowledgement, "");
        b.suggest("acknowledge_first", "");
        b.suggest("add_empathy", "");
    } else if !ack
        && !extras.empathy_backfired
        && matches!(
            t.approach,
            Approach::EmpathizeThenResolve | Approach::Retain
        )
    {
        b.add_whole(FindingCode::TooLittleEmpathy, "");
        b.suggest("add_empathy", "");
    }
    // Scripted troubleshooting: an upset customer is asked to try things before anything
    // acknowledges how they feel. The agent's own action ("I'm resetting your line") is not it.
    let hurting = upset
        || matches!(
            t.approach,
            Approach::ListenAndValidate
                | Approach::Deescalate
                | Approach::EmpathizeThenResolve
                | Approach::Retain
        )
        || matches!(
            t.emotion,
            Emotion::Anger | Emotion::Frustration | Emotion::Anxiety | Emotion::Sadness
        ) && t.intensity >= 0.3;
    // Praise or thanks reports nothing broken: any checklist misses what they said.
    let nothing_broken = t.approach == Approach::Appreciate;
    if hurting || nothing_broken {
        if let Some(tr) = m
            .of(Cue::Troubleshooting)
            .find(|x| !r.agent_acts_before(x.first))
        {
            let acknowledged_before = !nothing_broken
                && m.list.iter().any(|x| {
                    x.first < tr.first
                        && matches!(
                            x.cue,
                            Cue::Ack | Cue::Apology | Cue::Er1 | Cue::Er2 | Cue::Ip1 | Cue::Ip2
                        )
                });
            if !acknowledged_before {
                if let Some(sp) = span_of(doc, tr.first, tr.last) {
                    b.add(
                        FindingCode::ScriptedTroubleshooting,
                        sp.start,
                        sp.end,
                        &sp.text,
                    );
                    b.suggest("acknowledge_first", "");
                }
            }
        }
    }
    if upset {
        let mut cheer: Vec<Span> = spans(doc, m.of(Cue::Cheerful).map(|x| (x.first, x.last)), 2);
        for (i, c) in draft.char_indices() {
            if matches!(
                c,
                '\u{1F600}'..='\u{1F60D}' | '\u{1F642}' | '\u{1F44D}' | '\u{1F389}' | '\u{263A}'
            ) {
                if let Some(s) = byte_span(draft, i, i + c.len_utf8()) {
                    cheer.push(s);
                }
                if cheer.len() >= MAX_SPANS_PER_SIGNAL {
                    break;
                }
            }
        }
        if let Some(s) = cheer.first() {
            b.add(FindingCode::CheerfulToAngry, s.start, s.end, &s.text);
            b.suggest("calm_tone", &s.text);
        }
    }
    let has_facts = doc.tokens.iter().any(|t| t.has_digit)
        || m.has(Cue::Fact)
        || !tf.is_empty()
        || !own.is_empty();
    if t.style == Style::DataDriven
        && !has_facts
        && empathy.emotional_reactions.level + empathy.interpretations.level >= 1
    {
        b.add_whole(FindingCode::FeelingsWithoutFacts, "");
        b.suggest("add_facts", "");
    }
}
