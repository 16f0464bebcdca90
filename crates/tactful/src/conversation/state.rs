//! The public types of a conversation: who spoke, trajectories, escalation, the state after
//! each turn and the view of one turn. Plain data, apart from the code that fills it in.

use serde::{Deserialize, Serialize};

use crate::review::Span;
use crate::{Assessment, Error, Recommendation, ReplyReview};

/// Who spoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Speaker {
    /// The customer.
    Customer,
    /// The agent.
    Agent,
}

impl Speaker {
    /// The stable `snake_case` name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Speaker::Customer => "customer",
            Speaker::Agent => "agent",
        }
    }
}

impl Trajectory {
    /// The stable `snake_case` name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Trajectory::Improving => "improving",
            Trajectory::Stable => "stable",
            Trajectory::Worsening => "worsening",
        }
    }
}

impl std::str::FromStr for Speaker {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "customer" => Ok(Speaker::Customer),
            "agent" => Ok(Speaker::Agent),
            _ => Err(Error::UnknownValue {
                what: "speaker",
                value: s.chars().take(64).collect(),
                expected: "customer, agent".into(),
            }),
        }
    }
}

/// Which way something is going, compared with the previous customer turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Trajectory {
    /// Better than before (calmer, more positive).
    Improving,
    /// No change beyond the dead band.
    Stable,
    /// Worse than before (angrier, more negative).
    Worsening,
}

/// Whether a supervisor or a human should step in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Escalation {
    /// The customer asked for a supervisor, manager or a human (at any point).
    pub supervisor_requested: bool,
    /// The agent should offer a supervisor or a human takeover now.
    pub offer_supervisor: bool,
    /// Why, when `offer_supervisor` is set: `supervisor_requested`, `sustained_anger`,
    /// `repeated_three_times` or `empathy_backfired_twice`.
    pub reason: Option<String>,
}

/// Where the conversation stands after the last turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConversationState {
    /// Turns pushed so far (all of them, also those no longer kept in memory).
    pub turns: usize,
    /// Customer turns so far.
    pub customer_turns: usize,
    /// Agent turns so far.
    pub agent_turns: usize,
    /// Sentiment of the last customer turn compared with the ones before.
    pub sentiment: Trajectory,
    /// Negative emotion (heat) of the last customer turn compared with the ones before.
    pub emotion: Trajectory,
    /// Heat of the last customer turn, 0 (calm) … 1 (furious).
    pub heat: f64,
    /// Did the last agent turn's empathy land? `Some(true)`: the customer's next turn was
    /// calmer; `Some(false)`: angrier, or "stop apologizing" / "just fix it"; `None`: the
    /// last agent turn showed no empathy, or no customer turn followed it yet, or no clear change.
    pub empathy_landed: Option<bool>,
    /// Empathy backfired and the conversation is in action mode until the customer calms down.
    pub action_mode: bool,
    /// Times the customer restated the same issue (not heard).
    pub repetitions: u32,
    /// Seconds the customer has been waiting for a reply (0 when the agent spoke last or
    /// no timestamps were given).
    pub customer_waiting_seconds: u64,
    /// The longest the customer waited for a reply so far, in seconds.
    pub longest_wait_seconds: u64,
    /// Supervisor request and offer.
    pub escalation: Escalation,
    /// The current, adapted recommendation (none before the first customer turn).
    pub recommendation: Option<Recommendation>,
    /// What changed the recommendation at the last customer turn: `empathy_backfired`,
    /// `customer_repeated`, `supervisor_requested`, `offer_supervisor`, `long_wait`,
    /// `kept_approach` (a change was not confirmed yet), `calmed_down`.
    pub adaptations: Vec<String>,
}

impl Default for ConversationState {
    fn default() -> Self {
        ConversationState {
            turns: 0,
            customer_turns: 0,
            agent_turns: 0,
            sentiment: Trajectory::Stable,
            emotion: Trajectory::Stable,
            heat: 0.0,
            empathy_landed: None,
            action_mode: false,
            repetitions: 0,
            customer_waiting_seconds: 0,
            longest_wait_seconds: 0,
            escalation: Escalation::default(),
            recommendation: None,
            adaptations: Vec::new(),
        }
    }
}

/// What the tracker read in one customer turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TurnSignals {
    /// Negative emotion 0..1.
    pub heat: f64,
    /// Valence −1..1.
    pub valence: f64,
    /// The customer restated an earlier turn.
    pub repeated: bool,
    /// The customer rejected the empathy ("stop apologizing", "just fix it"); at most 8 spans.
    pub backfire: Vec<Span>,
    /// The customer sounded calmer or thankful.
    pub calm: bool,
    /// The customer asked for a supervisor or a human.
    pub supervisor_request: bool,
}

/// The result of pushing one turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TurnView {
    /// 0-based index of the turn in the conversation.
    pub index: usize,
    /// Who spoke.
    pub speaker: Speaker,
    /// The timestamp given, in seconds.
    pub timestamp: Option<u64>,
    /// For a customer turn: its assessment.
    pub assessment: Option<Assessment>,
    /// For a customer turn: what the tracker read in it.
    pub signals: Option<TurnSignals>,
    /// For an agent turn: its review against the adapted recommendation.
    pub review: Option<ReplyReview>,
    /// Seconds the customer waited for this agent turn (agent turns with timestamps).
    pub waited_seconds: Option<u64>,
    /// The state after this turn.
    pub state: ConversationState,
}

impl TurnView {
    /// The view as compact JSON (the shape the C and Python surfaces return).
    pub fn to_json(&self) -> String {
        // Plain structs of strings, numbers and maps with string keys always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl ConversationState {
    /// The state as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A kept summary of one turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TurnSummary {
    /// 0-based index of the turn.
    pub index: usize,
    /// Who spoke.
    pub speaker: Speaker,
    /// The timestamp given, in seconds.
    pub timestamp: Option<u64>,
    /// Customer turns: heat 0..1.
    pub heat: Option<f64>,
    /// Agent turns: review score.
    pub score: Option<u8>,
}
