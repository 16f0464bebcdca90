//! The response recommender (placeholder).
use crate::engine::Inner;
use crate::types::*;
use crate::Context;

pub(crate) fn recommend(_inner: &Inner, _s: &Situation, _ctx: &Context, _text: &str) -> Recommendation {
    Recommendation {
        approach: Approach::EmpathizeThenResolve,
        empathy: Empathy::Brief,
        tone: vec![],
        opening: String::new(),
        steps: vec![],
        avoid: vec![],
        channel_tips: vec![],
        rationale: vec![],
    }
}
