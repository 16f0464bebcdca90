//! The review's data: `data/review.toml` parsed and compiled into one [`Lexicon`] per process.
//! Separate from the rules because it only turns text into tables; nothing here reads a draft.

use std::collections::BTreeMap;

use once_cell::sync::Lazy;
use serde::Deserialize;

use super::types::{FindingCode, Severity};
use super::words::Phrases as PhraseSet;
use crate::{Approach, Error};

static REVIEW_TOML: &str = include_str!("../../data/review.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewData {
    #[allow(dead_code)]
    version: u32,
    empathy: EmpathyData,
    service: ServiceData,
    conversation: ConversationData,
    findings: BTreeMap<FindingCode, FindingSpec>,
    weights: BTreeMap<Approach, WeightSpec>,
    caps: CapsSpec,
    suggestions: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Levels {
    weak: Vec<String>,
    strong: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplorationData {
    weak: Vec<String>,
    strong: Vec<String>,
    invitations: Vec<String>,
    suggestions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmpathyData {
    emotional_reactions: Levels,
    interpretations: Levels,
    explorations: ExplorationData,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceData {
    first_person: Vec<String>,
    team: Vec<String>,
    commitments: Vec<String>,
    actions: Vec<String>,
    auxiliaries: Vec<String>,
    negations: Vec<String>,
    next_steps: Vec<String>,
    timeframes: Vec<String>,
    time_units: Vec<String>,
    time_quantities: Vec<String>,
    request_words: Vec<String>,
    private_channel: Vec<String>,
    history: Vec<String>,
    acknowledgements: Vec<String>,
    apologies: Vec<String>,
    blame: Vec<String>,
    defensive: Vec<String>,
    minimizing: Vec<String>,
    negatives: Vec<String>,
    alternatives: Vec<String>,
    cheerful: Vec<String>,
    credentials: Vec<String>,
    private_details: Vec<String>,
    supervisor: Vec<String>,
    facts: Vec<String>,
    wait_acknowledgements: Vec<String>,
    caps_allowed: Vec<String>,
    double_allowed: Vec<String>,
    troubleshooting: Vec<String>,
    asks_reference: Vec<String>,
    asks_amount: Vec<String>,
    asks_date: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConversationData {
    pub(crate) backfire: Vec<String>,
    pub(crate) calm: Vec<String>,
    pub(crate) anger: Vec<String>,
    pub(crate) repeat: Vec<String>,
    pub(crate) supervisor: Vec<String>,
    pub(crate) stopwords: Vec<String>,
    pub(crate) limits: ConversationLimits,
}

/// Conversation tracker limits (from `data/review.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConversationLimits {
    pub(crate) default_wait: u64,
    pub(crate) chat_wait: u64,
    pub(crate) sms_wait: u64,
    pub(crate) email_wait: u64,
    pub(crate) social_wait: u64,
    pub(crate) max_turns_kept: usize,
    pub(crate) max_agent_lines: usize,
    pub(crate) max_customer_turns: usize,
    pub(crate) deadband: f64,
    pub(crate) supervisor_heat: f64,
    pub(crate) repeat_overlap: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FindingSpec {
    pub(super) severity: Severity,
    pub(super) part: PartName,
    pub(super) penalty: u8,
    /// The highest total a reply with this finding can get (none: no cap).
    #[serde(default)]
    pub(super) cap: Option<u8>,
    /// The cap when the reply does nothing else: no ownership and no next step (a template;
    /// none: the same as `cap`).
    #[serde(default)]
    pub(super) cap_alone: Option<u8>,
    pub(super) message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum PartName {
    Empathy,
    Action,
    Tone,
    Clarity,
    Personalization,
    Fit,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WeightSpec {
    pub(super) empathy: u8,
    pub(super) action: u8,
    pub(super) tone: u8,
    pub(super) clarity: u8,
    pub(super) personalization: u8,
    pub(super) fit: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CapsSpec {
    problems: Vec<u8>,
}

/// What a phrase of the review lexicon signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Cue {
    Er1,
    Er2,
    Ip1,
    Ip2,
    Ex1,
    Ex2,
    Invitation,
    Suggestion,
    FirstPerson,
    Team,
    Commitment,
    Action,
    Aux,
    Negation,
    NextStep,
    Timeframe,
    TimeUnit,
    TimeQuantity,
    Request,
    PrivateChannel,
    History,
    Ack,
    Apology,
    Blame,
    Defensive,
    Minimizing,
    Negative,
    Alternative,
    Cheerful,
    Credentials,
    Private,
    Supervisor,
    Fact,
    WaitAck,
    Troubleshooting,
    AsksReference,
    AsksAmount,
    AsksDate,
}

impl Cue {
    pub(super) const fn bit(self) -> u64 {
        1u64 << (self as u8)
    }
}

/// What a phrase of the customer-side lexicon signals (used by the conversation tracker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CustomerCue {
    Backfire,
    Calm,
    Anger,
    Repeat,
    Supervisor,
}

pub(crate) struct Lexicon {
    pub(super) cues: PhraseSet<Cue>,
    pub(crate) customer: PhraseSet<CustomerCue>,
    pub(crate) stopwords: crate::flat_map::FlatSet<String>,
    pub(crate) limits: ConversationLimits,
    pub(super) findings: BTreeMap<FindingCode, FindingSpec>,
    pub(super) weights: BTreeMap<Approach, WeightSpec>,
    pub(super) caps: Vec<u8>,
    pub(super) suggestions: BTreeMap<String, String>,
    pub(super) caps_allowed: crate::flat_map::FlatSet<String>,
    pub(super) double_allowed: crate::flat_map::FlatSet<String>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").finish_non_exhaustive()
    }
}

static LEXICON: Lazy<Result<Lexicon, Error>> = Lazy::new(|| Lexicon::parse(REVIEW_TOML));

pub(crate) fn lexicon() -> Result<&'static Lexicon, Error> {
    LEXICON.as_ref().map_err(Clone::clone)
}

fn data_error(field: &str, message: impl Into<String>) -> Error {
    Error::InvalidPlaybook {
        field: format!("review.toml: {field}"),
        message: message.into(),
        line: None,
        column: None,
    }
}

impl Lexicon {
    fn parse(text: &str) -> Result<Lexicon, Error> {
        let d: ReviewData = toml::from_str(text).map_err(|e| data_error("", e.to_string()))?;
        let mut cues = PhraseSet::default();
        let mut add = |list: &[String], c: Cue| {
            for p in list {
                cues.insert(p, c);
            }
        };
        let e = &d.empathy;
        add(&e.emotional_reactions.weak, Cue::Er1);
        add(&e.emotional_reactions.strong, Cue::Er2);
        add(&e.interpretations.weak, Cue::Ip1);
        add(&e.interpretations.strong, Cue::Ip2);
        add(&e.explorations.weak, Cue::Ex1);
        add(&e.explorations.strong, Cue::Ex2);
        add(&e.explorations.invitations, Cue::Invitation);
        add(&e.explorations.suggestions, Cue::Suggestion);
        let s = &d.service;
        add(&s.first_person, Cue::FirstPerson);
        add(&s.team, Cue::Team);
        add(&s.commitments, Cue::Commitment);
        add(&s.actions, Cue::Action);
        add(&s.auxiliaries, Cue::Aux);
        add(&s.negations, Cue::Negation);
        add(&s.next_steps, Cue::NextStep);
        add(&s.timeframes, Cue::Timeframe);
        add(&s.time_units, Cue::TimeUnit);
        add(&s.time_quantities, Cue::TimeQuantity);
        add(&s.request_words, Cue::Request);
        add(&s.private_channel, Cue::PrivateChannel);
        add(&s.history, Cue::History);
        add(&s.acknowledgements, Cue::Ack);
        add(&s.apologies, Cue::Apology);
        add(&s.blame, Cue::Blame);
        add(&s.defensive, Cue::Defensive);
        add(&s.minimizing, Cue::Minimizing);
        add(&s.negatives, Cue::Negative);
        add(&s.alternatives, Cue::Alternative);
        add(&s.cheerful, Cue::Cheerful);
        add(&s.credentials, Cue::Credentials);
        add(&s.private_details, Cue::Private);
        add(&s.supervisor, Cue::Supervisor);
        add(&s.facts, Cue::Fact);
        add(&s.wait_acknowledgements, Cue::WaitAck);
        add(&s.troubleshooting, Cue::Troubleshooting);
        add(&s.asks_reference, Cue::AsksReference);
        add(&s.asks_amount, Cue::AsksAmount);
        add(&s.asks_date, Cue::AsksDate);

        let mut customer = PhraseSet::default();
        let c = &d.conversation;
        for (list, cue) in [
            (&c.backfire, CustomerCue::Backfire),
            (&c.calm, CustomerCue::Calm),
            (&c.anger, CustomerCue::Anger),
            (&c.repeat, CustomerCue::Repeat),
            (&c.supervisor, CustomerCue::Supervisor),
        ] {
            for p in list {
                customer.insert(p, cue);
            }
        }
        for code in FindingCode::ALL {
            if !d.findings.contains_key(code) {
                return Err(data_error(
                    &format!("findings.{code}"),
                    "every finding code needs an entry",
                ));
            }
        }
        for &a in Approach::ALL {
            let w = d
                .weights
                .get(&a)
                .ok_or_else(|| data_error(&format!("weights.{a}"), "missing"))?;
            let sum = u32::from(w.empathy)
                + u32::from(w.action)
                + u32::from(w.tone)
                + u32::from(w.clarity)
                + u32::from(w.personalization)
                + u32::from(w.fit);
            if sum != 100 {
                return Err(data_error(
                    &format!("weights.{a}"),
                    format!("weights must sum to 100, got {sum}"),
                ));
            }
        }
        let stopwords = d
            .conversation
            .stopwords
            .iter()
            .map(|w| (crate::text::stem(&w.to_lowercase()).to_string(), ()))
            .collect();
        Ok(Lexicon {
            cues,
            customer,
            stopwords,
            caps_allowed: d
                .service
                .caps_allowed
                .iter()
                .map(|w| (w.clone(), ()))
                .collect(),
            double_allowed: d
                .service
                .double_allowed
                .iter()
                .map(|w| (w.to_lowercase(), ()))
                .collect(),
            limits: d.conversation.limits,
            findings: d.findings,
            weights: d.weights,
            caps: d.caps.problems,
            suggestions: d.suggestions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_parses() {
        let lex = lexicon().map_err(|e| e.to_string());
        assert!(lex.is_ok(), "{lex:?}");
    }
}
