//! The situation reader: features → category, emotion, sentiment, urgency, stance, style,
//! risks and flags, each with evidence.
//!
//! - `lexicon`: the cue lexicons and VADER valence (compiled once, shared);
//! - `features`: the one pass over the text (valence, cues, money, ids, dates, shapes) and
//!   the rule features the model reads;
//! - `model`: the trained heads (format, predict);
//! - `category`, `emotion`, `evidence`: the decisions and the spans that back them;
//! - [`classify`] here: flags, stance, style, urgency and risks, from those.
//!
//! Rules and the trained models meet here, at one seam: [`crate::situation::model::ModelSet::predict`].
//! Without models (rules only) the playbook's cue phrases decide the category; with models the
//! model's probabilities lead, nudged by the cues, and a playbook `hard_cue` (a stolen card)
//! always wins. Either way weak evidence abstains to `other`.

use std::sync::Arc;

use crate::resources::Inner;
mod category;
mod emotion;
mod evidence;
pub(crate) mod features;
pub(crate) mod lexicon;
pub mod model;

use crate::types::*;
use crate::Context;
use category::category;
use emotion::emotion;
use evidence::EvidenceSink;
use features::Features;
use lexicon::Signal;

pub(crate) fn classify(inner: &Inner, text: &str, ctx: &Context) -> Classification {
    let pb = &inner.playbook;
    let n_cat = pb.categories.len();
    let lex = match lexicon::lexicon() {
        Ok(l) => l,
        // The embedded lexicon is checked by the test suite; without it, abstain honestly.
        Err(_) => return abstain_everything(inner),
    };
    let f = Features::extract(text, lex, &inner.compiled, n_cat);
    let model = inner
        .models
        .as_ref()
        .map(|m| m.predict_with_rules(text, &f.rule_vector()));
    let non_english = f.non_english();
    // Flags the model reads from the text (the cue lists were among its inputs); without a
    // flags head, the cues decide.
    let read_flag = |flag: Flag, cue: bool| -> bool {
        match model
            .as_ref()
            .and_then(|m| m.flags.iter().find(|(x, _)| *x == flag))
        {
            Some(&(_, p)) => p >= 0.5 || cue && p >= 0.25,
            None => cue,
        }
    };
    // Sarcasm is praise wrapped around a problem: without a cue, the model's reading counts
    // only when the message is about a problem (not praise or chit-chat), so a genuinely
    // delighted "LOVE IT!!!" stays positive.
    let about_a_problem = model
        .as_ref()
        .and_then(|m| m.category.as_ref())
        .zip(inner.models.as_ref())
        .is_none_or(|(head, set)| {
            let calm: f32 = set
                .category_labels()
                .iter()
                .zip(&head.probs)
                .filter(|(l, _)| {
                    inner.compiled.by_name.get(l.as_str()).is_some_and(|&i| {
                        i == inner.compiled.other
                            || inner.playbook.categories[i].default_approach == Approach::Appreciate
                    })
                })
                .map(|(_, p)| *p)
                .sum();
            calm < 0.5
        });
    let sarcasm = f.has(Signal::Sarcasm) || read_flag(Flag::Sarcasm, false) && about_a_problem;
    let vulnerable = read_flag(Flag::Vulnerable, f.has(Signal::Vulnerability));
    let said_repeat = read_flag(Flag::RepeatContact, f.has(Signal::RepeatContact));
    let mut ev = EvidenceSink::new(text, pb.thresholds.max_evidence);

    // Category.
    let (cat_idx, category, abstained, unsure) =
        category(inner, &f, model.as_ref(), sarcasm, &mut ev);
    let spec = &pb.categories[cat_idx];

    // Emotion and sentiment.
    let emotion = emotion(&f, sarcasm, model.as_ref(), spec, abstained, &mut ev);
    let w = pb.thresholds.sentiment_model_weight;
    let mut sentiment = model
        .as_ref()
        .and_then(|m| m.sentiment)
        .map_or(f.compound as f64, |s| {
            w * s as f64 + (1.0 - w) * f.compound as f64
        });
    if sarcasm && sentiment > 0.0 {
        // "Great, just great": positive words, negative meaning.
        sentiment = -0.3 - 0.3 * sentiment;
    }
    let sentiment = sentiment.clamp(-1.0, 1.0);

    // Flags.
    let mut flags = Vec::with_capacity(8);
    let mut flag = |fl: Flag, on: bool| {
        if on {
            flags.push(fl);
        }
    };
    // Shouting is most of the message in capitals, not a few names or acronyms.
    let shouting =
        f.caps_words >= 3 && f.caps_ratio() >= 0.5 || f.caps_words >= 5 && f.caps_ratio() >= 0.25;
    // Only what the customer says (or the context knows): "still" or "again" is recurrence.
    let repeat = ctx.prior_contacts > 0 || said_repeat;
    let negative_history = ctx.past_feedback.is_some_and(|p| p.is_negative());
    let attrs = !abstained;
    // What the text says, read by the model where it has the flag (a billing question
    // does not put money at risk; a lockout is not a security threat); else the category's
    // attributes and the cues.
    flag(
        Flag::MoneyAtRisk,
        read_flag(Flag::MoneyAtRisk, attrs && spec.money_at_risk),
    );
    flag(
        Flag::Security,
        read_flag(Flag::Security, attrs && spec.security),
    );
    flag(
        Flag::Safety,
        read_flag(
            Flag::Safety,
            (attrs && spec.safety) || f.has(Signal::Safety),
        ),
    );
    flag(Flag::RepeatContact, repeat);
    flag(Flag::Vulnerable, vulnerable);
    flag(Flag::LegalThreat, f.has(Signal::LegalThreat));
    flag(Flag::RegulatorThreat, f.has(Signal::RegulatorThreat));
    flag(Flag::ChargebackThreat, f.has(Signal::ChargebackThreat));
    flag(
        Flag::SocialMediaThreat,
        f.has(Signal::SocialMediaThreat) && emotion.label != Emotion::Positive,
    );
    flag(
        Flag::ChurnThreat,
        read_flag(
            Flag::ChurnThreat,
            f.has(Signal::ChurnThreat) && emotion.label != Emotion::Positive
                || f.has(Signal::Leaving),
        ),
    );
    flag(Flag::Profanity, f.has(Signal::Profanity));
    flag(Flag::Abuse, f.has(Signal::Abuse));
    flag(Flag::Sarcasm, sarcasm);
    flag(Flag::PolicyConflict, ctx.policy_conflict);
    flag(
        Flag::HighValue,
        ctx.relationship == Some(crate::Relationship::HighValue),
    );
    flag(Flag::SupervisorRequested, f.has(Signal::SupervisorRequest));
    flag(Flag::Shouting, shouting);
    // A category where the company usually erred, told as a complaint: a calm request to
    // redirect a parcel is not a fault.
    let complaint = matches!(
        emotion.label,
        Emotion::Anger | Emotion::Frustration | Emotion::Sadness
    );
    flag(
        Flag::CompanyAtFault,
        read_flag(
            Flag::CompanyAtFault,
            attrs && spec.company_at_fault && complaint,
        ),
    );
    flag(Flag::NegativeHistory, negative_history);
    flag(Flag::LowConfidence, abstained || unsure || non_english);
    flag(Flag::NonEnglish, non_english);
    flag(
        Flag::HighValueItem,
        read_flag(
            Flag::HighValueItem,
            f.max_amount >= pb.thresholds.expensive_amount,
        ),
    );
    flags.sort_by_key(|f| f.code());

    let negative = matches!(
        emotion.label,
        Emotion::Anger | Emotion::Frustration | Emotion::Anxiety | Emotion::Sadness
    );

    // Stance: what the customer wants.
    let request = f.signal(Signal::Request).count as f64 + f.questions.min(3) as f64 * 0.5;
    let question = f.signal(Signal::Question).count as f64 + f.questions.min(3) as f64;
    let venting = f.signal(Signal::Venting).count as f64
        + 0.5 * f.signal(Signal::Feeling).count as f64
        + if f.words > 50 && sentiment < -0.3 {
            0.7
        } else {
            0.0
        };
    let praise = f.signal(Signal::Praise).count as f64;
    let leaving_signal = f.has(Signal::Leaving) && !(praise > 0.0 && sentiment > 0.3);
    let leaving_category = !abstained
        && spec.default_approach == Approach::Retain
        && emotion.label != Emotion::Positive;
    let model_stance = model
        .as_ref()
        .and_then(|m| m.stance.as_ref())
        .and_then(|h| argmax32(&h.probs))
        .and_then(|i| Stance::ALL.get(i).copied());
    let stance = if let Some(st) = model_stance {
        st
    } else if leaving_signal || leaving_category {
        Stance::Leaving
    } else if praise > 0.0 && sentiment > 0.25 && !negative && !sarcasm && request < 1.5 {
        Stance::GivingFeedback
    } else if (venting >= 1.0 && request == 0.0) || (venting >= 2.0 && request <= 1.0) {
        Stance::Venting
    } else if question > 0.0
        && (!negative || emotion.intensity < 0.4)
        && (abstained
            || spec.default_approach == Approach::InformConcisely
            // An explicit how-to question ("how do I…?") asked calmly is a request for facts.
            || f.questions > 0 && f.has(Signal::Question) && !negative
            || f.questions > 0 && !spec.money_at_risk && !spec.company_at_fault)
    {
        Stance::SeekingInformation
    } else if abstained && request == 0.0 && question == 0.0 && negative {
        Stance::Venting
    } else if abstained && !negative && question == 0.0 && request == 0.0 && praise == 0.0 {
        Stance::SeekingInformation
    } else {
        Stance::SeekingResolution
    };

    // Style: facts or feelings.
    let data = f.money.count as f64
        + f.ids.count as f64
        + f.dates.count as f64
        + 0.3 * f.numbers.min(6) as f64;
    let experience = f.signal(Signal::Feeling).count as f64
        + 0.5 * f.signal(Signal::Venting).count as f64
        + 0.4 * f.emotion.iter().filter(|&&s| s > 0.0).count() as f64
        + if vulnerable { 1.0 } else { 0.0 };
    let model_style = model
        .as_ref()
        .and_then(|m| m.style.as_ref())
        .and_then(|h| argmax32(&h.probs))
        .and_then(|i| Style::ALL.get(i).copied());
    let style = if let Some(st) = model_style {
        st
    } else if data >= 2.0 && data >= 1.5 * experience {
        Style::DataDriven
    } else if experience >= 2.0 && experience >= 1.5 * data {
        Style::ExperienceDriven
    } else {
        Style::Balanced
    };

    // Urgency: the category's default, raised by what is at stake now.
    let base = if abstained {
        Urgency::Normal
    } else {
        spec.default_urgency
    };
    let mut raise = 0i32;
    if repeat {
        raise += 1;
    }
    if f.has(Signal::Urgent) && (negative || !abstained) {
        raise += 1;
    }
    if negative && emotion.intensity >= 0.7 {
        raise += 1;
    }
    if vulnerable || f.has(Signal::Safety) {
        raise += 1;
    }
    if f.has(Signal::LegalThreat)
        || f.has(Signal::RegulatorThreat)
        || f.has(Signal::ChargebackThreat)
    {
        raise += 1;
    }
    if attrs && spec.company_at_fault && f.max_amount >= pb.thresholds.expensive_amount {
        raise += 1;
    }
    let mut code = base.code() as i32 - raise.min(2);
    if emotion.label == Emotion::Positive && stance == Stance::GivingFeedback {
        code = code.max(Urgency::Low.code() as i32);
    }
    if f.has(Signal::Safety) {
        code = code.min(Urgency::High.code() as i32);
    }
    // Critical is kept for money, security or safety at stake now.
    let at_stake =
        attrs && (spec.money_at_risk || spec.security || spec.safety) || f.has(Signal::Safety);
    if !at_stake && base != Urgency::Critical {
        code = code.max(Urgency::High.code() as i32);
    }
    let model_urgency = model
        .as_ref()
        .and_then(|m| m.urgency.as_ref())
        .and_then(|h| argmax32(&h.probs))
        .and_then(|i| Urgency::ALL.get(i).copied());
    let urgency = match model_urgency {
        // A safety cue is never read as routine, whatever the statistics say.
        Some(u) if f.has(Signal::Safety) => {
            Urgency::ALL[u.code().min(Urgency::High.code()) as usize]
        }
        Some(u) => u,
        None => Urgency::ALL[code.clamp(0, 3) as usize],
    };

    // Risks.
    let threat = |s: Signal, w: f64| if f.has(s) { w } else { 0.0 };
    let anger = emotion.scores.get("anger");
    let frustration = emotion.scores.get("frustration");
    let esc_logit = -2.6
        + 2.2 * anger * emotion.intensity
        + 1.0 * frustration * emotion.intensity
        + threat(Signal::LegalThreat, 2.8)
        + threat(Signal::RegulatorThreat, 2.5)
        + threat(Signal::SocialMediaThreat, 1.5)
        + threat(Signal::ChargebackThreat, 1.8)
        + threat(Signal::Abuse, 1.3)
        + threat(Signal::Profanity, 0.6)
        + threat(Signal::SupervisorRequest, 1.5)
        + threat(Signal::ApologyBackfire, 0.6)
        + if repeat {
            0.7 + 0.25 * ctx.prior_contacts.min(4) as f64
        } else {
            0.0
        }
        + if shouting { 0.6 } else { 0.0 }
        + if negative_history { 0.4 } else { 0.0 }
        + if sarcasm { 0.3 } else { 0.0 }
        - if emotion.label == Emotion::Positive {
            1.0
        } else {
            0.0
        };
    let churn_logit = -2.8
        + threat(Signal::ChurnThreat, 1.3)
        + threat(Signal::Leaving, 1.4)
        + if stance == Stance::Leaving { 0.8 } else { 0.0 }
        + if repeat {
            0.5 + 0.2 * ctx.prior_contacts.min(4) as f64
        } else {
            0.0
        }
        + if negative {
            1.2 * emotion.intensity
        } else {
            0.0
        }
        + if negative_history { 0.8 } else { 0.0 }
        - 1.2 * sentiment.max(0.0)
        + 0.6 * (-sentiment).max(0.0);
    let escalation_risk = round4(sigmoid(esc_logit));
    let churn_risk = round4(sigmoid(churn_logit));

    // Evidence for the context-free signals.
    for (s, name) in [
        (Signal::Profanity, "profanity"),
        (Signal::Abuse, "abuse"),
        (Signal::LegalThreat, "legal_threat"),
        (Signal::RegulatorThreat, "regulator_threat"),
        (Signal::ChargebackThreat, "chargeback_threat"),
        (Signal::SocialMediaThreat, "social_media_threat"),
        (Signal::ChurnThreat, "churn_threat"),
        (Signal::Leaving, "leaving"),
        (Signal::RepeatContact, "repeat_contact"),
        (Signal::Vulnerability, "vulnerability"),
        (Signal::Sarcasm, "sarcasm"),
        (Signal::SupervisorRequest, "supervisor_request"),
        (Signal::Venting, "venting"),
        (Signal::Feeling, "feeling"),
        (Signal::Politeness, "politeness"),
        (Signal::Urgent, "urgency_cue"),
        (Signal::Safety, "safety"),
        (Signal::ApologyBackfire, "apology_backfire"),
        (Signal::Praise, "praise"),
        (Signal::Request, "request"),
        (Signal::Question, "question"),
    ] {
        ev.spans(name, f.signal(s).spans());
    }
    ev.spans("negation", f.negations.spans());
    ev.spans("intensifier", f.intensifiers.spans());
    ev.spans("contrast", f.contrast.spans());
    if shouting {
        ev.spans("shouting", f.caps.spans());
    }
    ev.spans("exclamations", f.exclaim_runs.spans());
    ev.spans("question_marks", f.question_runs.spans());
    ev.spans("emoji_positive", f.emoji_pos.spans());
    ev.spans("emoji_negative", f.emoji_neg.spans());
    ev.spans("money", f.money.spans());
    ev.spans("reference_number", f.ids.spans());
    ev.spans("date_time", f.dates.spans());

    Classification {
        situation: Situation {
            category,
            emotion,
            sentiment: round4(sentiment),
            urgency,
            stance,
            style,
            escalation_risk,
            churn_risk,
            flags,
        },
        evidence: ev.finish(),
    }
}

