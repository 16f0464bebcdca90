//! The category: the model's reading (the rule cues are among its inputs), a playbook hard
//! cue that always wins, `other` for off-topic; the rules alone abstain on weak evidence.

use std::sync::Arc;

use super::evidence::EvidenceSink;
use super::features::Features;
use super::model::ModelOutput;
use super::{argmax, renormalized, round4, softmax};
use crate::resources::Inner;
use crate::types::*;

/// How sharply rule cue scores turn into probabilities (rules-only path).
pub(super) const RULE_SHARPNESS: f64 = 2.5;
/// The `other` category's score before any cue (rules-only path).
const RULE_OTHER_PRIOR: f64 = 0.6;
/// Log-odds added to a category whose hard cue fired.
const HARD_CUE_BOOST: f64 = 6.0;

pub(super) fn category(
    inner: &Inner,
    f: &Features<'_>,
    model: Option<&ModelOutput>,
    sarcasm: bool,
    ev: &mut EvidenceSink<'_>,
) -> (usize, CategoryResult, bool, bool) {
    let pb = &inner.playbook;
    let c = &inner.compiled;
    let n = pb.categories.len();
    // The rules' view: cue scores, with a floor for `other` so weak evidence abstains.
    let mut logits: Vec<f64> = f
        .category
        .iter()
        .map(|&s| RULE_SHARPNESS * s as f64)
        .collect();
    logits[c.other] = logits[c.other].max(RULE_SHARPNESS * RULE_OTHER_PRIOR);
    let model_head = model
        .and_then(|m| m.category.as_ref())
        .zip(inner.models.as_ref());
    if let Some((head, _)) = model_head {
        // One model: the rule cues were among its inputs, so its probabilities stand.
        // Categories it does not know (a company's own) keep a small prior raised by their
        // playbook cues.
        let mut known = vec![false; n];
        for (ci, p) in inner.model_category.iter().zip(&head.probs) {
            if let Some(i) = *ci {
                logits[i] = (*p as f64).max(1e-6).ln();
                known[i] = true;
            }
        }
        for i in 0..n {
            if !known[i] {
                logits[i] = (1e-3f64).ln() + RULE_SHARPNESS * f.category[i] as f64;
            }
        }
    }
    // Sarcastic praise is not feedback: drop the cues of categories that exist to appreciate.
    if sarcasm {
        for (i, spec) in pb.categories.iter().enumerate() {
            if spec.default_approach == Approach::Appreciate {
                logits[i] -= if model_head.is_some() {
                    2.0
                } else {
                    RULE_SHARPNESS * f.category[i] as f64
                };
            }
        }
    }
    // Hard signals win whatever the statistics say; among several, the strongest cue score.
    let hard = (0..n)
        .filter(|&i| f.hard[i])
        .max_by(|&a, &b| f.category[a].total_cmp(&f.category[b]).then(b.cmp(&a)));
    if let Some(h) = hard {
        logits[h] += HARD_CUE_BOOST;
    }
    let probs = softmax(&logits);
    let best = argmax(&probs);
    // With a model, `other` means off-topic (the model's answer), and a problem read with
    // little confidence keeps its most likely category, flagged `low_confidence`. The rules
    // alone abstain to `other` on weak evidence.
    let (abstained, unsure) = if model_head.is_some() {
        (
            best == c.other,
            probs[best] < pb.thresholds.abstain && hard.is_none(),
        )
    } else {
        (probs[best] < pb.thresholds.abstain && hard.is_none(), false)
    };
    let chosen = if abstained { c.other } else { best };

    // Evidence: the chosen category's cues, and the model's strongest features.
    if !abstained {
        let [cue, hard_cue, model_name] = &c.evidence_names[chosen];
        let signal = if hard == Some(chosen) { hard_cue } else { cue };
        for &(s, e) in f.category_spans[chosen].spans() {
            ev.push(signal.clone(), s, e);
        }
        if let Some((head, _)) = model_head {
            for &(s, e, _) in head.top.iter().take(3) {
                ev.push(model_name.clone(), s, e);
            }
        }
    }
    let scores = Scores::from_pairs(
        c.names
            .iter()
            .zip(&probs)
            .map(|(name, &p)| (Arc::clone(name), round4(p)))
            .collect(),
    );
    let scores = renormalized(scores);
    let confidence = scores.iter().nth(chosen).map_or(0.0, |(_, p)| p);
    (
        chosen,
        CategoryResult {
            label: Arc::clone(&c.names[chosen]),
            confidence,
            scores,
        },
        abstained,
        unsure,
    )
}
