//! What the customer wants (stance) and how they write (style): the model's heads, with the
//! rules' reading when there is no model.

use super::lexicon::Signal;
use super::{argmax32, Reading};
use crate::types::*;

/// Venting, seeking a fix or information, giving feedback, or leaving.
pub(super) fn stance(r: &Reading<'_>) -> Stance {
    let request = r.f.signal(Signal::Request).count as f64 + r.f.questions.min(3) as f64 * 0.5;
    let question = r.f.signal(Signal::Question).count as f64 + r.f.questions.min(3) as f64;
    let venting = r.f.signal(Signal::Venting).count as f64
        + 0.5 * r.f.signal(Signal::Feeling).count as f64
        + if r.f.words > 50 && r.sentiment < -0.3 {
            0.7
        } else {
            0.0
        };
    let praise = r.f.signal(Signal::Praise).count as f64;
    let leaving_signal = r.f.has(Signal::Leaving) && !(praise > 0.0 && r.sentiment > 0.3);
    let leaving_category = !r.abstained
        && r.spec.default_approach == Approach::Retain
        && r.emotion.label != Emotion::Positive;
    let model_stance = r
        .model
        .and_then(|m| m.stance.as_ref())
        .and_then(|h| argmax32(&h.probs))
        .and_then(|i| Stance::ALL.get(i).copied());
    if let Some(st) = model_stance {
        st
    } else if leaving_signal || leaving_category {
        Stance::Leaving
    } else if praise > 0.0 && r.sentiment > 0.25 && !r.negative && !r.sarcasm && request < 1.5 {
        Stance::GivingFeedback
    } else if (venting >= 1.0 && request == 0.0) || (venting >= 2.0 && request <= 1.0) {
        Stance::Venting
    } else if question > 0.0
        && (!r.negative || r.emotion.intensity < 0.4)
        && (r.abstained
            || r.spec.default_approach == Approach::InformConcisely
            // An explicit how-to question ("how do I…?") asked calmly is a request for facts.
            || r.f.questions > 0 && r.f.has(Signal::Question) && !r.negative
            || r.f.questions > 0 && !r.spec.money_at_risk && !r.spec.company_at_fault)
    {
        Stance::SeekingInformation
    } else if r.abstained && request == 0.0 && question == 0.0 && r.negative {
        Stance::Venting
    } else if r.abstained && !r.negative && question == 0.0 && request == 0.0 && praise == 0.0 {
        Stance::SeekingInformation
    } else {
        Stance::SeekingResolution
    }
}

/// Facts or feelings.
pub(super) fn style(r: &Reading<'_>) -> Style {
    let data = r.f.money.count as f64
        + r.f.ids.count as f64
        + r.f.dates.count as f64
        + 0.3 * r.f.numbers.min(6) as f64;
    let experience = r.f.signal(Signal::Feeling).count as f64
        + 0.5 * r.f.signal(Signal::Venting).count as f64
        + 0.4 * r.f.emotion.iter().filter(|&&s| s > 0.0).count() as f64
        + if r.vulnerable { 1.0 } else { 0.0 };
    let model_style = r
        .model
        .and_then(|m| m.style.as_ref())
        .and_then(|h| argmax32(&h.probs))
        .and_then(|i| Style::ALL.get(i).copied());
    if let Some(st) = model_style {
        st
    } else if data >= 2.0 && data >= 1.5 * experience {
        Style::DataDriven
    } else if experience >= 2.0 && experience >= 1.5 * data {
        Style::ExperienceDriven
    } else {
        Style::Balanced
    }
}
