//! Conversation tracking: follows a conversation turn by turn and adapts the recommendation.
//!
//! Each customer turn is assessed with the history in mind: the tracker measures its *heat*
//! (negative emotion, 0..1) from the classifier and from customer-side cues of
//! `data/review.toml` (anger words, capitals, "stop apologizing", "thanks"), compares it
//! with the previous turns (a dead band keeps small changes `stable`), checks whether the
//! customer is repeating themselves, how long they waited, and whether they asked for a
//! supervisor. The recommendation then adapts: action instead of empathy when empathy
//! backfired, explicit ownership after a repeat, a supervisor offer when asked — and it keeps
//! its approach otherwise (a different approach must be suggested twice in a row, unless a
//! strong signal forces it). The advice it adds is the engine's playbook's (`[conversation]`,
//! [`ConversationLines`](crate::ConversationLines)). Each agent turn is reviewed against the
//! adapted recommendation and the lines already sent.
//!
//! Memory is bounded: only the last turns' summaries, agent lines and customer word sets are
//! kept (limits in `data/review.toml`), so a conversation of any length costs the same.
//!
//! Layout: [`state`] holds the public types of a conversation's state and turns, `tracker`
//! follows the turns (heat, repetition, waiting, reviews of agent turns) and `adapt` turns
//! the classifier's recommendation into the one for this point of the conversation.

mod adapt;
mod state;
mod tracker;

pub use self::state::{
    ConversationState, Escalation, Speaker, Trajectory, TurnSignals, TurnSummary, TurnView,
};
pub use self::tracker::Conversation;
