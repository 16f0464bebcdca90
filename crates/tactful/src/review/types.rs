//! The review's public result types: finding codes, severities, spans and the scored
//! [`ReplyReview`]. Kept apart from the engine so callers and the FFI read one small file.

use serde::{Deserialize, Serialize};

use crate::{Approach, Empathy};

crate::types::vocabulary! {
    /// What a review [`Finding`] is about: a stable `snake_case` code, e.g. `no_ownership`.
    ///
    /// Serialized as its name (`"blame"`); [`Self::as_str`] and `FromStr` convert both ways,
    /// and [`ReplyReview::has`] looks one up. Codes are never renamed or reused; new ones are
    /// only added.
    ///
    /// ```
    /// use tactful::FindingCode;
    /// assert_eq!(FindingCode::NoOwnership.as_str(), "no_ownership");
    /// assert_eq!("blame".parse::<FindingCode>()?, FindingCode::Blame);
    /// assert!("no_such_code".parse::<FindingCode>().is_err());
    /// # Ok::<(), tactful::Error>(())
    /// ```
    FindingCode, "finding code" {
        /// The reply never says what the agent will do.
        NoOwnership = "no_ownership" = 0,
        /// No concrete next step.
        NoNextStep = "no_next_step" = 1,
        /// A next step without "when".
        NoTimeFrame = "no_time_frame" = 2,
        /// The customer's name is known and not used.
        NotPersonalized = "not_personalized" = 3,
        /// A repeat contact is not acknowledged.
        IgnoresHistory = "ignores_history" = 4,
        /// A playbook jargon term.
        Jargon = "jargon" = 5,
        /// A playbook canned phrase.
        CannedPhrase = "canned_phrase" = 6,
        /// A line already sent earlier in the conversation.
        RepeatedLine = "repeated_line" = 7,
        /// Blames the customer ("you should have").
        Blame = "blame" = 8,
        /// Defends the company ("as I already said").
        Defensive = "defensive" = 9,
        /// Belittles the problem ("calm down") or apologizes for the customer's feelings ("sorry you feel that way").
        Minimizing = "minimizing" = 10,
        /// "we can't" with no "what I can do".
        NegativeWithoutAlternative = "negative_without_alternative" = 11,
        /// Cheerful tone to an upset customer.
        CheerfulToAngry = "cheerful_to_angry" = 12,
        /// Shouting in capitals.
        AllCaps = "all_caps" = 13,
        /// "the the".
        RepeatedWord = "repeated_word" = 14,
        /// A sentence starts in lower case.
        MissingCapital = "missing_capital" = 15,
        /// "!!!", "?!".
        ExcessivePunctuation = "excessive_punctuation" = 16,
        /// More words than the channel allows.
        TooLongForChannel = "too_long_for_channel" = 17,
        /// Fewer words than the channel needs.
        TooShortForChannel = "too_short_for_channel" = 18,
        /// Resolve-first situation, apology sentences come before the action.
        ApologyBeforeAction = "apology_before_action" = 19,
        /// Apology but no action at all (empathy covering poor service).
        ApologyWithoutAction = "apology_without_action" = 20,
        /// A customer who needs to be heard gets only a fix.
        NoAcknowledgement = "no_acknowledgement" = 21,
        /// Less empathy than the situation calls for.
        TooLittleEmpathy = "too_little_empathy" = 22,
        /// A data-driven customer gets feelings, no facts.
        FeelingsWithoutFacts = "feelings_without_facts" = 23,
        /// A policy conflict without the allowed alternatives.
        PolicyWithoutAlternatives = "policy_without_alternatives" = 24,
        /// Three or more apologies.
        OverApologizing = "over_apologizing" = 25,
        /// The customer asked for a supervisor; the reply ignores it.
        IgnoresSupervisorRequest = "ignores_supervisor_request" = 26,
        /// Asks for a password, PIN, CVV, one-time code.
        AsksForCredentials = "asks_for_credentials" = 27,
        /// Asks for personal data on a public channel.
        PrivateDataInPublic = "private_data_in_public" = 28,
        /// (conversations) a long wait is not acknowledged.
        NoWaitAcknowledgement = "no_wait_acknowledgement" = 29,
        /// Troubleshooting asked of an upset customer ("have you tried restarting…?") before
        /// any acknowledgement. The agent's own action ("I'm resetting your line") is not this.
        ScriptedTroubleshooting = "scripted_troubleshooting" = 30,
        /// Asks for something the customer already gave (the order number, the amount, the date).
        AsksAgain = "asks_again" = 31,
        /// Sympathy wrapped around a "no" with no alternative: empathy covering a refusal.
        EmpathyCoveringRefusal = "empathy_covering_refusal" = 32,
    }
}

