//! Adapting the recommendation to the conversation: the classifier's recommendation is kept
//! stable across small changes, then turned to action after empathy backfired, and given
//! steps for a repeat, a supervisor request and a long wait. Separate from the tracker, which
//! only measures what happened.

use super::tracker::Conversation;
use crate::respond::recommender::Words;
use crate::types::Hints;
use crate::{Approach, Assessment, Emotion, Empathy, Recommendation, Urgency};

/// What a customer turn showed that the recommendation adapts to.
#[derive(Debug, Clone, Copy)]
pub(super) struct TurnCues {
    /// Empathy backfired on this turn.
    pub(super) backfired_now: bool,
    pub(super) supervisor_request: bool,
    pub(super) repeated: bool,
    pub(super) long_wait: bool,
    /// Heat against the mean of the last two customer turns (none on the first turn).
    pub(super) heat_diff: Option<f64>,
    /// Changes of heat within this band are not changes.
    pub(super) band: f64,
}

impl Conversation {
    /// The recommendation for this turn: the classifier's, kept stable, then adapted; what
    /// changed is added to `adaptations`.
    pub(super) fn adapt(
        &mut self,
        assessment: &Assessment,
        cues: TurnCues,
        adaptations: &mut Vec<String>,
    ) -> Recommendation {
        let TurnCues {
            backfired_now,
            supervisor_request,
            repeated,
            long_wait,
            heat_diff,
            band,
        } = cues;
        let s = &assessment.situation;
        let st = &self.state;
        let mut rec = assessment.recommendation.clone();
        // Thanks after help closes the loop: answering it with the old approach's
        // "I'm sorry about…" would reopen what was just settled.
        let thanked = self.base.is_some()
            && rec.approach == Approach::Appreciate
            && s.emotion.label == Emotion::Positive
            && !backfired_now;
        if let Some(prev) = &self.base {
            if rec.approach != prev.approach {
                let strong = backfired_now
                    || thanked
                    || supervisor_request
                    || s.urgency == Urgency::Critical
                    || heat_diff.is_some_and(|d| d.abs() > 2.0 * band)
                    || self.pending_approach == Some(rec.approach);
                if strong {
                    self.pending_approach = None;
                } else {
                    self.pending_approach = Some(rec.approach);
                    rec = prev.clone();
                    adaptations.push("kept_approach".to_string());
                }
            } else {
                self.pending_approach = None;
            }
        }
        let advice = &self.engine.playbook().conversation;
        if thanked && !advice.closing.is_empty() {
            // A thank-you mid-conversation answers the help just given, not praise out of
            // the blue: close the loop and leave the door open.
            let line = advice.closing.as_str();
            rec.opening = match self.ctx.name() {
                Some(n) => format!("{n}, {}", lower_first(line)),
                None => line.to_string(),
            };
        }
        self.base = Some(rec.clone());
        if &*assessment.situation.category.label != crate::OTHER {
            self.topic = Some(assessment.situation.category.label.to_string());
        }
        let name = self.ctx.name().map(str::to_string);
        let mut front: Vec<String> = Vec::new();
        if st.action_mode {
            rec.approach = Approach::ResolveFirst;
            rec.empathy = Empathy::None;
            let label = &assessment.situation.category.label;
            let topic = if &**label == crate::OTHER {
                self.topic.as_deref().unwrap_or(label)
            } else {
                label
            };
            // The category's words for this message, as the recommendation says them (a
            // flight's booking, not an order; the channel's time frame).
            let pb = self.engine.playbook();
            let none = Hints::default();
            let hints = Hints::for_situation(&assessment.situation).unwrap_or(&none);
            let words = pb
                .category(topic)
                .map(|c| Words::for_message(pb, c, &assessment.situation, hints, self.ctx.channel));
            let action = words.as_ref().map_or("", |w| w.action.trim());
            let when = words.as_ref().map_or("", |w| w.timeframe.trim());
            let line = if action.is_empty() {
                advice.action_fallback.clone()
            } else if when.is_empty() || action.contains(" now") || action.contains("today") {
                // The action already says when.
                action.to_string()
            } else {
                format!("{action} {when}")
            };
            rec.opening = match &name {
                Some(n) => format!("{n}, {}.", lower_first(&line)),
                None => format!("{line}."),
            };
            front.push(advice.action_step.clone());
            if !advice.action_avoid.is_empty() {
                rec.avoid.insert(0, advice.action_avoid.clone());
            }
            if !advice.action_rationale.is_empty() {
                rec.rationale.push(advice.action_rationale.clone());
            }
            if backfired_now {
                adaptations.push("empathy_backfired".to_string());
            }
        }
        if repeated {
            front.push(advice.repeated_step.clone());
            adaptations.push("customer_repeated".to_string());
        }
        if st.escalation.supervisor_requested {
            front.push(advice.supervisor_requested_step.clone());
            if supervisor_request {
                adaptations.push("supervisor_requested".to_string());
            }
        } else if st.escalation.offer_supervisor {
            front.push(advice.offer_supervisor_step.clone());
            adaptations.push("offer_supervisor".to_string());
        }
        if long_wait {
            let waited = crate::review::human_seconds(st.customer_waiting_seconds);
            front.push(crate::respond::playbook::sentences::fill_named(
                &advice.long_wait_step,
                &[("waited", &waited)],
            ));
            adaptations.push("long_wait".to_string());
        }
        front.retain(|f| !f.is_empty());
        for (i, f) in front.into_iter().enumerate() {
            rec.steps.insert(i, f);
        }
        rec
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep "I" and acronyms as they are.
        Some(f) if f == 'I' && c.clone().next().is_some_and(|n| !n.is_alphabetic()) => s.into(),
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
