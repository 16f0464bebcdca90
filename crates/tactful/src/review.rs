//! Reply review: checks an agent's draft against the customer's situation before it is sent.
//!
//! The review is transparent and deterministic: cue lexicons (the embedded
//! `data/review.toml`, plus the playbook's `canned_phrases`, `jargon` and channel word limits)
//! are matched in one pass over the draft's word stems, and a handful of rules compare what
//! the draft does with what the situation calls for (the [`Recommendation`]).
//!
//! What it reports:
//! - **Empathy mechanisms** after EPITOME (Sharma et al. 2020): emotional reactions,
//!   interpretations and explorations, each 0 (none), 1 (weak) or 2 (strong), with spans.
//! - **Service signals** with spans: ownership, next step, time frame, personalization,
//!   alternatives.
//! - **Findings** with stable codes (see [`FindingCode`]), a severity and a span.
//! - **A score** 0–100 made of six weighted parts, and concrete suggestions.

use std::collections::BTreeMap;

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

use self::words::{Doc, Phrases as PhraseSet};
use crate::resources::Inner;
use crate::{Approach, Assessment, Context, Emotion, Empathy, Engine, Error, Flag, Stance, Style};

static REVIEW_TOML: &str = include_str!("../data/review.toml");

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

// ---------------------------------------------------------------------------------------
// Public result types.

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

/// The review of a draft reply: see [`Engine::review_reply`].
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
const MAX_SPANS_PER_SIGNAL: usize = 8;

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