/// The names of every [`FindingCode`], in the order of [`FindingCode::ALL`].
pub const FINDING_CODES: &[&str] = &[
    "no_ownership",
    "no_next_step",
    "no_time_frame",
    "not_personalized",
    "ignores_history",
    "jargon",
    "canned_phrase",
    "repeated_line",
    "blame",
    "defensive",
    "minimizing",
    "negative_without_alternative",
    "cheerful_to_angry",
    "all_caps",
    "repeated_word",
    "missing_capital",
    "excessive_punctuation",
    "too_long_for_channel",
    "too_short_for_channel",
    "apology_before_action",
    "apology_without_action",
    "no_acknowledgement",
    "too_little_empathy",
    "feelings_without_facts",
    "policy_without_alternatives",
    "over_apologizing",
    "ignores_supervisor_request",
    "asks_for_credentials",
    "private_data_in_public",
    "no_wait_acknowledgement",
    "scripted_troubleshooting",
    "asks_again",
    "empathy_covering_refusal",
];

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Worth knowing; the reply can go out.
    Info,
    /// Should be fixed before sending.
    Warning,
    /// Will likely make things worse; caps the score.
    Problem,
}

impl Severity {
    /// The stable `snake_case` name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Problem => "problem",
        }
    }
}

/// A span of the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Span {
    /// Byte offset of the first byte, on a char boundary.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// `draft[start..end]`; a span longer than 200 bytes carries its first 200 bytes (cut at a
    /// char boundary) followed by `…`.
    pub text: String,
}

/// One empathy mechanism's level with the spans behind it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MechanismScore {
    /// 0 (none), 1 (weak) or 2 (strong).
    pub level: u8,
    /// The cues found.
    pub spans: Vec<Span>,
}

/// The three EPITOME empathy communication mechanisms.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmpathyMechanisms {
    /// Expressing warmth, compassion, concern ("I'm so sorry").
    pub emotional_reactions: MechanismScore,
    /// Showing understanding of the feelings or situation ("that must be worrying").
    pub interpretations: MechanismScore,
    /// Asking about what the customer feels or needs ("what would help most?").
    pub explorations: MechanismScore,
}

impl EmpathyMechanisms {
    /// Sum of the three levels, 0..=6 (comparable with EPITOME's total).
    pub fn total(&self) -> u8 {
        self.emotional_reactions.level + self.interpretations.level + self.explorations.level
    }
}

/// One part of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Part {
    /// 0..=100.
    pub score: u8,
    /// Weight of this part in the total for the approach judged against (weights sum to 100).
    pub weight: u8,
}

/// The parts that make up [`ReplyReview::score`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScoreParts {
    /// The amount of empathy fits what the situation calls for.
    pub empathy: Part,
    /// Ownership, a concrete next step and a time frame.
    pub action: Part,
    /// No blame, defensiveness, minimizing, canned or negative phrasing.
    pub tone: Part,
    /// Plain language, no writing slips, a length that suits the channel.
    pub clarity: Part,
    /// Uses the name and acknowledges earlier contacts.
    pub personalization: Part,
    /// Fits the situation: action first when money is at risk, acknowledgement first when venting.
    pub fit: Part,
}

