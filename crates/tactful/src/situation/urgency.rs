//! Urgency: the model's head; without a model, the category's default raised by what is at
//! stake now. A safety cue is never read as routine.

use super::lexicon::Signal;
use super::{argmax32, Reading};
use crate::types::*;

pub(super) fn urgency(r: &Reading<'_>, stance: Stance) -> Urgency {
    let base = if r.abstained {
        Urgency::Normal
    } else {
        r.spec.default_urgency
    };
    let mut raise = 0i32;
    if r.repeat {
        raise += 1;
    }
    if r.f.has(Signal::Urgent) && (r.negative || !r.abstained) {
        raise += 1;
    }
    if r.negative && r.emotion.intensity >= 0.7 {
        raise += 1;
    }
    if r.vulnerable || r.f.has(Signal::Safety) {
        raise += 1;
    }
    if r.f.has(Signal::LegalThreat)
        || r.f.has(Signal::RegulatorThreat)
        || r.f.has(Signal::ChargebackThreat)
    {
        raise += 1;
    }
    if !r.abstained && r.spec.company_at_fault && r.f.max_amount >= r.expensive_amount {
        raise += 1;
    }
    let mut code = base.code() as i32 - raise.min(2);
    if r.emotion.label == Emotion::Positive && stance == Stance::GivingFeedback {
        code = code.max(Urgency::Low.code() as i32);
    }
    if r.f.has(Signal::Safety) {
        code = code.min(Urgency::High.code() as i32);
    }
    // Critical is kept for money, security or safety at stake now.
    let at_stake = !r.abstained && (r.spec.money_at_risk || r.spec.security || r.spec.safety)
        || r.f.has(Signal::Safety);
    if !at_stake && base != Urgency::Critical {
        code = code.max(Urgency::High.code() as i32);
    }
    let model_urgency = r
        .model
        .and_then(|m| m.urgency.as_ref())
        .and_then(|h| argmax32(&h.probs))
        .and_then(|i| Urgency::ALL.get(i).copied());
    // Someone asking for a security problem to be dealt with (a hacked account, a card used
    // by someone else) is never routine either: the statistics read a calm telling as normal.
    let security_ask = !r.abstained && r.spec.security && stance == Stance::SeekingResolution;
    match model_urgency {
        // A safety cue is never read as routine, whatever the statistics say.
        Some(u) if r.f.has(Signal::Safety) || security_ask => {
            Urgency::ALL[u.code().min(Urgency::High.code()) as usize]
        }
        Some(u) => u,
        None => Urgency::ALL[code.clamp(0, 3) as usize],
    }
}
