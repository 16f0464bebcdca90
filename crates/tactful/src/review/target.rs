//! What a draft is judged against: the parts of an assessment the review reads, and what a
//! conversation adds. The conversation tracker builds these too, so they live on their own.

use crate::{Approach, Assessment, Emotion, Empathy, Flag, Stance, Style};

/// The parts of an assessment the review reads.
#[derive(Debug, Clone)]
pub(crate) struct Target<'a> {
    pub approach: Approach,
    pub empathy: Empathy,
    pub emotion: Emotion,
    pub intensity: f64,
    pub stance: Stance,
    pub style: Style,
    pub flags: &'a [Flag],
    pub category: &'a str,
    pub opening: &'a str,
    /// Details the customer already gave (evidence of the message).
    pub gave: Gave,
}

/// Details the customer's message already contains, read from the assessment's evidence.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Gave {
    pub reference: bool,
    pub amount: bool,
    pub date: bool,
}

impl Gave {
    fn of(a: &Assessment) -> Gave {
        use crate::EvidenceSignal as S;
        let has = |signal: S| a.evidence.iter().any(|e| e.signal == signal);
        Gave {
            reference: has(S::ReferenceNumber),
            amount: has(S::Money),
            date: has(S::DateTime),
        }
    }
}

impl<'a> Target<'a> {
    pub(crate) fn of(a: &'a Assessment) -> Target<'a> {
        Target {
            approach: a.recommendation.approach,
            empathy: a.recommendation.empathy,
            emotion: a.situation.emotion.label,
            intensity: a.situation.emotion.intensity,
            stance: a.situation.stance,
            style: a.situation.style,
            flags: &a.situation.flags,
            category: &a.situation.category.label,
            opening: &a.recommendation.opening,
            gave: Gave::of(a),
        }
    }

    /// No customer message yet (an agent's greeting).
    pub(crate) fn greeting() -> Target<'static> {
        Target {
            approach: Approach::InformConcisely,
            empathy: Empathy::Brief,
            emotion: Emotion::Neutral,
            intensity: 0.0,
            stance: Stance::SeekingInformation,
            style: Style::Balanced,
            flags: &[],
            category: crate::OTHER,
            opening: "",
            gave: Gave::default(),
        }
    }
}

/// What a conversation adds to a single review.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extras<'a> {
    /// Earlier agent sentences, normalized with [`normalize_line`].
    pub history: Option<&'a std::collections::VecDeque<String>>,
    /// Seconds the customer waited for this reply, when longer than the channel allows.
    pub long_wait: Option<u64>,
    /// The customer asked for a supervisor somewhere in the conversation.
    pub supervisor_requested: bool,
    /// The conversation switched to action after empathy backfired.
    pub empathy_backfired: bool,
}

/// Lower-cases a sentence and keeps only letters and digits separated by single spaces.
pub(crate) fn normalize_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_collapses() {
        assert_eq!(normalize_line("  Hello,  WORLD!! 2 "), "hello world 2");
    }
}