/// Service quality signals found in the draft.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceSignals {
    /// First-person commitments ("I'll refund", "I've already blocked").
    pub ownership: Vec<Span>,
    /// What happens next ("you will receive", or an ownership commitment).
    pub next_step: Vec<Span>,
    /// When ("within 24 hours", "by Friday", "right now").
    pub time_frame: Vec<Span>,
    /// The customer's name or a reference to earlier contacts.
    pub personalization: Vec<Span>,
    /// Alternatives offered ("what I can do is", an allowed alternative).
    pub alternatives: Vec<Span>,
    /// Acknowledgements of the customer's experience ("you're right", "that shouldn't have
    /// happened"), besides the empathy mechanisms.
    pub acknowledgement: Vec<Span>,
}

/// One thing to look at in the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// What it is about; serialized as its stable `snake_case` name.
    pub code: FindingCode,
    /// How serious it is.
    pub severity: Severity,
    /// A sentence for people.
    pub message: String,
    /// Byte offset in the draft (the whole draft for findings about the reply as a whole).
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
}

/// The review of a draft reply: see [`Engine::review_reply`](crate::Engine::review_reply).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReplyReview {
    /// Overall quality 0..=100: the weighted parts, capped when there are problems.
    pub score: u8,
    /// The parts of the score.
    pub parts: ScoreParts,
    /// The three empathy mechanisms.
    pub empathy: EmpathyMechanisms,
    /// Ownership, next step, time frame, personalization and alternatives found.
    pub signals: ServiceSignals,
    /// What to look at, in the order of the draft (whole-reply findings last).
    pub findings: Vec<Finding>,
    /// Concrete changes to make, most important first.
    pub suggestions: Vec<String>,
    /// The approach the draft was judged against.
    pub approach: Approach,
    /// The amount of empathy the situation calls for.
    pub expected_empathy: Empathy,
    /// Words in the draft.
    pub words: usize,
    /// Findings left out because their code already had [`MAX_FINDINGS_PER_CODE`] (the first
    /// ones, in the draft's order, are kept). They still count in the score. 0 when nothing
    /// was left out; absent in JSON written before this field existed.
    #[serde(default)]
    pub findings_omitted: usize,
}

/// The most findings of one code a [`ReplyReview`] lists: a draft of a million repeated
/// words gets 20 `repeated_word` findings and [`ReplyReview::findings_omitted`] counts the rest.
pub const MAX_FINDINGS_PER_CODE: usize = 20;

/// The most spans of one kind (one signal, one empathy mechanism) a review carries.
pub(super) const MAX_SPANS_PER_SIGNAL: usize = 8;

impl ReplyReview {
    /// True when a finding with this code is present.
    pub fn has(&self, code: FindingCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// The review as compact JSON.
    pub fn to_json(&self) -> String {
        // Plain structs of strings and numbers always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_documented_once() {
        let mut v = FINDING_CODES.to_vec();
        v.sort_unstable();
        v.dedup();
        assert_eq!(v.len(), FINDING_CODES.len());
    }

    #[test]
    fn finding_codes_serialize_as_their_names() {
        let names: Vec<&str> = FindingCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, FINDING_CODES);
        assert_eq!(FindingCode::ALL.len(), 33);
        for (i, &c) in FindingCode::ALL.iter().enumerate() {
            assert_eq!(c.code(), i as u32);
            assert_eq!(FindingCode::from_code(c.code()), Some(c));
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
            assert_eq!(c.as_str().parse::<FindingCode>(), Ok(c));
            assert_eq!(c.to_string(), c.as_str());
        }
        assert_eq!(FindingCode::from_code(33), None);
        assert_eq!(
            FindingCode::TooLongForChannel.as_str(),
            "too_long_for_channel"
        );
        assert_eq!(
            "Blame".parse::<FindingCode>().unwrap_err().to_string(),
            format!(
                "unknown finding code `Blame`; expected one of: {}",
                FINDING_CODES.join(", ")
            )
        );
    }
}
