//! Escalation and churn risk: logistic scores of anger, threats, repeat contact, shouting,
//! history and sentiment.

use super::lexicon::Signal;
use super::{round4, sigmoid, Reading};
use crate::types::*;

/// `(escalation_risk, churn_risk)`, each in 0..1.
pub(super) fn risks(r: &Reading<'_>, stance: Stance) -> (f64, f64) {
    let threat = |s: Signal, w: f64| if r.f.has(s) { w } else { 0.0 };
    let anger = r.emotion.scores.get("anger");
    let frustration = r.emotion.scores.get("frustration");
    let esc_logit = -2.6
        + 2.2 * anger * r.emotion.intensity
        + 1.0 * frustration * r.emotion.intensity
        + threat(Signal::LegalThreat, 2.8)
        + threat(Signal::RegulatorThreat, 2.5)
        + threat(Signal::SocialMediaThreat, 1.5)
        + threat(Signal::ChargebackThreat, 1.8)
        + threat(Signal::Abuse, 1.3)
        + threat(Signal::Profanity, 0.6)
        // Asking for a supervisor is an escalation in itself, however politely put.
        + threat(Signal::SupervisorRequest, 1.8)
        + threat(Signal::ApologyBackfire, 0.6)
        + if r.repeat {
            0.7 + 0.25 * r.ctx.prior_contacts.min(4) as f64
        } else {
            0.0
        }
        + if r.shouting { 0.6 } else { 0.0 }
        + if r.negative_history { 0.4 } else { 0.0 }
        + if r.sarcasm { 0.3 } else { 0.0 }
        - if r.emotion.label == Emotion::Positive {
            1.0
        } else {
            0.0
        };
    let churn_logit = -2.8
        + threat(Signal::ChurnThreat, 1.3)
        + threat(Signal::Leaving, 1.4)
        + if stance == Stance::Leaving { 0.8 } else { 0.0 }
        + if r.repeat {
            0.5 + 0.2 * r.ctx.prior_contacts.min(4) as f64
        } else {
            0.0
        }
        + if r.negative {
            1.2 * r.emotion.intensity
        } else {
            0.0
        }
        + if r.negative_history { 0.8 } else { 0.0 }
        - 1.2 * r.sentiment.max(0.0)
        + 0.6 * (-r.sentiment).max(0.0);
    (round4(sigmoid(esc_logit)), round4(sigmoid(churn_logit)))
}
