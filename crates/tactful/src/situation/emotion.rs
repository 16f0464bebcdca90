//! The emotion: the model's probabilities (the rule emotion scores are among its inputs),
//! sarcastic praise never read as happiness; the rules' scores alone without a model. The
//! intensity is how strongly the emotion is expressed.

use super::evidence::EvidenceSink;
use super::features::Features;
use super::lexicon::Signal;
use super::model::ModelOutput;
use super::{argmax, renormalized, round4, softmax};
use crate::respond::playbook::CategorySpec;
use crate::types::*;

/// How sharply rule emotion scores turn into probabilities.
const EMOTION_SHARPNESS: f64 = 1.3;

pub(super) fn emotion(
    f: &Features<'_>,
    sarcasm: bool,
    model: Option<&ModelOutput>,
    spec: &CategorySpec,
    abstained: bool,
    ev: &mut EvidenceSink<'_>,
) -> EmotionResult {
    let count = |s: Signal| f.signal(s).count.min(3) as f32;
    let mut r = f.emotion;
    let neg = (-f.compound).max(0.0);
    let pos = f.compound.max(0.0);
    let shouting = f.caps_words >= 3 && f.caps_ratio() >= 0.5;
    let [anger, frustration, anxiety, sadness, confusion, neutral, positive] = &mut r;
    *anger += 1.0 * count(Signal::Profanity).min(2.0)
        + 2.0 * count(Signal::Abuse).min(1.0)
        + if shouting { 1.5 } else { 0.0 }
        + 0.5 * f.exclaim_runs.count.min(2) as f32
        + 0.8
            * (count(Signal::LegalThreat)
                + count(Signal::RegulatorThreat)
                + count(Signal::ChargebackThreat)
                + count(Signal::SocialMediaThreat))
            .min(1.0)
        + 0.4 * count(Signal::SupervisorRequest).min(1.0)
        + 0.6 * count(Signal::ApologyBackfire).min(1.0)
        + 0.8 * f.emoji_neg.count.min(1) as f32 * if f.emoji_valence < -2.5 { 1.0 } else { 0.0 };
    // A problem the company caused, stated flatly, still frustrates.
    let problem = !abstained && (spec.money_at_risk || spec.company_at_fault);
    *frustration += if problem && f.compound < 0.3 {
        0.8
    } else {
        0.0
    } + 0.5 * count(Signal::SupervisorRequest).min(1.0)
        + 0.8 * count(Signal::RepeatContact).min(2.0)
        + 0.8 * count(Signal::Sarcasm).min(1.0)
        + 1.6 * neg
        + 0.6 * count(Signal::Venting).min(2.0)
        + 0.4 * count(Signal::ChurnThreat).min(1.0);
    *anxiety += 0.5 * count(Signal::Urgent).min(2.0)
        + if !abstained && spec.security && f.compound <= 0.2 {
            0.9
        } else {
            0.0
        }
        + 0.5 * count(Signal::Safety).min(1.0);
    *sadness += 1.5 * count(Signal::Vulnerability).min(2.0);
    *confusion += if f.questions >= 2 { 0.6 } else { 0.0 };
    *positive += 2.4 * pos + 0.4 * f.emoji_pos.count.min(2) as f32;
    // A problem stated politely is not happiness.
    if problem && f.signal(Signal::Praise).count == 0 {
        *positive *= 0.4;
    }
    if sarcasm {
        *positive *= 0.2;
    }
    *neutral += 1.3 - 1.2 * (neg + pos);

    let rule: Vec<f64> = r.iter().map(|&x| x as f64).collect();
    let logits: Vec<f64> = match model.and_then(|m| m.emotion.as_ref()) {
        // The rule scores were inputs of the model: its probabilities stand, except that
        // sarcastic praise is never happiness.
        Some(head) if head.probs.len() == 7 => head
            .probs
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                let l = (p as f64).max(1e-6).ln();
                if i == Emotion::Positive.code() as usize && sarcasm {
                    l - 6.0
                } else {
                    l
                }
            })
            .collect(),
        _ => rule.iter().map(|&s| EMOTION_SHARPNESS * s).collect(),
    };
    let probs = softmax(&logits);
    let best = argmax(&probs);
    let label = Emotion::ALL[best];
    let scores = renormalized(Scores::from_pairs(
        Emotion::ALL
            .iter()
            .zip(&probs)
            .map(|(&e, &p)| (e, round4(p)))
            .collect(),
    ));
    let confidence = scores.iter().nth(best).map_or(0.0, |(_, p)| p);

    // Intensity: how strongly the emotion is expressed.
    let cue = f.emotion[best] as f64;
    let mut intensity = 0.55 * (f.compound.abs() as f64)
        + 0.12 * cue.min(3.0)
        + if shouting { 0.25 } else { 0.0 }
        + 0.08 * f.exclaim_runs.count.min(2) as f64
        + 0.04 * f.exclamations.min(3) as f64
        + 0.1 * f.signal(Signal::Profanity).count.min(2) as f64
        + 0.15 * f.signal(Signal::Abuse).count.min(1) as f64
        + 0.05 * f.intensifiers.count.min(3) as f64;
    if label == Emotion::Neutral {
        intensity *= 0.3;
    }
    let intensity = round4(intensity.clamp(0.0, 1.0));
    if let Some((span, _)) = f.emotion_span[best] {
        ev.push(crate::EvidenceSignal::emotion_cue(label), span.0, span.1);
    }
    EmotionResult {
        label,
        confidence,
        intensity,
        scores,
    }
}
