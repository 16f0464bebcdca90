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
mod risk;
mod stance;
mod urgency;

use crate::types::*;
use crate::Context;
use crate::EvidenceSignal;
use category::category;
use emotion::emotion;
use evidence::EvidenceSink;
use features::Features;
use lexicon::Signal;

/// What the stages after the category and the emotion read.
pub(super) struct Reading<'a> {
    pub(super) f: &'a Features<'a>,
    pub(super) model: Option<&'a model::ModelOutput>,
    pub(super) spec: &'a crate::respond::playbook::CategorySpec,
    /// The category is `other` (off-topic, or the rules abstained).
    pub(super) abstained: bool,
    pub(super) emotion: &'a EmotionResult,
    pub(super) sentiment: f64,
    /// Anger, frustration, anxiety or sadness.
    pub(super) negative: bool,
    pub(super) repeat: bool,
    pub(super) vulnerable: bool,
    pub(super) sarcasm: bool,
    pub(super) shouting: bool,
    pub(super) negative_history: bool,
    pub(super) ctx: &'a Context,
    pub(super) expensive_amount: f64,
}

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
        .is_none_or(|(head, _)| {
            let calm: f32 = inner
                .model_category
                .iter()
                .zip(&head.probs)
                .filter(|(ci, _)| {
                    ci.is_some_and(|i| {
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
    flag(Flag::SupervisorRequested, supervisor_asked_for(&f));
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

    let reading = Reading {
        f: &f,
        model: model.as_ref(),
        spec,
        abstained,
        emotion: &emotion,
        sentiment,
        negative,
        repeat,
        vulnerable,
        sarcasm,
        shouting,
        negative_history,
        ctx,
        expensive_amount: pb.thresholds.expensive_amount,
    };
    let stance = stance::stance(&reading);
    let style = stance::style(&reading);
    let urgency = urgency::urgency(&reading, stance);
    let (escalation_risk, churn_risk) = risk::risks(&reading, stance);

    // Evidence for the context-free signals, in this order of priority.
    for s in [
        Signal::Profanity,
        Signal::Abuse,
        Signal::LegalThreat,
        Signal::RegulatorThreat,
        Signal::ChargebackThreat,
        Signal::SocialMediaThreat,
        Signal::ChurnThreat,
        Signal::Leaving,
        Signal::RepeatContact,
        Signal::Vulnerability,
        Signal::Sarcasm,
        Signal::SupervisorRequest,
        Signal::Venting,
        Signal::Feeling,
        Signal::Politeness,
        Signal::Urgent,
        Signal::Safety,
        Signal::ApologyBackfire,
        Signal::Praise,
        Signal::Request,
        Signal::Question,
    ] {
        if let Some(signal) = s.evidence() {
            ev.spans(signal, f.signal(s).spans());
        }
    }
    ev.spans(EvidenceSignal::Negation, f.negations.spans());
    ev.spans(EvidenceSignal::Intensifier, f.intensifiers.spans());
    ev.spans(EvidenceSignal::Contrast, f.contrast.spans());
    if shouting {
        ev.spans(EvidenceSignal::Shouting, f.caps.spans());
    }
    ev.spans(EvidenceSignal::Exclamations, f.exclaim_runs.spans());
    ev.spans(EvidenceSignal::QuestionMarks, f.question_runs.spans());
    ev.spans(EvidenceSignal::EmojiPositive, f.emoji_pos.spans());
    ev.spans(EvidenceSignal::EmojiNegative, f.emoji_neg.spans());
    ev.spans(EvidenceSignal::Money, f.money.spans());
    ev.spans(EvidenceSignal::ReferenceNumber, f.ids.spans());
    ev.spans(EvidenceSignal::DateTime, f.dates.spans());

    let head = |h: Option<&crate::model::HeadOutput>| {
        h.and_then(|h| argmax32(&h.probs).map(|i| (i, h.probs[i])))
    };
    let approach_hint = model.as_ref().and_then(|m| head(m.approach.as_ref()));
    let empathy_hint = model.as_ref().and_then(|m| head(m.empathy.as_ref()));
    let mut situation = Situation {
        category,
        emotion,
        sentiment: round4(sentiment),
        urgency,
        stance,
        style,
        escalation_risk,
        churn_risk,
        flags,
        hints: Hints::default(),
    };
    situation.hints = Hints {
        said: f.said,
        approach: approach_hint.and_then(|(i, p)| Approach::ALL.get(i).map(|&a| (a, p))),
        empathy: empathy_hint.and_then(|(i, p)| Empathy::ALL.get(i).map(|&e| (e, p))),
        seed: text_seed(text),
        amount: the_one(text, f.money.spans(), f.money.count, is_quotable_amount),
        reference: the_one(text, f.ids.spans(), f.ids.count, is_quotable_reference),
        of: Hints::fingerprint(&situation),
    };
    let evidence = ev.finish();
    // The prediction has been read: its vectors serve the next call on this thread.
    if let Some(m) = model {
        model::recycle(m);
    }
    Classification {
        situation,
        evidence,
    }
}

/// The text of the single span (by value) that `ok` accepts, if there is exactly one.
fn the_one(
    text: &str,
    spans: &[(usize, usize)],
    count: u32,
    ok: fn(&str, usize) -> bool,
) -> Option<Box<str>> {
    if count as usize > spans.len() {
        return None;
    }
    let mut found: Option<&str> = None;
    for &(a, b) in spans {
        let Some(v) = text.get(a..b) else { continue };
        if !ok(text, a) || v.len() > 24 {
            continue;
        }
        match found {
            Some(f) if f != v => return None,
            _ => found = Some(v),
        }
    }
    found.map(Into::into)
}

/// A sum written with its currency sign ("$900", "£39.99"): "900 dollars" would read oddly
/// when quoted back.
fn is_quotable_amount(text: &str, start: usize) -> bool {
    text.get(start..)
        .is_some_and(|r| r.starts_with(['$', '£', '€', '¥', '₹']))
}

/// A reference the customer gave as one ("#4471", "88123-A", "order 55210"), not a phone,
/// card or account number (long plain digits), which an opening must never repeat.
fn is_quotable_reference(text: &str, start: usize) -> bool {
    let Some(rest) = text.get(start..) else {
        return false;
    };
    let token: &str = rest
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ')' | '('))
        .next()
        .unwrap_or("")
        .trim_end_matches(['.', '!', '?', ':']);
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    if token.starts_with('#') || token.bytes().any(|b| b.is_ascii_alphabetic()) {
        return (3..=12).contains(&digits);
    }
    // The word just before: only the last few bytes are read, however long the text.
    let b = &text[..start];
    let from = (b.len().saturating_sub(24)..=b.len())
        .find(|&i| b.is_char_boundary(i))
        .unwrap_or(b.len());
    let before = b[from..].trim_end().to_ascii_lowercase();
    let named = [
        "order",
        "ref",
        "reference",
        "ticket",
        "case",
        "booking",
        "confirmation",
        "tracking",
        "claim",
        "no.",
        "number",
    ]
    .iter()
    .any(|w| before.ends_with(w));
    named && (4..=10).contains(&digits)
}

/// A deterministic seed from the text (FNV-1a) for choosing among equally good openings.
pub(crate) fn text_seed(text: &str) -> u64 {
    use crate::text::{fnv1a, FNV_START};
    // Long texts: the first and last 4 KiB are enough to vary the line.
    let b = text.as_bytes();
    if b.len() > 8192 {
        fnv1a(fnv1a(FNV_START, &b[..4096]), &b[b.len() - 4096..])
    } else {
        fnv1a(FNV_START, b)
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
            hints: Hints::default(),
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

/// Words longer than this make a message a narrative, where a manager or a supervisor is
/// usually someone the customer already dealt with ("I spoke to a supervisor who said…").
const NARRATIVE_WORDS: usize = 60;

/// Whether the customer asks for a supervisor (or did ask): any supervisor cue in a short
/// message; in a narrative, only a cue that is itself a request ("speak to someone") or
/// follows a request word in its sentence ("asked to speak with her manager", "get me a
/// supervisor"), not a mention ("our relationship manager", "the supervisor told me").
fn supervisor_asked_for(f: &Features<'_>) -> bool {
    let kind = f.signal(Signal::SupervisorRequest);
    if kind.count == 0 {
        return false;
    }
    let doc = &f.doc;
    if doc.tokens.len() <= NARRATIVE_WORDS {
        return true;
    }
    const ASKING: [&str; 16] = [
        "speak",
        "talk",
        "escalate",
        "want",
        "need",
        "get",
        "put",
        "transfer",
        "connect",
        "ask",
        "asked",
        "request",
        "requested",
        "demand",
        "demanded",
        "let",
    ];
    kind.spans().iter().any(|&(start, end)| {
        let toks = &doc.tokens;
        let Some(first) = toks.iter().position(|t| t.start >= start) else {
            return false;
        };
        let sentence = toks[first].sentence;
        let in_cue = toks[first..].iter().take_while(|t| t.end <= end).count();
        let before = toks[..first]
            .iter()
            .rev()
            .take_while(|t| t.sentence == sentence)
            .take(5)
            .count();
        (first - before..first + in_cue).any(|i| ASKING.contains(&doc.lower(i)))
    })
}

#[cfg(test)]
mod supervisor_tests {
    use crate::{Context, Engine, Flag};

    fn flagged(t: &str) -> bool {
        let a = Engine::default()
            .classify(t, &Context::default())
            .expect("classify");
        a.situation.flags.contains(&Flag::SupervisorRequested)
    }

    const STORY: &str = "I opened the account in March and set up the automatic payments the \
        same week, as the branch told me to. In June a payment was taken twice and the second \
        one was never returned, so I called customer service three times and waited on hold \
        for over an hour each time while nobody could explain what had happened. ";

    #[test]
    fn a_supervisor_in_a_story_is_not_a_request() {
        assert!(!flagged(&format!(
            "{STORY}On the last call I spoke to a supervisor who said the refund was on its way. It never came."
        )));
        assert!(!flagged(&format!(
            "{STORY}Our relationship manager at the branch could not help either."
        )));
    }

    #[test]
    fn asking_for_one_is_a_request_in_a_story_or_a_short_message() {
        assert!(flagged(&format!(
            "{STORY}On the last call I asked to speak to a supervisor and was put on hold again."
        )));
        assert!(flagged("Get me a manager now, this is the third time!"));
        assert!(flagged("MANAGER. NOW."));
    }
}
