//! The score: six parts from the empathy found and the penalties of the findings, weighted by
//! approach, then capped by the worst findings. Kept apart so the rules only report.

use super::data::{Cue, WeightSpec};
use super::findings::Builder;
use super::signals::Reading;
use super::target::{Extras, Target};
use super::types::{Part, ScoreParts, Severity};
use crate::Empathy;

/// The total and its parts; `action_bonus_lost` is what weak action cost without a finding.
pub(super) fn score(
    b: &Builder<'_>,
    r: &Reading<'_>,
    t: &Target<'_>,
    extras: &Extras<'_>,
    action_bonus_lost: u32,
) -> (u8, ScoreParts) {
    let lex = b.lex;
    let e_total = u32::from(r.empathy.total());
    let ack_only = e_total == 0 && r.m.has(Cue::Ack);
    let empathy_base: u32 = match (t.empathy, extras.empathy_backfired) {
        // After empathy backfired, less is more.
        (_, true) => match e_total {
            0 | 1 => 100,
            2 => 80,
            _ => 55,
        },
        (Empathy::None, _) => match e_total {
            0..=2 => 100,
            3 => 85,
            _ => 70,
        },
        (Empathy::Brief, _) => match e_total {
            0 if ack_only => 75,
            0 => 45,
            1..=3 => 100,
            _ => 85,
        },
        (Empathy::Full, _) => {
            let mut s: u32 = match e_total {
                0 if ack_only => 40,
                0 => 10,
                1 => 55,
                2 => 75,
                _ => 95,
            };
            if r.empathy.explorations.level > 0 || r.empathy.interpretations.level == 2 {
                s += 10;
            }
            s.min(100)
        }
    };
    let base = [
        empathy_base,
        100 - action_bonus_lost.min(100),
        100,
        100,
        100,
        100,
    ];
    let mut scores = [0u8; 6];
    for i in 0..6 {
        scores[i] = base[i].saturating_sub(b.penalties[i]).min(100) as u8;
    }
    let w = lex.weights.get(&t.approach).copied().unwrap_or(WeightSpec {
        empathy: 20,
        action: 20,
        tone: 15,
        clarity: 15,
        personalization: 10,
        fit: 20,
    });
    let weights = [
        w.empathy,
        w.action,
        w.tone,
        w.clarity,
        w.personalization,
        w.fit,
    ];
    let sum_w: u32 = weights.iter().map(|&x| u32::from(x)).sum::<u32>().max(1);
    let weighted: u32 = (0..6)
        .map(|i| u32::from(scores[i]) * u32::from(weights[i]))
        .sum();
    let mut total = ((weighted + sum_w / 2) / sum_w).min(100);
    let problems = b
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Problem)
        .count()
        + b.omitted_problems;
    total = total.min(b.cap);
    if problems > 0 {
        let cap = lex
            .caps
            .get(problems - 1)
            .or(lex.caps.last())
            .copied()
            .unwrap_or(69);
        total = total.min(u32::from(cap));
    }
    let part = |i: usize| Part {
        score: scores[i],
        weight: weights[i],
    };
    (
        total as u8,
        ScoreParts {
            empathy: part(0),
            action: part(1),
            tone: part(2),
            clarity: part(3),
            personalization: part(4),
            fit: part(5),
        },
    )
}
