//! The situation classifier (placeholder).
use crate::engine::Inner;
use crate::types::*;
use crate::Context;
use std::sync::Arc;

pub(crate) fn classify(inner: &Inner, _text: &str, _ctx: &Context) -> Classification {
    let other: Arc<str> = crate::OTHER.into();
    let n = inner.playbook.categories.len() as f64;
    Classification {
        situation: Situation {
            category: CategoryResult {
                label: other,
                confidence: 1.0 / n,
                scores: Scores::from_pairs(
                    inner.playbook.categories.iter().map(|c| (Arc::from(c.name.as_str()), 1.0 / n)).collect(),
                ),
            },
            emotion: EmotionResult {
                label: Emotion::Neutral,
                confidence: 1.0,
                intensity: 0.0,
                scores: Scores::from_pairs(Emotion::ALL.iter().map(|&e| (e, if e == Emotion::Neutral { 1.0 } else { 0.0 })).collect()),
            },
            sentiment: 0.0,
            urgency: Urgency::Normal,
            stance: Stance::SeekingResolution,
            style: Style::Balanced,
            escalation_risk: 0.0,
            churn_risk: 0.0,
            flags: vec![],
        },
        evidence: vec![],
    }
}