fn abstain_everything(inner: &Inner) -> Classification {
    let c = &inner.compiled;
    let n = c.names.len().max(1) as f64;
    let scores = renormalized(Scores::from_pairs(
        c.names.iter().map(|l| (Arc::clone(l), 1.0 / n)).collect(),
    ));
    let confidence = scores.iter().nth(c.other).map_or(0.0, |(_, p)| p);
    Classification {
        situation: Situation {
            category: CategoryResult {
                label: Arc::clone(&c.names[c.other]),
                confidence,
                scores,
            },
            emotion: EmotionResult {
                label: Emotion::Neutral,
                confidence: 1.0,
                intensity: 0.0,
                scores: Scores::from_pairs(
                    Emotion::ALL
                        .iter()
                        .map(|&e| (e, if e == Emotion::Neutral { 1.0 } else { 0.0 }))
                        .collect(),
                ),
            },
            sentiment: 0.0,
            urgency: Urgency::Normal,
            stance: Stance::SeekingResolution,
            style: Style::Balanced,
            escalation_risk: 0.0,
            churn_risk: 0.0,
            flags: vec![Flag::LowConfidence],
        },
        evidence: vec![],
    }
}

pub(crate) fn softmax(logits: &[f64]) -> Vec<f64> {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = logits.iter().map(|&l| (l - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

fn argmax32(p: &[f32]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &v) in p.iter().enumerate() {
        if best.is_none_or(|b| v > p[b]) {
            best = Some(i);
        }
    }
    best
}

pub(super) fn argmax(p: &[f64]) -> usize {
    // First maximum wins: deterministic on ties.
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    best
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Rounding can leave the sum a hair off 1; put the remainder on the largest score.
pub(super) fn renormalized<L>(s: Scores<L>) -> Scores<L> {
    let total = s.total();
    let mut pairs: Vec<(L, f64)> = s.into_pairs();
    if let Some(i) =
        (0..pairs.len()).max_by(|&a, &b| pairs[a].1.total_cmp(&pairs[b].1).then(b.cmp(&a)))
    {
        pairs[i].1 = round4(pairs[i].1 + (1.0 - total));
    }
    Scores::from_pairs(pairs)
}