// ---------------------------------------------------------------------------------------
// The data file.

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
struct FindingSpec {
    severity: Severity,
    part: PartName,
    penalty: u8,
    /// The highest total a reply with this finding can get (none: no cap).
    #[serde(default)]
    cap: Option<u8>,
    message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum PartName {
    Empathy,
    Action,
    Tone,
    Clarity,
    Personalization,
    Fit,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightSpec {
    empathy: u8,
    action: u8,
    tone: u8,
    clarity: u8,
    personalization: u8,
    fit: u8,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CapsSpec {
    problems: Vec<u8>,
}

/// What a phrase of the review lexicon signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Cue {
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
    const fn bit(self) -> u64 {
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
    cues: PhraseSet<Cue>,
    pub(crate) customer: PhraseSet<CustomerCue>,
    pub(crate) stopwords: crate::flat_map::FlatSet<String>,
    pub(crate) limits: ConversationLimits,
    findings: BTreeMap<FindingCode, FindingSpec>,
    weights: BTreeMap<Approach, WeightSpec>,
    caps: Vec<u8>,
    suggestions: BTreeMap<String, String>,
    caps_allowed: crate::flat_map::FlatSet<String>,
    double_allowed: crate::flat_map::FlatSet<String>,
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

// ---------------------------------------------------------------------------------------
// What the draft is judged against.

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

// ---------------------------------------------------------------------------------------
// The Engine calls.

impl Engine {
    /// Reviews an agent's draft reply to the customer's message.
    ///
    /// The customer's text is assessed first (see [`Engine::assess`]); the draft is then judged
    /// against that situation and its recommendation. Use [`Engine::review_reply_for`] when you
    /// already have the assessment.
    ///
    /// Errors: [`Error::EmptyInput`] or [`Error::InputTooLarge`] for either text,
    /// [`Error::InvalidContext`].
    ///
    /// ```
    /// use tactful::{Context, Engine, FindingCode};
    /// let engine = Engine::default();
    /// let ctx = Context::builder().customer_name("Maria").build()?;
    /// let r = engine.review_reply(
    ///     "Someone took $450 from my card, I did not make this payment!",
    ///     "We apologize for any inconvenience. Please be advised that you should have kept your card safe.",
    ///     &ctx,
    /// )?;
    /// assert!(r.has(FindingCode::Blame));
    /// assert!(r.has(FindingCode::CannedPhrase));
    /// assert!(r.score < 60, "{}", r.score);
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn review_reply(
        &self,
        customer_text: &str,
        draft: &str,
        ctx: &Context,
    ) -> Result<ReplyReview, Error> {
        self.check_draft(draft)?;
        let a = self.assess(customer_text, ctx)?;
        self.review_reply_for(&a, draft, ctx)
    }

    /// Reviews a draft against an existing assessment of the customer's message (for example
    /// one a supervisor edited, or one from a conversation).
    ///
    /// ```
    /// use tactful::{Context, Engine, FindingCode};
    /// let engine = Engine::default();
    /// let ctx = Context::default();
    /// let a = engine.assess("My order #5512 arrived broken.", &ctx)?;
    /// let r = engine.review_reply_for(&a, "I'm sorry it arrived broken. I've just sent a replacement; it will arrive by Friday.", &ctx)?;
    /// assert!(!r.has(FindingCode::NoOwnership));
    /// assert!(!r.signals.time_frame.is_empty());
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn review_reply_for(
        &self,
        assessment: &Assessment,
        draft: &str,
        ctx: &Context,
    ) -> Result<ReplyReview, Error> {
        self.check_draft(draft)?;
        ctx.validate()?;
        review(
            self.inner(),
            &Target::of(assessment),
            draft,
            ctx,
            &Extras::default(),
        )
    }

    /// The three empathy mechanisms of a text alone, without a situation.
    ///
    /// ```
    /// let e = tactful::Engine::default().empathy_mechanisms("I'm so sorry. That must be scary. How are you holding up?")?;
    /// assert_eq!(e.emotional_reactions.level, 2);
    /// assert_eq!(e.interpretations.level, 2);
    /// assert!(e.explorations.level >= 1);
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn empathy_mechanisms(&self, text: &str) -> Result<EmpathyMechanisms, Error> {
        self.check_draft(text)?;
        let lex = lexicon()?;
        let doc = Doc::new(text);
        let m = Matches::find(lex, &doc);
        Ok(empathy_of(&doc, &m))
    }

    pub(crate) fn check_draft(&self, draft: &str) -> Result<(), Error> {
        if draft.len() > self.max_input_bytes() {
            return Err(Error::InputTooLarge {
                len: draft.len(),
                max: self.max_input_bytes(),
            });
        }
        if draft.trim().is_empty() {
            return Err(Error::EmptyInput);
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Matching.

#[derive(Debug, Clone, Copy)]
struct M {
    first: usize,
    last: usize,
    cue: Cue,
}

struct Matches {
    list: Vec<M>,
    /// Per token, the cues that start there.
    starts: Vec<u64>,
    /// Per sentence, the cues that start in it.
    sent_bits: Vec<u64>,
    /// All cues found anywhere.
    any: u64,
}

impl Matches {
    fn find(lex: &Lexicon, doc: &Doc<'_>) -> Matches {
        let mut list = Vec::with_capacity(doc.tokens.len());
        let mut starts = vec![0u64; doc.tokens.len()];
        let mut any = 0u64;
        let mut sent_bits = vec![0u64; doc.sentences.len().max(1)];
        lex.cues.for_each_match(doc, |m| {
            let cue = *m.value;
            if let Some(s) = starts.get_mut(m.first) {
                *s |= cue.bit();
            }
            if let Some(b) = doc
                .tokens
                .get(m.first)
                .and_then(|t| sent_bits.get_mut(t.sentence as usize))
            {
                *b |= cue.bit();
            }
            any |= cue.bit();
            list.push(M {
                first: m.first,
                last: m.last,
                cue,
            });
        });
        Matches {
            list,
            starts,
            sent_bits,
            any,
        }
    }

    /// True when a match of `cue` starts in sentence `s`.
    fn in_sentence(&self, s: u32, cue: Cue) -> bool {
        self.sent_bits
            .get(s as usize)
            .is_some_and(|b| b & cue.bit() != 0)
    }

    /// Matches whose first token is in `range` (the list is in token order).
    fn starting_in(&self, range: std::ops::Range<usize>) -> &[M] {
        let a = self.list.partition_point(|m| m.first < range.start);
        let b = self.list.partition_point(|m| m.first < range.end);
        self.list.get(a..b.max(a)).unwrap_or(&[])
    }

    fn has(&self, cue: Cue) -> bool {
        self.any & cue.bit() != 0
    }

    fn at(&self, i: usize, cue: Cue) -> bool {
        self.starts.get(i).is_some_and(|s| s & cue.bit() != 0)
    }

    /// The longest match of `cue` starting at token `i`.
    fn longest_at(&self, i: usize, cue: Cue) -> Option<M> {
        if !self.at(i, cue) {
            return None;
        }
        self.starting_in(i..i + 1)
            .iter()
            .filter(|m| m.cue == cue)
            .max_by_key(|m| m.last)
            .copied()
    }

    fn of(&self, cue: Cue) -> impl Iterator<Item = &M> + '_ {
        self.list.iter().filter(move |m| m.cue == cue)
    }
}

fn span_of(doc: &Doc<'_>, first: usize, last: usize) -> Option<Span> {
    let a = doc.tokens.get(first)?.start;
    let b = doc.tokens.get(last.checked_sub(1)?)?.end;
    Some(Span {
        start: a,
        end: b,
        text: crate::text::excerpt(doc.text.get(a..b)?),
    })
}

fn byte_span(text: &str, start: usize, end: usize) -> Option<Span> {
    Some(Span {
        start,
        end,
        text: crate::text::excerpt(text.get(start..end)?),
    })
}

/// Spans of matches, longest first at each position, without nested duplicates.
fn spans(doc: &Doc<'_>, ms: impl Iterator<Item = (usize, usize)>, cap: usize) -> Vec<Span> {
    let mut v: Vec<(usize, usize)> = ms.collect();
    v.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out: Vec<Span> = Vec::new();
    let mut covered_to = 0usize;
    let mut first = true;
    for (a, b) in v {
        if !first && b <= covered_to {
            continue;
        }
        first = false;
        covered_to = covered_to.max(b);
        if let Some(s) = span_of(doc, a, b) {
            out.push(s);
        }
        if out.len() >= cap {
            break;
        }
    }
    out
}

fn sentence_is_question(doc: &Doc<'_>, sentence: u32) -> bool {
    doc.sentences
        .get(sentence as usize)
        .and_then(|&(a, b)| doc.text.get(a..b))
        .is_some_and(|s| s.contains('?'))
}

/// Words from which a sentence is taken to be about something specific.
const SPECIFIC_SENTENCE_WORDS: usize = 8;

/// Words in the sentence holding token `i`.
fn sentence_len(doc: &Doc<'_>, i: usize) -> usize {
    let Some(s) = doc.tokens.get(i).map(|t| t.sentence) else {
        return 0;
    };
    // Tokens are in order: count around `i` without scanning the whole text.
    let before = doc.tokens[..i]
        .iter()
        .rev()
        .take_while(|t| t.sentence == s)
        .count();
    let after = doc.tokens[i..]
        .iter()
        .take_while(|t| t.sentence == s)
        .count();
    before + after
}

fn empathy_of(doc: &Doc<'_>, m: &Matches) -> EmpathyMechanisms {
    let level_spans = |weak: Cue, strong: Cue| -> MechanismScore {
        let mut level = 0u8;
        let mut v = Vec::new();
        for x in m.list.iter().filter(|x| x.cue == weak || x.cue == strong) {
            level = level.max(if x.cue == strong { 2 } else { 1 });
            v.push((x.first, x.last));
        }
        MechanismScore {
            level,
            spans: spans(doc, v.into_iter(), 8),
        }
    };
    let emotional_reactions = level_spans(Cue::Er1, Cue::Er2);
    let mut interpretations = level_spans(Cue::Ip1, Cue::Ip2);
    // A generic claim of understanding becomes specific when the sentence goes on to name
    // what is understood ("I understand how hard it is to lose a job like that").
    if interpretations.level == 1
        && m.list
            .iter()
            .any(|x| x.cue == Cue::Ip1 && sentence_len(doc, x.first) >= SPECIFIC_SENTENCE_WORDS)
    {
        interpretations.level = 2;
    }
    // Explorations count only as questions (or explicit invitations), and not when the
    // question is advice in disguise ("have you tried …?").
    let mut level = 0u8;
    let mut v = Vec::new();
    for x in &m.list {
        let lvl = match x.cue {
            Cue::Invitation => 2,
            Cue::Ex2 | Cue::Ex1 => {
                let sentence = doc.tokens.get(x.first).map_or(0, |t| t.sentence);
                if !sentence_is_question(doc, sentence) || m.at(x.first, Cue::Suggestion) {
                    continue;
                }
                // A generic question ("What happened?") is weak; a longer one asks about
                // something specific and counts as strong.
                if x.cue == Cue::Ex2 || sentence_len(doc, x.first) >= SPECIFIC_SENTENCE_WORDS {
                    2
                } else {
                    1
                }
            }
            _ => continue,
        };
        level = level.max(lvl);
        v.push((x.first, x.last));
    }
    EmpathyMechanisms {
        emotional_reactions,
        interpretations,
        explorations: MechanismScore {
            level,
            spans: spans(doc, v.into_iter(), 8),
        },
    }
}

/// First-person commitments: a subject, optional auxiliaries, then an action verb, with no
/// negation in between ("I'll refund", "I have just now sent", not "I can't refund").
fn ownership(doc: &Doc<'_>, m: &Matches) -> (Vec<(usize, usize)>, bool) {
    let mut out = Vec::new();
    let mut personal = false;
    for c in m.of(Cue::Commitment) {
        out.push((c.first, c.last));
        personal |= doc.lower(c.first).starts_with('i') || doc.lower(c.first) == "what";
    }
    for s in m
        .list
        .iter()
        .filter(|x| x.cue == Cue::FirstPerson || x.cue == Cue::Team)
    {
        let mut j = s.last;
        let limit = (s.last + 5).min(doc.tokens.len());
        let mut found = None;
        while j < limit {
            if m.at(j, Cue::Negation) {
                break;
            }
            if let Some(a) = m.longest_at(j, Cue::Action) {
                found = Some(a.last);
                break;
            }
            if !m.at(j, Cue::Aux) {
                break;
            }
            j += 1;
        }
        if let Some(end) = found {
            // A commitment never crosses a sentence boundary.
            let same = doc.tokens.get(s.first).map(|t| t.sentence)
                == doc.tokens.get(end.saturating_sub(1)).map(|t| t.sentence);
            if same {
                personal |= s.cue == Cue::FirstPerson;
                out.push((s.first, end));
            }
        }
    }
    (out, personal)
}

fn time_frames(doc: &Doc<'_>, m: &Matches) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = m.of(Cue::Timeframe).map(|x| (x.first, x.last)).collect();
    for u in m.of(Cue::TimeUnit) {
        let before = u.first.checked_sub(1);
        let quantities = m.starting_in(u.first.saturating_sub(4)..u.first);
        let quantity_before = before.is_some_and(|b| {
            doc.tokens.get(b).is_some_and(|t| t.has_digit)
                || quantities
                    .iter()
                    .any(|q| q.cue == Cue::TimeQuantity && q.last == u.first)
        });
        let digit_after = doc.tokens.get(u.last).is_some_and(|t| t.has_digit);
        if quantity_before {
            let start = quantities
                .iter()
                .filter(|q| q.cue == Cue::TimeQuantity && q.last == u.first)
                .map(|q| q.first)
                .min()
                .unwrap_or(u.first.saturating_sub(1));
            out.push((start, u.last));
        } else if digit_after {
            out.push((u.first, u.last + 1));
        }
    }
    // Clock times written as one token: "5pm", "10am".
    for (i, t) in doc.tokens.iter().enumerate() {
        if t.has_digit {
            let l = doc.lower(i);
            if (l.ends_with("am") || l.ends_with("pm"))
                && l.as_bytes().first().is_some_and(u8::is_ascii_digit)
            {
                out.push((i, i + 1));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Substring search for playbook lists (compiled per call: cheap, no per-engine state).

fn is_word_byte(b: Option<&u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
}

/// Whole-word occurrences of `needle` in `hay` (both already in the same case).
fn find_words(hay: &str, needle: &str, allow_plural: bool, mut f: impl FnMut(usize, usize)) {
    if needle.is_empty() {
        return;
    }
    let hb = hay.as_bytes();
    let mut from = 0;
    while let Some(pos) = hay.get(from..).and_then(|h| h.find(needle)) {
        let a = from + pos;
        let mut b = a + needle.len();
        let ok_before = a == 0 || !is_word_byte(hb.get(a - 1));
        if allow_plural && hb.get(b) == Some(&b's') && !is_word_byte(hb.get(b + 1)) {
            b += 1;
        }
        if ok_before && !is_word_byte(hb.get(b)) {
            f(a, b);
        }
        from = a + needle.len().max(1);
        while from < hay.len() && !hay.is_char_boundary(from) {
            from += 1;
        }
    }
}

/// The playbook's canned phrases and jargon, compiled for matching. Compiled once per thread
/// and playbook content (a hash of the lists), so engines never pay for it twice and no
/// per-engine state is needed.
struct PlaybookCues {
    /// Canned phrases and jargon in one set: one lookup per word for both.
    set: PhraseSet<PbCue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PbCue {
    Canned,
    /// The payload: the term is an acronym, matched only in capitals.
    Jargon(bool),
}

fn playbook_key(pb: &crate::Playbook) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    pb.canned_phrases.hash(&mut h);
    0xffu8.hash(&mut h);
    pb.jargon.hash(&mut h);
    h.finish()
}

fn playbook_cues(pb: &crate::Playbook) -> std::rc::Rc<PlaybookCues> {
    use std::cell::RefCell;
    use std::rc::Rc;
    thread_local! {
        static CACHE: RefCell<Vec<(u64, Rc<PlaybookCues>)>> = const { RefCell::new(Vec::new()) };
    }
    let key = playbook_key(pb);
    CACHE.with(|c| {
        if let Some((_, v)) = c.borrow().iter().find(|(k, _)| *k == key) {
            return Rc::clone(v);
        }
        let mut set = PhraseSet::default();
        for p in &pb.canned_phrases {
            set.insert(p, PbCue::Canned);
        }
        for t in &pb.jargon {
            let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
            let acronym = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
            set.insert(t, PbCue::Jargon(acronym));
        }
        let v = Rc::new(PlaybookCues { set });
        let mut cache = c.borrow_mut();
        // A process rarely uses more than a few playbooks; keep the cache small.
        if cache.len() >= 8 {
            cache.remove(0);
        }
        cache.push((key, Rc::clone(&v)));
        v
    })
}

// ---------------------------------------------------------------------------------------
// The review itself.

struct Builder<'l> {
    lex: &'l Lexicon,
    draft: &'l str,
    findings: Vec<Finding>,
    penalties: [u32; 6],
    /// Suggestions with the severity of the finding that asked for them.
    suggestions: Vec<(Severity, String)>,
    /// Severity of the last finding added (suggestions follow their finding).
    last: Severity,
    /// The last finding was left out ([`MAX_FINDINGS_PER_CODE`]): so is its suggestion.
    last_omitted: bool,
    /// Findings kept per code.
    per_code: Vec<(FindingCode, usize)>,
    /// Findings left out, and how many of them were problems.
    omitted: usize,
    omitted_problems: usize,
    /// The lowest `cap` of the findings added (100: none).
    cap: u32,
    vars: Vars,
}

#[derive(Default)]
struct Vars {
    opening: String,
    timeframe: String,
    alternatives: String,
}

fn part_index(p: PartName) -> usize {
    match p {
        PartName::Empathy => 0,
        PartName::Action => 1,
        PartName::Tone => 2,
        PartName::Clarity => 3,
        PartName::Personalization => 4,
        PartName::Fit => 5,
    }
}

impl Builder<'_> {
    fn add(&mut self, code: FindingCode, start: usize, end: usize, x: &str) {
        let Some(spec) = self.lex.findings.get(&code) else {
            return;
        };
        let kept = match self.per_code.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => n,
            None => {
                self.per_code.push((code, 0));
                // Just pushed: the last entry exists.
                let Some((_, n)) = self.per_code.last_mut() else {
                    return;
                };
                n
            }
        };
        // One penalty per code and part: ten jargon words do not zero the clarity score twice.
        // Findings left out still count, so the score does not depend on the cap.
        let penalty = if *kept == 0 {
            u32::from(spec.penalty)
        } else {
            u32::from(spec.penalty) / 3
        };
        let p = &mut self.penalties[part_index(spec.part)];
        *p = p.saturating_add(penalty);
        if let Some(c) = spec.cap {
            self.cap = self.cap.min(u32::from(c));
        }
        self.last = spec.severity;
        if *kept >= MAX_FINDINGS_PER_CODE {
            self.omitted += 1;
            self.omitted_problems += usize::from(spec.severity == Severity::Problem);
            self.last_omitted = true;
            return;
        }
        *kept += 1;
        self.last_omitted = false;
        self.findings.push(Finding {
            code,
            severity: spec.severity,
            message: spec.message.replace("{x}", &crate::text::excerpt(x)),
            start,
            end,
        });
    }

    fn add_whole(&mut self, code: FindingCode, x: &str) {
        let end = self.draft.len();
        self.add(code, 0, end, x);
    }

    fn suggest(&mut self, key: &str, x: &str) {
        if self.last_omitted {
            return;
        }
        let Some(t) = self.lex.suggestions.get(key) else {
            return;
        };
        if (t.contains("{opening}") && self.vars.opening.is_empty())
            || (t.contains("{timeframe}") && self.vars.timeframe.is_empty())
        {
            return;
        }
        let s = t
            .replace("{x}", x)
            .replace("{opening}", &self.vars.opening)
            .replace("{timeframe}", &self.vars.timeframe)
            .replace("{alternatives}", &self.vars.alternatives);
        // One suggestion quoting the recommended opening is enough.
        if t.contains("{opening}")
            && self
                .suggestions
                .iter()
                .any(|(_, x)| x.contains(self.vars.opening.as_str()))
        {
            return;
        }
        match self.suggestions.iter_mut().find(|(_, x)| *x == s) {
            Some(existing) => existing.0 = existing.0.max(self.last),
            None => self.suggestions.push((self.last, s)),
        }
    }
}

fn needs_action(a: Approach) -> bool {
    matches!(
        a,
        Approach::ResolveFirst
            | Approach::EmpathizeThenResolve
            | Approach::Deescalate
            | Approach::Retain
    )
}

/// The review: one pass of matching, then rules.
pub(crate) fn review(
    inner: &Inner,
    t: &Target<'_>,
    draft: &str,
    ctx: &Context,
    extras: &Extras<'_>,
) -> Result<ReplyReview, Error> {
    let lex = lexicon()?;
    let pb = &inner.playbook;
    let doc = Doc::new(draft);
    let m = Matches::find(lex, &doc);
    let empathy = empathy_of(&doc, &m);
    let words = doc.tokens.len();

    let mut b = Builder {
        lex,
        draft,
        findings: Vec::new(),
        penalties: [0; 6],
        suggestions: Vec::new(),
        last: Severity::Info,
        last_omitted: false,
        per_code: Vec::new(),
        omitted: 0,
        omitted_problems: 0,
        cap: 100,
        vars: Vars::default(),
    };
    b.vars.opening = t.opening.trim().to_string();
    b.vars.timeframe = pb
        .category(t.category)
        .map(|c| c.timeframe.trim().to_string())
        .unwrap_or_default();
    b.vars.alternatives = if ctx.allowed_alternatives.is_empty() {
        ctx.max_gesture.clone().unwrap_or_default()
    } else {
        ctx.allowed_alternatives.join(", ")
    };

    // --- service signals -------------------------------------------------------------
    let (own, personal_ownership) = ownership(&doc, &m);
    let own_spans = spans(&doc, own.iter().copied(), 8);
    let mut next: Vec<(usize, usize)> = m.of(Cue::NextStep).map(|x| (x.first, x.last)).collect();
    next.extend(own.iter().copied());
    let next_spans = spans(&doc, next.iter().copied(), 8);
    let tf = time_frames(&doc, &m);
    let tf_spans = spans(&doc, tf.iter().copied(), 8);

    let mut personalization = Vec::new();
    let name = ctx.name().and_then(|n| n.split_whitespace().next());
    let mut name_used = false;
    if let Some(n) = name {
        let n_lower = n.to_lowercase();
        for i in 0..doc.tokens.len() {
            if doc.lower(i) == n_lower {
                name_used = true;
                if personalization.len() >= MAX_SPANS_PER_SIGNAL {
                    break;
                }
                if let Some(sp) = span_of(&doc, i, i + 1) {
                    personalization.push(sp);
                }
            }
        }
    }
    let lower = if ctx.allowed_alternatives.is_empty() && ctx.max_gesture.is_none() {
        String::new()
    } else {
        draft.to_ascii_lowercase()
    };
    let history_spans = spans(&doc, m.of(Cue::History).map(|x| (x.first, x.last)), 4);
    personalization.extend(history_spans.iter().cloned());

    let mut alt: Vec<Span> = spans(&doc, m.of(Cue::Alternative).map(|x| (x.first, x.last)), 6);
    let mut allowed_named = false;
    for a in &ctx.allowed_alternatives {
        let a_lower = a.trim().to_ascii_lowercase();
        if a_lower.is_empty() {
            continue;
        }
        find_words(&lower, &a_lower, false, |s, e| {
            allowed_named = true;
            if alt.len() < MAX_SPANS_PER_SIGNAL * 4 {
                if let Some(sp) = byte_span(draft, s, e) {
                    alt.push(sp);
                }
            }
        });
    }
    if let Some(g) = &ctx.max_gesture {
        let g_lower = g.trim().to_ascii_lowercase();
        find_words(&lower, &g_lower, false, |s, e| {
            allowed_named = true;
            if alt.len() < MAX_SPANS_PER_SIGNAL * 4 {
                if let Some(sp) = byte_span(draft, s, e) {
                    alt.push(sp);
                }
            }
        });
    }
    alt.sort_by_key(|s| (s.start, s.end));
    alt.dedup();
    alt.truncate(MAX_SPANS_PER_SIGNAL);

    // --- tone: blame, defensiveness, minimizing, canned, negative framing -------------
    for (cue, code, sug) in [
        (Cue::Blame, FindingCode::Blame, "remove_blame"),
        (Cue::Defensive, FindingCode::Defensive, "remove_defensive"),
        (
            Cue::Minimizing,
            FindingCode::Minimizing,
            "remove_minimizing",
        ),
    ] {
        for s in spans(&doc, m.of(cue).map(|x| (x.first, x.last)), 4) {
            b.add(code, s.start, s.end, &s.text);
            b.suggest(sug, &s.text);
        }
    }
    let pc = playbook_cues(pb);
    let mut canned_hits: Vec<(usize, usize)> = Vec::new();
    let mut jargon_hits: Vec<(usize, usize)> = Vec::new();
    pc.set.for_each_match(&doc, |x| match *x.value {
        PbCue::Canned => canned_hits.push((x.first, x.last)),
        // An acronym ("SLA", "MID") is jargon only in capitals: "mid-week" is not.
        PbCue::Jargon(acronym) => {
            if !acronym || (x.first..x.last).all(|i| doc.tokens.get(i).is_some_and(|t| t.all_caps))
            {
                jargon_hits.push((x.first, x.last));
            }
        }
    });
    for sp in spans(&doc, canned_hits.into_iter(), 8) {
        b.add(FindingCode::CannedPhrase, sp.start, sp.end, &sp.text);
        b.suggest("rewrite_canned", &sp.text);
    }
    if let Some(hist) = extras.history {
        for &(sa, se) in &doc.sentences {
            let s = draft.get(sa..se).unwrap_or("");
            let norm = normalize_line(s);
            if norm.split(' ').count() >= 4 && hist.iter().any(|h| *h == norm) {
                let text = s.trim();
                b.add(FindingCode::RepeatedLine, sa, sa + s.trim_end().len(), text);
                b.suggest("drop_repeat", "");
            }
        }
    }
    let has_alternative = !alt.is_empty();
    if !has_alternative {
        if let Some(s) = spans(&doc, m.of(Cue::Negative).map(|x| (x.first, x.last)), 1)
            .into_iter()
            .next()
        {
            b.add(
                FindingCode::NegativeWithoutAlternative,
                s.start,
                s.end,
                &s.text,
            );
            b.suggest("add_alternative", "");
            // The "no" wrapped in sympathy: empathy covering a refusal.
            if empathy.emotional_reactions.level > 0
                || empathy.interpretations.level > 0
                || m.has(Cue::Apology)
            {
                b.add(FindingCode::EmpathyCoveringRefusal, s.start, s.end, &s.text);
                b.suggest("add_alternative", "");
            }
        }
    }

    // --- requests for secrets or private data -----------------------------------------
    let request_sentence = |first: usize| -> bool {
        let Some(sent) = doc.tokens.get(first).map(|t| t.sentence) else {
            return false;
        };
        let in_sentence = |c: Cue| m.in_sentence(sent, c);
        (in_sentence(Cue::Request) || sentence_is_question(&doc, sent))
            && !in_sentence(Cue::Negation)
    };
    // The agent's own action comes first in the sentence of token `first` ("I'll send you
    // the reference", "I'm resetting your router"): what follows is not asked of the customer.
    let agent_acts_before = |first: usize| -> bool {
        let sent = doc.tokens.get(first).map(|t| t.sentence);
        own.iter()
            .any(|&(f, _)| f <= first && doc.tokens.get(f).map(|t| t.sentence) == sent)
    };
    // Asking again for what the customer already gave.
    for (cue, gave) in [
        (Cue::AsksReference, t.gave.reference),
        (Cue::AsksAmount, t.gave.amount),
        (Cue::AsksDate, t.gave.date),
    ] {
        if !gave {
            continue;
        }
        if let Some(s) = m
            .of(cue)
            .find(|x| request_sentence(x.first) && !agent_acts_before(x.first))
        {
            if let Some(sp) = span_of(&doc, s.first, s.last) {
                b.add(FindingCode::AsksAgain, sp.start, sp.end, &sp.text);
                b.suggest("use_given", &sp.text);
            }
        }
    }
    for s in m.of(Cue::Credentials) {
        if request_sentence(s.first) {
            if let Some(sp) = span_of(&doc, s.first, s.last) {
                b.add(FindingCode::AsksForCredentials, sp.start, sp.end, &sp.text);
                b.suggest("no_credentials", &sp.text);
            }
        }
    }
    if ctx.channel == Some(crate::Channel::Social) && !m.has(Cue::PrivateChannel) {
        for s in m.of(Cue::Private) {
            if request_sentence(s.first) {
                if let Some(sp) = span_of(&doc, s.first, s.last) {
                    b.add(FindingCode::PrivateDataInPublic, sp.start, sp.end, &sp.text);
                    b.suggest("go_private", &sp.text);
                }
            }
        }
    }

    // --- clarity: jargon, writing slips, length ---------------------------------------
    for sp in spans(&doc, jargon_hits.into_iter(), 8) {
        b.add(FindingCode::Jargon, sp.start, sp.end, &sp.text);
        b.suggest("replace_jargon", &sp.text);
    }
    let mut caps_run: Vec<usize> = Vec::new();
    let flush_caps = |run: &mut Vec<usize>, b: &mut Builder<'_>| {
        let long = run
            .iter()
            .any(|&i| doc.raw(i).chars().filter(|c| c.is_alphabetic()).count() >= 4);
        if !run.is_empty() && (long || run.len() >= 3) {
            if let (Some(&f), Some(&l)) = (run.first(), run.last()) {
                if let Some(sp) = span_of(&doc, f, l + 1) {
                    b.add(FindingCode::AllCaps, sp.start, sp.end, &sp.text);
                    b.suggest("fix_caps", &sp.text);
                }
            }
        }
        run.clear();
    };
    for (i, tok) in doc.tokens.iter().enumerate() {
        let allowed = lex.caps_allowed.contains_key(doc.raw(i)) || doc.raw(i).contains("{{");
        if tok.all_caps && !allowed {
            caps_run.push(i);
        } else {
            flush_caps(&mut caps_run, &mut b);
        }
    }
    flush_caps(&mut caps_run, &mut b);
    for i in 1..doc.tokens.len() {
        let (p, c) = (&doc.tokens[i - 1], &doc.tokens[i]);
        if p.sentence == c.sentence
            && c.has_alpha
            && doc.lower(i) == doc.lower(i - 1)
            && !lex.double_allowed.contains_key(doc.lower(i))
            && draft
                .get(p.end..c.start)
                .is_some_and(|gap| gap.chars().all(char::is_whitespace))
        {
            if let Some(sp) = byte_span(draft, p.start, c.end) {
                b.add(FindingCode::RepeatedWord, sp.start, sp.end, &sp.text);
                b.suggest("fix_slips", "");
            }
        }
    }
    for (a, e) in lowercase_starts(draft, 3) {
        let x: String = draft
            .get(a..)
            .unwrap_or("")
            .split_whitespace()
            .take(5)
            .collect::<Vec<_>>()
            .join(" ");
        b.add(FindingCode::MissingCapital, a, e, &x);
        b.suggest("fix_slips", "");
    }
    {
        let bytes = draft.as_bytes();
        let mut i = 0;
        let mut reported = 0;
        while i < bytes.len() && reported < 3 {
            if bytes[i] == b'!' || bytes[i] == b'?' {
                let mut j = i;
                while j < bytes.len() && (bytes[j] == b'!' || bytes[j] == b'?') {
                    j += 1;
                }
                let run = &bytes[i..j];
                let bangs = run.iter().filter(|&&c| c == b'!').count();
                if run.len() >= 3 || bangs >= 2 || (run.len() == 2 && run[0] != run[1]) {
                    let text = draft.get(i..j).unwrap_or("").to_string();
                    b.add(FindingCode::ExcessivePunctuation, i, j, &text);
                    reported += 1;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        let bangs = bytes.iter().filter(|&&c| c == b'!').count();
        if reported == 0 && bangs >= 4 {
            b.add_whole(
                FindingCode::ExcessivePunctuation,
                &format!("{bangs} exclamation marks"),
            );
        }
    }
    if let Some(ch) = ctx.channel.and_then(|c| pb.channel(c)) {
        let n = words as u32;
        if ch.max_reply_words > 0 && n > ch.max_reply_words {
            b.add_whole(
                FindingCode::TooLongForChannel,
                &format!(
                    "{n} words, at most {} on {}",
                    ch.max_reply_words, ch.channel
                ),
            );
            b.suggest("shorten", "");
        } else if ch.min_reply_words > 0 && n < ch.min_reply_words {
            b.add_whole(
                FindingCode::TooShortForChannel,
                &format!(
                    "{n} words, at least {} on {}",
                    ch.min_reply_words, ch.channel
                ),
            );
            b.suggest("lengthen", "");
        }
    }

    // --- personalization --------------------------------------------------------------
    if let Some(n) = name {
        if !name_used {
            b.add_whole(FindingCode::NotPersonalized, n);
            b.suggest("use_name", n);
        }
    }
    if ctx.prior_contacts > 0 && history_spans.is_empty() {
        b.add_whole(FindingCode::IgnoresHistory, &ctx.prior_contacts.to_string());
        b.suggest("refer_history", "");
    }

    // --- fit to the situation -----------------------------------------------------------
    let acted = !own.is_empty() || m.has(Cue::NextStep);
    let ack = empathy.emotional_reactions.level > 0
        || empathy.interpretations.level > 0
        || m.has(Cue::Ack);
    let apologies = m.of(Cue::Apology).count();
    let apology_like = |sent: u32| {
        m.list.iter().any(|x| {
            matches!(
                x.cue,
                Cue::Apology | Cue::Er1 | Cue::Er2 | Cue::Ip1 | Cue::Ip2
            ) && doc.tokens.get(x.first).is_some_and(|t| t.sentence == sent)
        })
    };
    let upset = matches!(t.emotion, Emotion::Anger | Emotion::Frustration) && t.intensity >= 0.4
        || t.approach == Approach::Deescalate
        || extras.empathy_backfired;
    if needs_action(t.approach) || extras.empathy_backfired {
        if !acted && (apologies > 0 || ack) {
            b.add_whole(FindingCode::ApologyWithoutAction, "");
            b.suggest("lead_with_action", "");
            b.suggest("add_ownership", "");
        } else if t.approach == Approach::ResolveFirst || extras.empathy_backfired {
            // Sentences of apology before the first sentence that acts.
            let first_act = own
                .iter()
                .map(|&(f, _)| f)
                .chain(m.of(Cue::NextStep).map(|x| x.first))
                .filter_map(|f| doc.tokens.get(f).map(|t| t.sentence))
                .min();
            if let Some(first_act) = first_act {
                let before = (0..first_act).filter(|&s| apology_like(s)).count();
                let limit = if extras.empathy_backfired { 1 } else { 2 };
                if before >= limit {
                    let end = doc
                        .sentences
                        .get(first_act as usize)
                        .map_or(draft.len(), |s| s.0);
                    let text = before.to_string();
                    b.add(FindingCode::ApologyBeforeAction, 0, end, &text);
                    b.suggest("lead_with_action", "");
                }
            }
        }
    }
    let heard_first = matches!(
        t.approach,
        Approach::ListenAndValidate | Approach::Deescalate
    ) || (t.empathy == Empathy::Full && !extras.empathy_backfired);
    if !ack && heard_first {
        b.add_whole(FindingCode::NoAcknowledgement, "");
        b.suggest("acknowledge_first", "");
        b.suggest("add_empathy", "");
    } else if !ack
        && !extras.empathy_backfired
        && matches!(
            t.approach,
            Approach::EmpathizeThenResolve | Approach::Retain
        )
    {
        b.add_whole(FindingCode::TooLittleEmpathy, "");
        b.suggest("add_empathy", "");
    }
    // Scripted troubleshooting: an upset customer is asked to try things before anything
    // acknowledges how they feel. The agent's own action ("I'm resetting your line") is not it.
    let hurting = upset
        || matches!(
            t.approach,
            Approach::ListenAndValidate
                | Approach::Deescalate
                | Approach::EmpathizeThenResolve
                | Approach::Retain
        )
        || matches!(
            t.emotion,
            Emotion::Anger | Emotion::Frustration | Emotion::Anxiety | Emotion::Sadness
        ) && t.intensity >= 0.3;
    if hurting {
        if let Some(tr) = m
            .of(Cue::Troubleshooting)
            .find(|x| !agent_acts_before(x.first))
        {
            let acknowledged_before = m.list.iter().any(|x| {
                x.first < tr.first
                    && matches!(
                        x.cue,
                        Cue::Ack | Cue::Apology | Cue::Er1 | Cue::Er2 | Cue::Ip1 | Cue::Ip2
                    )
            });
            if !acknowledged_before {
                if let Some(sp) = span_of(&doc, tr.first, tr.last) {
                    b.add(
                        FindingCode::ScriptedTroubleshooting,
                        sp.start,
                        sp.end,
                        &sp.text,
                    );
                    b.suggest("acknowledge_first", "");
                }
            }
        }
    }
    if upset {
        let mut cheer: Vec<Span> = spans(&doc, m.of(Cue::Cheerful).map(|x| (x.first, x.last)), 2);
        for (i, c) in draft.char_indices() {
            if matches!(
                c,
                '\u{1F600}'..='\u{1F60D}' | '\u{1F642}' | '\u{1F44D}' | '\u{1F389}' | '\u{263A}'
            ) {
                if let Some(s) = byte_span(draft, i, i + c.len_utf8()) {
                    cheer.push(s);
                }
                if cheer.len() >= MAX_SPANS_PER_SIGNAL {
                    break;
                }
            }
        }
        if let Some(s) = cheer.first() {
            b.add(FindingCode::CheerfulToAngry, s.start, s.end, &s.text);
            b.suggest("calm_tone", &s.text);
        }
    }
    let has_facts = doc.tokens.iter().any(|t| t.has_digit)
        || m.has(Cue::Fact)
        || !tf.is_empty()
        || !own.is_empty();
    if t.style == Style::DataDriven
        && !has_facts
        && empathy.emotional_reactions.level + empathy.interpretations.level >= 1
    {
        b.add_whole(FindingCode::FeelingsWithoutFacts, "");
        b.suggest("add_facts", "");
    }
    if ctx.policy_conflict {
        let ok = if ctx.allowed_alternatives.is_empty() && ctx.max_gesture.is_none() {
            has_alternative
        } else {
            allowed_named
        };
        if !ok {
            let x = if b.vars.alternatives.is_empty() {
                "none named".to_string()
            } else {
                b.vars.alternatives.clone()
            };
            b.add_whole(FindingCode::PolicyWithoutAlternatives, &x);
            if b.vars.alternatives.is_empty() {
                b.suggest("add_alternative", "");
            } else {
                b.suggest("offer_alternatives", "");
            }
        }
    }
    // A calm question has nothing to apologize for (two apologies are too many), and a
    // thank-you needs no apology at all.
    let too_many = match t.approach {
        Approach::Appreciate => 1,
        Approach::InformConcisely => 2,
        _ if extras.empathy_backfired => 2,
        _ => 3,
    };
    if apologies >= too_many {
        b.add_whole(FindingCode::OverApologizing, &apologies.to_string());
        b.suggest("one_apology", "");
    }
    let supervisor_asked =
        extras.supervisor_requested || t.flags.contains(&Flag::SupervisorRequested);
    if supervisor_asked && !m.has(Cue::Supervisor) {
        b.add_whole(FindingCode::IgnoresSupervisorRequest, "");
        b.suggest("address_supervisor", "");
    }
    if let Some(w) = extras.long_wait {
        if !m.has(Cue::WaitAck) {
            b.add_whole(FindingCode::NoWaitAcknowledgement, &human_seconds(w));
            b.suggest("thank_for_waiting", "");
        }
    }

    // --- action -------------------------------------------------------------------------
    let mut action_bonus_lost = 0u32;
    if needs_action(t.approach)
        || t.stance == Stance::SeekingResolution && t.approach != Approach::ListenAndValidate
    {
        let strict = matches!(
            t.approach,
            Approach::ResolveFirst | Approach::Deescalate | Approach::Retain
        );
        if own.is_empty() {
            if strict || !m.has(Cue::NextStep) {
                b.add_whole(FindingCode::NoOwnership, "");
                b.suggest("add_ownership", "");
            } else {
                // Instructions without a commitment: the customer does the work.
                action_bonus_lost += 15;
            }
        } else if !personal_ownership {
            // "We will" is weaker than "I will".
            action_bonus_lost += 10;
        }
        if !acted {
            b.add_whole(FindingCode::NoNextStep, "");
            b.suggest("add_next_step", "");
        } else if tf.is_empty() && needs_action(t.approach) {
            b.add_whole(FindingCode::NoTimeFrame, "");
            b.suggest("add_time_frame", "");
        }
    }

    // --- parts and total ----------------------------------------------------------------
    let e_total = u32::from(empathy.total());
    let ack_only = e_total == 0 && m.has(Cue::Ack);
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
            if empathy.explorations.level > 0 || empathy.interpretations.level == 2 {
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

    // Findings in draft order; whole-reply findings after the spans, by severity.
    let len = draft.len();
    let mut findings = b.findings;
    findings.sort_by(|x, y| {
        let wx = x.start == 0 && x.end == len;
        let wy = y.start == 0 && y.end == len;
        wx.cmp(&wy)
            .then_with(|| {
                if wx {
                    y.severity.cmp(&x.severity)
                } else {
                    x.start.cmp(&y.start)
                }
            })
            // By name, not by code number: the order JSON output has always had.
            .then_with(|| x.code.as_str().cmp(y.code.as_str()))
    });
    // Suggestions for the worst problems first (stable within a severity).
    let mut suggestions = b.suggestions;
    suggestions.sort_by_key(|x| std::cmp::Reverse(x.0));
    let suggestions: Vec<String> = suggestions.into_iter().map(|(_, s)| s).collect();

    Ok(ReplyReview {
        score: total as u8,
        parts: ScoreParts {
            empathy: part(0),
            action: part(1),
            tone: part(2),
            clarity: part(3),
            personalization: part(4),
            fit: part(5),
        },
        empathy,
        signals: ServiceSignals {
            ownership: own_spans,
            next_step: next_spans,
            time_frame: tf_spans,
            personalization,
            alternatives: alt,
            acknowledgement: spans(&doc, m.of(Cue::Ack).map(|x| (x.first, x.last)), 6),
        },
        findings,
        suggestions,
        approach: t.approach,
        expected_empathy: t.empathy,
        words,
        findings_omitted: b.omitted,
    })
}

/// Words that start a sentence in lower case: at the start of the draft, after a blank line
/// or after `.`, `!`, `?` and a space. Skips "iPhone"-like names, URLs, handles and
/// abbreviations such as "e.g.". The first `max` of them.
fn lowercase_starts(draft: &str, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = draft.as_bytes();
    let mut at_start = true;
    let mut i = 0;
    while i < bytes.len() && out.len() < max {
        let c = bytes[i];
        if at_start && !c.is_ascii_whitespace() && !matches!(c, b'"' | b'\'' | b'(' | b'-' | b'*') {
            at_start = false;
            let word_end = draft
                .get(i..)
                .and_then(|r| r.find(|ch: char| !ch.is_alphanumeric() && ch != '\''))
                .map_or(draft.len(), |n| i + n);
            let word = draft.get(i..word_end).unwrap_or("");
            let mut chars = word.chars();
            if let Some(c0) = chars.next() {
                let inner_caps = chars.any(char::is_uppercase);
                if c0.is_lowercase() && !inner_caps && !is_url_like(draft.get(i..).unwrap_or("")) {
                    out.push((i, word_end));
                }
            }
        }
        if matches!(c, b'.' | b'!' | b'?') {
            let next_ws = bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace);
            if next_ws && !abbreviation_before(draft, i) {
                at_start = true;
            }
        } else if c == b'\n' && bytes.get(i + 1).is_some_and(|&n| n == b'\n' || n == b'\r') {
            at_start = true;
        }
        i += 1;
    }
    out
}

/// True when the `.` at `dot` ends an abbreviation ("e.g.", "i.e.", "etc.", "approx.").
fn abbreviation_before(draft: &str, dot: usize) -> bool {
    if draft.as_bytes().get(dot) != Some(&b'.') {
        return false;
    }
    let before = draft.get(..dot).unwrap_or("");
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        word.as_str(),
        "e.g" | "i.e" | "etc" | "vs" | "approx" | "no" | "nr" | "mr" | "mrs" | "ms" | "dr" | "st"
    ) || word.len() == 1
}

fn is_url_like(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("http") || s.starts_with("www.") || s.starts_with('@') || s.starts_with('#')
}

pub(crate) fn human_seconds(s: u64) -> String {
    if s < 120 {
        format!("{s} seconds")
    } else if s < 2 * 3600 {
        format!("{} minutes", s / 60)
    } else if s < 2 * 86400 {
        format!("{} hours", s / 3600)
    } else {
        format!("{} days", s / 86400)
    }
}

// ---------------------------------------------------------------------------------------
/// A small, fast tokenizer for replies: words (letters and digits, with inner apostrophes and
/// number separators) and sentences (ended by `.`, `!`, `?` before a space, or by a line
/// that starts a new item). It does not need full Unicode segmentation rules: a draft reply is
/// short, mostly plain prose, and the review must stay within microseconds.
pub(crate) mod words {
    use crate::flat_map::FlatMap;

    #[derive(Debug, Clone, Copy)]
    pub(crate) struct Tok {
        pub start: usize,
        pub end: usize,
        lower: (u32, u32),
        stem: (u32, u32),
        pub sentence: u32,
        pub all_caps: bool,
        pub has_digit: bool,
        pub has_alpha: bool,
    }

    #[derive(Debug)]
    pub(crate) struct Doc<'a> {
        pub text: &'a str,
        pub tokens: Vec<Tok>,
        pub sentences: Vec<(usize, usize)>,
        arena: String,
    }

    fn is_apostrophe(c: char) -> bool {
        matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
    }

    impl<'a> Doc<'a> {
        pub(crate) fn new(text: &'a str) -> Doc<'a> {
            use crate::text::MAX_TOKENS;
            let mut tokens: Vec<Tok> = Vec::with_capacity((text.len() / 5).min(MAX_TOKENS) + 4);
            let mut arena = String::with_capacity(text.len().min(MAX_TOKENS * 4) + 8);
            let mut sentences = Vec::new();
            let mut sentence = 0u32;
            let mut sent_start: Option<usize> = None;
            let mut chars = text.char_indices().peekable();
            // Byte offset where the current sentence may end (after its final punctuation).
            let mut pending_end: Option<usize> = None;
            // Like the classifier's, a draft is analysed up to its first MAX_TOKENS words.
            let mut truncated = false;
            while let Some((i, c)) = chars.next() {
                if c.is_alphanumeric() {
                    if tokens.len() >= MAX_TOKENS {
                        truncated = true;
                        break;
                    }
                    if let Some(end) = pending_end.take() {
                        // Punctuation then space then a word: a new sentence starts, unless
                        // the word is lower case after an abbreviation-like token.
                        if let Some(s) = sent_start.take() {
                            sentences.push((s, end));
                            sentence += 1;
                        }
                    }
                    if sent_start.is_none() {
                        sent_start = Some(i);
                    }
                    // One word: alphanumerics, inner apostrophes, digit separators.
                    let start = i;
                    let mut end = i + c.len_utf8();
                    let (mut alpha, mut upper, mut digit) = (0usize, 0usize, false);
                    let mut count = |c: char| {
                        if c.is_alphabetic() {
                            alpha += 1;
                            if c.is_uppercase() {
                                upper += 1;
                            }
                        } else if c.is_numeric() {
                            digit = true;
                        }
                    };
                    count(c);
                    let mut prev = c;
                    while let Some(&(j, d)) = chars.peek() {
                        if d.is_alphanumeric() {
                            count(d);
                            end = j + d.len_utf8();
                            prev = d;
                            chars.next();
                            continue;
                        }
                        let joiner =
                            is_apostrophe(d) || (matches!(d, '.' | ',') && prev.is_numeric());
                        if joiner {
                            let after = text.get(j + d.len_utf8()..).and_then(|r| r.chars().next());
                            let ok = match after {
                                Some(n) if is_apostrophe(d) => n.is_alphabetic(),
                                Some(n) => n.is_numeric(),
                                None => false,
                            };
                            if ok {
                                end = j + d.len_utf8();
                                prev = d;
                                chars.next();
                                continue;
                            }
                        }
                        break;
                    }
                    let word = text.get(start..end).unwrap_or("");
                    let l0 = arena.len() as u32;
                    if word.is_ascii() {
                        for b in word.bytes() {
                            arena.push(b.to_ascii_lowercase() as char);
                        }
                    } else {
                        for ch in word.chars() {
                            if is_apostrophe(ch) {
                                arena.push('\'');
                            } else {
                                arena.extend(ch.to_lowercase());
                            }
                        }
                    }
                    let l1 = arena.len() as u32;
                    let stem_len = crate::text::stem(&arena[l0 as usize..l1 as usize]).len() as u32;
                    tokens.push(Tok {
                        start,
                        end,
                        lower: (l0, l1),
                        stem: (l0, l0 + stem_len),
                        sentence,
                        all_caps: alpha >= 2 && upper == alpha,
                        has_digit: digit,
                        has_alpha: alpha > 0,
                    });
                    continue;
                }
                match c {
                    '.' | '!' | '?' | '\u{2026}' if sent_start.is_some() => {
                        {
                            // Abbreviations ("e.g.", "Mr.") and decimals do not end a sentence.
                            let last = tokens.last();
                            let abbreviation = c == '.'
                                && last.is_some_and(|t| {
                                    t.end == i && {
                                        let (a, b) = t.lower;
                                        let w = &arena[a as usize..b as usize];
                                        w.len() == 1
                                            || matches!(
                                                w,
                                                "e.g"
                                                    | "i.e"
                                                    | "etc"
                                                    | "vs"
                                                    | "mr"
                                                    | "mrs"
                                                    | "ms"
                                                    | "dr"
                                                    | "st"
                                                    | "no"
                                                    | "approx"
                                                    | "nr"
                                            )
                                    }
                                });
                            let mut end = i + c.len_utf8();
                            while let Some(&(j, d)) = chars.peek() {
                                if matches!(
                                    d,
                                    '.' | '!' | '?' | '"' | '\'' | ')' | '\u{201D}' | '\u{2019}'
                                ) {
                                    end = j + d.len_utf8();
                                    chars.next();
                                } else {
                                    break;
                                }
                            }
                            let followed_by_space =
                                chars.peek().is_none_or(|&(_, d)| d.is_whitespace());
                            if followed_by_space && !abbreviation {
                                pending_end = Some(end);
                            }
                        }
                    }
                    '\n' => {
                        // A new line that starts an item or a capitalized line ends the sentence.
                        let rest = text.get(i + 1..).unwrap_or("");
                        let next = rest.trim_start_matches([' ', '\t', '\r']).chars().next();
                        let breaks = rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n')
                            || next.is_some_and(|n| {
                                n.is_uppercase()
                                    || n.is_numeric()
                                    || matches!(n, '-' | '*' | '\u{2022}')
                            });
                        if breaks && pending_end.is_none() {
                            if let Some(s) = sent_start {
                                let end = tokens.last().map_or(i, |t| t.end.max(s));
                                let line_end =
                                    text.get(s..i).map_or(end, |seg| s + seg.trim_end().len());
                                pending_end = Some(line_end.max(s));
                            }
                        }
                    }
                    _ => {}
                }
            }
            if let Some(s) = sent_start {
                let end = match (pending_end, tokens.last()) {
                    (Some(e), _) => e,
                    (None, Some(t)) if truncated => t.end,
                    _ => s + text.get(s..).unwrap_or("").trim_end().len(),
                };
                sentences.push((s, end.max(s)));
            }
            Doc {
                text,
                tokens,
                sentences,
                arena,
            }
        }

        pub(crate) fn lower(&self, i: usize) -> &str {
            self.tokens
                .get(i)
                .and_then(|t| self.arena.get(t.lower.0 as usize..t.lower.1 as usize))
                .unwrap_or("")
        }

        pub(crate) fn stem(&self, i: usize) -> &str {
            self.tokens
                .get(i)
                .and_then(|t| self.arena.get(t.stem.0 as usize..t.stem.1 as usize))
                .unwrap_or("")
        }

        pub(crate) fn raw(&self, i: usize) -> &'a str {
            self.tokens
                .get(i)
                .and_then(|t| self.text.get(t.start..t.end))
                .unwrap_or("")
        }
    }

    /// Multi-word phrases matched on stems in one pass (first stem → candidates).
    /// The stems after the first word of a phrase, with the phrase's payload.
    type Rest<T> = (Box<[Box<str>]>, T);

    #[derive(Debug, Clone)]
    pub(crate) struct Phrases<T> {
        by_first: FlatMap<Box<str>, Vec<Rest<T>>>,
    }

    impl<T> Default for Phrases<T> {
        fn default() -> Self {
            Phrases {
                by_first: FlatMap::default(),
            }
        }
    }

    #[derive(Debug, Clone, Copy)]
    pub(crate) struct Match<'p, T> {
        pub first: usize,
        pub last: usize,
        pub value: &'p T,
    }

    impl<T> Phrases<T> {
        pub(crate) fn insert(&mut self, phrase: &str, value: T) {
            let d = Doc::new(phrase);
            let words: Vec<Box<str>> = (0..d.tokens.len()).map(|i| d.stem(i).into()).collect();
            let Some((first, rest)) = words.split_first() else {
                return;
            };
            self.by_first
                .get_or_insert_with(first.clone(), Vec::new)
                .push((rest.into(), value));
        }

        pub(crate) fn for_each_match<'p>(&'p self, doc: &Doc<'_>, mut f: impl FnMut(Match<'p, T>)) {
            if self.by_first.is_empty() {
                return;
            }
            let n = doc.tokens.len();
            for i in 0..n {
                let Some(cands) = self.by_first.get(doc.stem(i)) else {
                    continue;
                };
                for (rest, value) in cands {
                    if i + 1 + rest.len() > n {
                        continue;
                    }
                    if rest
                        .iter()
                        .enumerate()
                        .all(|(k, w)| doc.stem(i + 1 + k) == &**w)
                    {
                        f(Match {
                            first: i,
                            last: i + 1 + rest.len(),
                            value,
                        });
                    }
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn words_and_sentences() {
            let d = Doc::new("WHERE is my order #1,234.50? I’m upset. e.g. this\nStill here!! ok");
            let w: Vec<&str> = (0..d.tokens.len()).map(|i| d.raw(i)).collect();
            assert_eq!(
                w,
                [
                    "WHERE", "is", "my", "order", "1,234.50", "I’m", "upset", "e", "g", "this",
                    "Still", "here", "ok"
                ]
            );
            assert_eq!(d.lower(5), "i'm");
            let s: Vec<&str> = d.sentences.iter().map(|&(a, b)| &d.text[a..b]).collect();
            assert_eq!(
                s,
                [
                    "WHERE is my order #1,234.50?",
                    "I’m upset.",
                    "e.g. this",
                    "Still here!!",
                    "ok"
                ]
            );
        }

        #[test]
        fn phrases_match() {
            let mut p = Phrases::default();
            p.insert("so sorry", 1);
            p.insert("sorry", 2);
            let d = Doc::new("I'm SO sorry. Sorry");
            let mut got = vec![];
            p.for_each_match(&d, |m| got.push((m.first, m.last, *m.value)));
            assert_eq!(got, vec![(1, 3, 1), (2, 3, 2), (3, 4, 2)]);
        }
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

    #[test]
    fn ownership_needs_action_without_negation() {
        let lex = lexicon().unwrap();
        for (text, yes) in [
            ("I'll refund the charge today.", true),
            ("I have just now sent the replacement.", true),
            ("Let me check that for you.", true),
            ("I can't refund this order.", false),
            ("I'm so sorry about this.", false),
            ("I've been there myself.", false),
        ] {
            let d = Doc::new(text);
            let m = Matches::find(lex, &d);
            assert_eq!(!ownership(&d, &m).0.is_empty(), yes, "{text}");
        }
    }

    #[test]
    fn time_frames_found() {
        let lex = lexicon().unwrap();
        for text in [
            "within 24 hours",
            "by Friday",
            "in 3 business days",
            "in a few minutes",
            "on May 3",
            "before 5pm",
        ] {
            let d = Doc::new(text);
            let m = Matches::find(lex, &d);
            assert!(!time_frames(&d, &m).is_empty(), "{text}");
        }
        let d = Doc::new("You may receive it.");
        let m = Matches::find(lex, &d);
        assert!(time_frames(&d, &m).is_empty());
    }

    #[test]
    fn find_words_respects_boundaries() {
        let mut v = vec![];
        find_words("tickets and ticketing, ticket", "ticket", true, |a, b| {
            v.push((a, b))
        });
        assert_eq!(v, vec![(0, 7), (23, 29)]);
    }

    #[test]
    fn normalize_collapses() {
        assert_eq!(normalize_line("  Hello,  WORLD!! 2 "), "hello world 2");
    }
}
