//! The playbook: one serde structure holding everything a contact center may want to change
//! without touching code — categories and their attributes, cue phrases, phrase banks per
//! approach × emotion × channel, words to avoid, jargon, thresholds, follow-ups, and every
//! other sentence the recommender and the conversation tracker show (context lines,
//! rationale, conversation advice; see [`Rationale`] and [`ConversationLines`]).
//!
//! The default playbook is embedded (`data/playbook.toml`); print it with
//! `tactful playbook --dump` and start from there. TOML and JSON are both accepted, unknown
//! fields are rejected, and errors name the field (and the line for TOML).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

use crate::resources::PhraseTable;
pub use crate::sentences::{ConversationLines, FollowUp, Lines, Rationale};
use crate::text;
use crate::{Approach, Channel, Emotion, Empathy, Error, Urgency};

/// The playbook format version this crate reads.
pub const PLAYBOOK_VERSION: u32 = 1;

/// The name of the abstain category, which every playbook must define.
pub const OTHER: &str = "other";

/// The most categories a playbook may define (65,536): the compiled cue tables index
/// categories with 16 bits, so a larger playbook is rejected by [`Playbook::validate`].
pub const MAX_CATEGORIES: usize = u16::MAX as usize + 1;

static DEFAULT_TOML: &str = include_str!("../data/playbook.toml");

/// `data/playbook.toml` as compact JSON, written by `build.rs`: serde_json reads it several
/// times faster than the TOML parser reads the TOML. The tests check that it gives the same
/// playbook as the TOML and that this playbook validates, so it is not validated again at
/// run time.
static DEFAULT_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/playbook.json"));

static DEFAULT: Lazy<Result<Playbook, Error>> = Lazy::new(|| {
    serde_json::from_str(DEFAULT_JSON)
        .map_err(|e| Error::playbook("", format!("embedded playbook: {e}")))
});

pub(crate) fn default_playbook() -> Result<&'static Playbook, Error> {
    DEFAULT.as_ref().map_err(Clone::clone)
}

/// Everything the recommender and the rules read, as data.
///
/// This struct and its pieces ([`CategorySpec`], [`ApproachSpec`], [`OpeningSpec`],
/// [`ChannelSpec`], [`Thresholds`], [`Lines`], [`Conditions`], [`FollowUp`], [`Rationale`],
/// [`ConversationLines`]) may gain fields
/// in a minor release (`#[non_exhaustive]`): outside this crate, start from a loaded playbook,
/// a piece's `new` or its `Default`, and assign fields, rather than writing a struct literal.
///
/// ```
/// use tactful::Playbook;
/// let mut pb = Playbook::default_playbook()?.clone();
/// pb.jargon.push("RMA".into());
/// let text = pb.to_toml();
/// assert_eq!(Playbook::from_toml_str(&text)?, pb);
/// # Ok::<(), tactful::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Playbook {
    /// Format version; must be [`PLAYBOOK_VERSION`].
    pub version: u32,
    /// A name for this playbook, shown in diagnostics.
    #[serde(default)]
    pub name: String,
    /// Decision thresholds.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Issue categories with their attributes; must include `other`.
    pub categories: Vec<CategorySpec>,
    /// Phrase banks and guidance per approach; every approach must appear once.
    pub approaches: Vec<ApproachSpec>,
    /// Advice per channel.
    #[serde(default)]
    pub channels: Vec<ChannelSpec>,
    /// Phrases that sound robotic or canned in any reply.
    #[serde(default)]
    pub canned_phrases: Vec<String>,
    /// Internal terms customers do not understand.
    #[serde(default)]
    pub jargon: Vec<String>,
    /// Follow-up survey suggestions.
    #[serde(default)]
    pub follow_up: FollowUp,
    /// Sentences the recommender adds for context (repeat contact, policy, gestures…).
    #[serde(default)]
    pub lines: Lines,
    /// Phrase lists for the facts an opening can require or avoid ([`OpeningSpec::requires`]).
    #[serde(default)]
    pub conditions: Conditions,
    /// The recommender's rationale sentences, by code.
    #[serde(default)]
    pub rationale: Rationale,
    /// The conversation tracker's adapted advice, by code.
    #[serde(default)]
    pub conversation: ConversationLines,
}

/// Phrase lists that establish a [`Condition`] from the customer's words (matched like
/// category cues: case-insensitive, whole words).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Conditions {
    /// The customer lost someone ("passed away", "my late husband"); counts only with
    /// vulnerability cues in the message.
    pub bereavement: Vec<String>,
    /// The customer says why they are leaving ("price went up", "cheaper", "offered me").
    pub reason_given: Vec<String>,
    /// Financial hardship ("lost my job", "can't pay", "on benefits"); counts only with
    /// vulnerability cues in the message.
    pub hardship: Vec<String>,
}

/// A fact about the message that decides whether an opening fits
/// ([`OpeningSpec::requires`], [`OpeningSpec::unless`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Condition {
    /// The customer contacted the company before about this (flag `repeat_contact`): an
    /// opening that asks for the whole story again does not fit.
    RepeatContact,
    /// A bereavement ([`Conditions::bereavement`]).
    Bereavement,
    /// The customer gave a reason for leaving ([`Conditions::reason_given`]): an opening
    /// that asks why does not fit.
    ReasonGiven,
    /// Financial hardship ([`Conditions::hardship`]): the opening acknowledges how hard
    /// things are, not the bill.
    Hardship,
}

/// Decision thresholds; each has a default.
///
/// Fields may be added in a minor release (`#[non_exhaustive]`), so outside this crate a
/// struct literal does not compile: start from the defaults and assign the fields to change.
///
/// ```
/// use tactful::{Engine, Playbook, Thresholds};
/// let mut t = Thresholds::default();
/// t.abstain = 0.5;
/// t.max_evidence = 8;
/// let mut pb = Playbook::default_playbook()?.clone();
/// pb.thresholds = t;
/// let engine = Engine::builder().playbook(pb).build()?;
/// assert_eq!(engine.playbook().thresholds.abstain, 0.5);
/// assert_eq!(engine.playbook().thresholds.max_evidence, 8);
/// # Ok::<(), tactful::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Thresholds {
    /// Below this category confidence the classifier abstains to `other` (default 0.40).
    pub abstain: f64,
    /// Anger intensity at or above which the approach is `deescalate` (default 0.70).
    pub deescalate_intensity: f64,
    /// Emotion intensity at or above which empathy is `full` where the approach allows (default 0.55).
    pub full_empathy_intensity: f64,
    /// Churn risk at or above which `retain` steps are added (default 0.60).
    pub churn_alert: f64,
    /// Order value (in the text's currency) above which a defect counts as expensive (default 200).
    pub expensive_amount: f64,
    /// Evidence spans kept per assessment (default 24).
    pub max_evidence: usize,
    /// Ignored since model format 2, kept so older playbooks still load: the rule cues are
    /// inputs of the model, so there is no blend of two opinions to weigh (hard cues still
    /// win). Default 0.65.
    pub category_model_weight: f64,
    /// Ignored since model format 2, like `category_model_weight`. Default 0.4.
    pub emotion_model_weight: f64,
    /// The same for sentiment: the share of the model's valence in the blend with the
    /// lexicon's (default 0.5).
    pub sentiment_model_weight: f64,
    /// The model's approach head, read from the wording, replaces the approach the readings
    /// imply when its probability is at least this (default 0.60; 1.01 turns it off).
    /// Abuse is always de-escalated first.
    pub model_approach: f64,
    /// The same for the empathy head (default 0.60), within what the approach means (no
    /// `none` for listening, empathizing or de-escalating, no `full` before a plain answer,
    /// thanks or a retention offer); a vulnerable customer never gets `none`.
    pub model_empathy: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            abstain: 0.40,
            deescalate_intensity: 0.70,
            full_empathy_intensity: 0.55,
            churn_alert: 0.60,
            expensive_amount: 200.0,
            max_evidence: 24,
            category_model_weight: 0.65,
            emotion_model_weight: 0.4,
            sentiment_model_weight: 0.5,
            model_approach: 0.60,
            model_empathy: 0.60,
        }
    }
}

/// An issue category and the attributes the recommender reasons from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CategorySpec {
    /// Stable label, `snake_case`.
    pub name: String,
    /// What belongs here, for people.
    #[serde(default)]
    pub description: String,
    /// The customer's money is at risk (failed payment, fraud, wrong charge).
    #[serde(default)]
    pub money_at_risk: bool,
    /// Account or card security is involved.
    #[serde(default)]
    pub security: bool,
    /// Physical safety is involved.
    #[serde(default)]
    pub safety: bool,
    /// The company is usually at fault (defect, failure, missed promise).
    #[serde(default)]
    pub company_at_fault: bool,
    /// The fix takes effort from the customer: follow up with CES rather than CSAT.
    #[serde(default)]
    pub effortful: bool,
    /// Acting on it needs the customer's account details (money, security, access): on a
    /// public channel the opening moves the conversation to a private one.
    #[serde(default)]
    pub account_details: bool,
    /// Urgency before emotion and context adjust it.
    pub default_urgency: Urgency,
    /// Approach before emotion, stance and context adjust it.
    pub default_approach: Approach,
    /// How to name the issue in a sentence, e.g. `the unauthorized charge`.
    #[serde(default)]
    pub issue: String,
    /// The first concrete action, in the first person, e.g. `I'm blocking the card right now`.
    #[serde(default)]
    pub action: String,
    /// A time frame for the action, e.g. `within the next few minutes`.
    #[serde(default)]
    pub timeframe: String,
    /// Category-specific steps, after the approach's own.
    #[serde(default)]
    pub steps: Vec<StepSpec>,
    /// Phrases that suggest this category (lower case; `*` at the end of a word matches any ending).
    #[serde(default)]
    pub cues: Vec<String>,
    /// Phrases that decide this category whatever the statistics say (e.g. `stolen card`).
    #[serde(default)]
    pub hard_cues: Vec<String>,
}

impl CategorySpec {
    /// A category with its required attributes; every other field is empty or `false`,
    /// as when it is left out of a playbook file. Assign the others afterwards:
    ///
    /// ```
    /// use tactful::{Approach, CategorySpec, Playbook, Urgency};
    /// let mut c = CategorySpec::new("warranty_claim", Urgency::Normal, Approach::EmpathizeThenResolve);
    /// c.company_at_fault = true;
    /// c.cues = vec!["warranty".into()];
    /// let mut pb = Playbook::default_playbook()?.clone();
    /// pb.categories.push(c);
    /// pb.validate()?;
    /// assert!(pb.category("warranty_claim").is_some_and(|c| c.company_at_fault));
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        default_urgency: Urgency,
        default_approach: Approach,
    ) -> Self {
        CategorySpec {
            name: name.into(),
            description: String::new(),
            money_at_risk: false,
            security: false,
            safety: false,
            company_at_fault: false,
            effortful: false,
            account_details: false,
            default_urgency,
            default_approach,
            issue: String::new(),
            action: String::new(),
            timeframe: String::new(),
            steps: Vec::new(),
            cues: Vec::new(),
            hard_cues: Vec::new(),
        }
    }
}

/// Guidance and phrase banks for one approach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApproachSpec {
    /// Which approach this is.
    pub approach: Approach,
    /// Empathy up front before intensity and context adjust it.
    pub empathy: Empathy,
    /// Tone words.
    #[serde(default)]
    pub tone: Vec<String>,
    /// Steps, in order. Placeholders: `{issue}`, `{action}`, `{timeframe}`, `{alternatives}`, `{gesture}`.
    #[serde(default)]
    pub steps: Vec<StepSpec>,
    /// What to avoid.
    #[serde(default)]
    pub avoid: Vec<String>,
    /// Opening lines; the recommender picks among those matching the emotion and channel.
    #[serde(default)]
    pub openings: Vec<OpeningSpec>,
}

impl ApproachSpec {
    /// Guidance for `approach` with no tone words, steps, avoid items or openings, as when
    /// they are left out of a playbook file; assign them afterwards.
    ///
    /// ```
    /// use tactful::{Approach, ApproachSpec, Empathy, OpeningSpec};
    /// let mut a = ApproachSpec::new(Approach::InformConcisely, Empathy::Brief);
    /// a.openings.push(OpeningSpec::new("Good question: here is what I found."));
    /// assert_eq!(a.openings[0].emotion, None);
    /// ```
    pub fn new(approach: Approach, empathy: Empathy) -> Self {
        ApproachSpec {
            approach,
            empathy,
            tone: Vec::new(),
            steps: Vec::new(),
            avoid: Vec::new(),
            openings: Vec::new(),
        }
    }
}

/// One step: a line, or a table with the conditions it needs, like an opening's
/// (`{ text = "Ask what is behind the decision.", unless = "reason_given" }`): a step never
/// asks for what the customer already said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum StepSpec {
    /// A step for every situation of its approach or category.
    Plain(String),
    /// A step with conditions.
    When {
        /// The line (placeholders as in [`ApproachSpec::steps`]).
        text: String,
        /// Only when this holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requires: Option<Condition>,
        /// Never when this holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unless: Option<Condition>,
    },
}

impl StepSpec {
    /// The line.
    pub fn text(&self) -> &str {
        match self {
            StepSpec::Plain(t) | StepSpec::When { text: t, .. } => t,
        }
    }

    /// Whether the step fits, given which conditions hold.
    pub(crate) fn fits(&self, holds: impl Fn(Condition) -> bool) -> bool {
        match self {
            StepSpec::Plain(_) => true,
            StepSpec::When {
                requires, unless, ..
            } => requires.is_none_or(&holds) && !unless.is_some_and(&holds),
        }
    }
}

impl From<&str> for StepSpec {
    fn from(t: &str) -> StepSpec {
        StepSpec::Plain(t.to_string())
    }
}

/// One opening line with the situations it suits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OpeningSpec {
    /// Only for this emotion (default: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<Emotion>,
    /// Only for this channel (default: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// The line. Placeholders as in [`ApproachSpec::steps`]; the customer's name is added in front when known.
    pub text: String,
    /// Only when this holds; such an opening is preferred over every other when it does
    /// (default: no requirement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<Condition>,
    /// Never when this holds, e.g. `unless = "repeat_contact"` on a line that asks for the
    /// whole story (default: no exclusion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<Condition>,
}

impl OpeningSpec {
    /// An opening for any emotion and channel with no conditions; assign `emotion`,
    /// `channel`, `requires` or `unless` afterwards to narrow it.
    pub fn new(text: impl Into<String>) -> Self {
        OpeningSpec {
            emotion: None,
            channel: None,
            text: text.into(),
            requires: None,
            unless: None,
        }
    }
}

/// Advice for one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ChannelSpec {
    /// Which channel.
    pub channel: Channel,
    /// Tips for the agent.
    #[serde(default)]
    pub tips: Vec<String>,
    /// A reply shorter than this many words is too curt here (0: no minimum).
    #[serde(default)]
    pub min_reply_words: u32,
    /// A reply longer than this many words is too long here (0: no maximum).
    #[serde(default)]
    pub max_reply_words: u32,
}

impl ChannelSpec {
    /// Advice for `channel` with no tips and no word limits; assign them afterwards.
    pub fn new(channel: Channel) -> Self {
        ChannelSpec {
            channel,
            tips: Vec::new(),
            min_reply_words: 0,
            max_reply_words: 0,
        }
    }
}

/// `amount` and `reference` are the customer's own (the one sum with its currency sign, the
/// one order or ticket reference they give): an opening that uses them is offered only when
/// the message has exactly one, and never on a public social channel.
const PLACEHOLDERS: &[&str] = &[
    "issue",
    "action",
    "timeframe",
    "alternatives",
    "gesture",
    "amount",
    "reference",
];

impl Playbook {
    /// The embedded default playbook.
    pub fn default_playbook() -> Result<&'static Playbook, Error> {
        default_playbook()
    }

    /// The embedded default playbook as TOML text (with comments).
    pub fn default_toml() -> &'static str {
        DEFAULT_TOML
    }

    /// Parses and validates a TOML playbook.
    ///
    /// ```
    /// let err = tactful::Playbook::from_toml_str("version = 1\ncolour = 3\n").unwrap_err();
    /// assert!(err.to_string().contains("colour"), "{err}");
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Playbook, Error> {
        let value: toml::Table = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_col(text, s.start))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            Error::InvalidPlaybook {
                field: String::new(),
                message: e.message().to_string(),
                line,
                column,
            }
        })?;
        let pb: Playbook = serde_path_to_error::deserialize(toml::Value::Table(value))
            .map_err(|e| located(text, e.path().to_string(), e.inner().to_string()))?;
        pb.validate().map_err(|e| match e {
            Error::InvalidPlaybook { field, message, .. } => located(text, field, message),
            other => other,
        })?;
        Ok(pb)
    }

    /// Parses and validates a JSON playbook.
    pub fn from_json_str(text: &str) -> Result<Playbook, Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let pb: Playbook = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            Error::InvalidPlaybook {
                field: e.path().to_string(),
                message: inner.to_string(),
                line: Some(inner.line()),
                column: Some(inner.column()),
            }
        })?;
        pb.validate()?;
        Ok(pb)
    }

    /// Parses TOML or JSON, whichever the text is (JSON when it starts with `{`).
    pub fn from_str_any(text: &str) -> Result<Playbook, Error> {
        if text.trim_start().starts_with('{') {
            Playbook::from_json_str(text)
        } else {
            Playbook::from_toml_str(text)
        }
    }

    /// Reads a `.json` or `.toml` playbook file.
    pub fn from_path(path: &Path) -> Result<Playbook, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Playbook::from_json_str(&text),
            Some("toml") => Playbook::from_toml_str(&text),
            _ => Playbook::from_str_any(&text),
        }
    }

    /// The playbook as TOML (without the default's comments).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// The playbook as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The category named `name`.
    pub fn category(&self, name: &str) -> Option<&CategorySpec> {
        self.categories.iter().find(|c| c.name == name)
    }

    /// The guidance for `approach`.
    pub fn approach(&self, approach: Approach) -> Option<&ApproachSpec> {
        self.approaches.iter().find(|a| a.approach == approach)
    }

    /// The advice for `channel`.
    pub fn channel(&self, channel: Channel) -> Option<&ChannelSpec> {
        self.channels.iter().find(|c| c.channel == channel)
    }

    /// Checks consistency: version, unique names, `other` present, every approach present,
    /// thresholds in range, known placeholders.
    pub fn validate(&self) -> Result<(), Error> {
        if self.version != PLAYBOOK_VERSION {
            return Err(Error::playbook(
                "version",
                format!(
                    "unsupported version {}, expected {PLAYBOOK_VERSION}",
                    self.version
                ),
            ));
        }
        let t = &self.thresholds;
        for (name, v) in [
            ("abstain", t.abstain),
            ("deescalate_intensity", t.deescalate_intensity),
            ("full_empathy_intensity", t.full_empathy_intensity),
            ("churn_alert", t.churn_alert),
            ("category_model_weight", t.category_model_weight),
            ("emotion_model_weight", t.emotion_model_weight),
            ("sentiment_model_weight", t.sentiment_model_weight),
            ("model_approach", t.model_approach.min(1.0)),
            ("model_empathy", t.model_empathy.min(1.0)),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::playbook(
                    format!("thresholds.{name}"),
                    format!("must be within 0..=1, got {v}"),
                ));
            }
        }
        if !(t.expensive_amount.is_finite() && t.expensive_amount >= 0.0) {
            return Err(Error::playbook(
                "thresholds.expensive_amount",
                "must be a non-negative number",
            ));
        }
        if self.categories.len() > MAX_CATEGORIES {
            return Err(Error::playbook(
                "categories",
                format!(
                    "{} categories, at most {MAX_CATEGORIES} are supported",
                    self.categories.len()
                ),
            ));
        }
        let mut seen = HashSet::new();
        for (i, c) in self.categories.iter().enumerate() {
            let field = |f: &str| format!("categories[{i}].{f}");
            let ok_name = !c.name.is_empty()
                && c.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !ok_name {
                return Err(Error::playbook(
                    field("name"),
                    format!("`{}` is not a snake_case label", c.name),
                ));
            }
            if !seen.insert(c.name.as_str()) {
                return Err(Error::playbook(
                    field("name"),
                    format!("duplicate category `{}`", c.name),
                ));
            }
            for (f, s) in [
                ("issue", &c.issue),
                ("action", &c.action),
                ("timeframe", &c.timeframe),
            ] {
                check_placeholders(&field(f), s)?;
            }
            for (j, s) in c.steps.iter().enumerate() {
                check_placeholders(&field(&format!("steps[{j}]")), s.text())?;
            }
            for (f, list) in [("cues", &c.cues), ("hard_cues", &c.hard_cues)] {
                for (j, cue) in list.iter().enumerate() {
                    if text::phrase_words(cue).is_empty() {
                        return Err(Error::playbook(
                            field(&format!("{f}[{j}]")),
                            "a cue must contain at least one word",
                        ));
                    }
                }
            }
        }
        if !seen.contains(OTHER) {
            return Err(Error::playbook(
                "categories",
                "the abstain category `other` must be defined",
            ));
        }
        for &a in Approach::ALL {
            let n = self.approaches.iter().filter(|s| s.approach == a).count();
            if n != 1 {
                return Err(Error::playbook(
                    "approaches",
                    format!("approach `{a}` must appear exactly once, found {n}"),
                ));
            }
        }
        for (j, s) in self.lines.policy_steps.iter().enumerate() {
            check_placeholders(&format!("lines.policy_steps[{j}]"), s)?;
        }
        check_placeholders("lines.gesture_step", &self.lines.gesture_step)?;
        check_placeholders("lines.supervisor_opening", &self.lines.supervisor_opening)?;
        check_placeholders("lines.policy_opening", &self.lines.policy_opening)?;
        check_placeholders("lines.social_private", &self.lines.social_private)?;
        check_placeholders("lines.social_private_ack", &self.lines.social_private_ack)?;
        self.rationale.check()?;
        self.conversation.check()?;
        for (i, a) in self.approaches.iter().enumerate() {
            for (j, s) in a.steps.iter().enumerate() {
                check_placeholders(&format!("approaches[{i}].steps[{j}]"), s.text())?;
            }
            if a.openings.is_empty() {
                return Err(Error::playbook(
                    format!("approaches[{i}].openings"),
                    "needs at least one opening line",
                ));
            }
            if !a.openings.iter().any(|o| {
                o.emotion.is_none()
                    && o.channel.is_none()
                    && o.requires.is_none()
                    && o.unless.is_none()
                    && !o.text.contains("{amount}")
                    && !o.text.contains("{reference}")
            }) {
                return Err(Error::playbook(
                    format!("approaches[{i}].openings"),
                    "needs at least one opening without an emotion, channel, requires or unless restriction (or {amount} / {reference}, which need the customer to give one)",
                ));
            }
            for (j, o) in a.openings.iter().enumerate() {
                check_placeholders(&format!("approaches[{i}].openings[{j}].text"), &o.text)?;
            }
        }
        Ok(())
    }

    /// A minimal valid playbook, used only if the embedded one could not be loaded.
    pub(crate) fn minimal() -> Playbook {
        Playbook {
            version: PLAYBOOK_VERSION,
            name: "minimal".into(),
            thresholds: Thresholds::default(),
            categories: vec![CategorySpec {
                name: OTHER.into(),
                description: String::new(),
                money_at_risk: false,
                security: false,
                safety: false,
                company_at_fault: false,
                effortful: false,
                account_details: false,
                default_urgency: Urgency::Normal,
                default_approach: Approach::EmpathizeThenResolve,
                issue: "this".into(),
                action: String::new(),
                timeframe: String::new(),
                steps: vec![],
                cues: vec![],
                hard_cues: vec![],
            }],
            approaches: Approach::ALL
                .iter()
                .map(|&a| ApproachSpec {
                    approach: a,
                    empathy: Empathy::Brief,
                    tone: vec![],
                    steps: vec![],
                    avoid: vec![],
                    openings: vec![OpeningSpec {
                        emotion: None,
                        channel: None,
                        text: "Thanks for reaching out.".into(),
                        requires: None,
                        unless: None,
                    }],
                })
                .collect(),
            channels: vec![],
            canned_phrases: vec![],
            jargon: vec![],
            follow_up: FollowUp::default(),
            lines: Lines::default(),
            conditions: Conditions::default(),
            rationale: Rationale::default(),
            conversation: ConversationLines::default(),
        }
    }
}

fn check_placeholders(field: &str, s: &str) -> Result<(), Error> {
    crate::sentences::check_names(field, s, PLACEHOLDERS)
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = text.get(..byte).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Attaches the line of the field's last key to an error found after parsing.
fn located(text: &str, field: String, message: String) -> Error {
    let key = field
        .rsplit(['.', '['])
        .find(|k| !k.is_empty() && !k.ends_with(']'))
        .unwrap_or("")
        .to_string();
    // serde names an unknown field in the message, not the path.
    let probe = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field"))
        .map(str::to_string)
        .unwrap_or(key);
    let line = (!probe.is_empty())
        .then(|| {
            text.lines().position(|l| {
                let l = l.trim_start().trim_start_matches('[');
                l.starts_with(&probe) && l[probe.len()..].trim_start().starts_with(['=', ']', '.'])
            })
        })
        .flatten()
        .map(|i| i + 1);
    Error::InvalidPlaybook {
        field,
        message,
        line,
        column: None,
    }
}

/// The playbook compiled for fast matching: built once per engine.
#[derive(Debug)]
pub(crate) struct Compiled {
    /// Category cue phrases; the payload is `(category index, hard)`.
    pub cues: PhraseTable<(u16, bool)>,
    /// Index of `other` in `categories`.
    pub other: usize,
    /// Category names, shared by every result (cloning an `Arc` does not allocate).
    pub names: Vec<std::sync::Arc<str>>,
    /// Evidence signal names per category: `<name>_cue`, `<name>_hard_cue`, `model:<name>`.
    pub evidence_names: Vec<[crate::EvidenceSignal; 3]>,
    /// Category index by name.
    pub by_name: HashMap<String, usize>,
    /// Every step template, numbered, with its word set.
    pub steps: StepIndex,
    /// The playbook's condition phrases ([`Conditions`]).
    pub conditions: PhraseTable<Condition>,
    /// Per approach (parallel to `Playbook::approaches`), per opening: whether it quotes the
    /// customer's `{amount}` and `{reference}`.
    pub quotes: Vec<Vec<(bool, bool)>>,
}

/// The phrase conditions ([`Condition::Bereavement`], [`Condition::ReasonGiven`],
/// [`Condition::Hardship`]) a text
/// meets, read in the same pass as the rest of the features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Said(u8);

impl Said {
    pub(crate) fn insert(&mut self, c: Condition) {
        self.0 |= 1 << (c as u8);
    }

    pub(crate) fn has(self, c: Condition) -> bool {
        self.0 & (1 << (c as u8)) != 0
    }
}

/// The playbook's step templates numbered once, each with the set of its words (as sorted
/// hashes), so the recommender can drop a step that repeats an earlier one without reading
/// words on every call.
#[derive(Debug, Default)]
pub(crate) struct StepIndex {
    /// Ids of each approach's steps, parallel to `Playbook::approaches`.
    pub approach: Vec<Vec<u32>>,
    /// Ids of each category's steps, parallel to `Playbook::categories`.
    pub category: Vec<Vec<u32>>,
    /// Ids of [`Lines::policy_steps`].
    pub policy: Vec<u32>,
    /// Ids of the single [`Lines`] steps and the follow-ups.
    pub repeat_contact: u32,
    pub vulnerable: u32,
    pub supervisor: u32,
    pub gesture: u32,
    pub churn: u32,
    pub social: u32,
    pub csat: u32,
    pub ces: u32,
    /// Per step id, the ids of the steps that say the same thing (sorted; mostly empty).
    similar: Vec<Box<[u32]>>,
}

impl StepIndex {
    fn new(pb: &Playbook) -> StepIndex {
        let mut words: Vec<Box<[u64]>> = Vec::new();
        let mut add = |t: &str| -> u32 {
            words.push(word_set(t));
            (words.len() - 1) as u32
        };
        let approach: Vec<Vec<u32>> = pb
            .approaches
            .iter()
            .map(|a| a.steps.iter().map(|t| add(t.text())).collect())
            .collect();
        let category: Vec<Vec<u32>> = pb
            .categories
            .iter()
            .map(|c| c.steps.iter().map(|t| add(t.text())).collect())
            .collect();
        let l = &pb.lines;
        let policy: Vec<u32> = l.policy_steps.iter().map(|t| add(t)).collect();
        let singles = [
            &l.repeat_contact_step,
            &l.vulnerable_step,
            &l.supervisor_step,
            &l.gesture_step,
            &l.churn_step,
            &l.social_step,
            &pb.follow_up.csat,
            &pb.follow_up.ces,
        ]
        .map(|t| add(t));
        // Only steps that can meet in one recommendation are compared: an approach's, a
        // category's and the lines. That keeps a playbook of many categories linear to load.
        let mut lines: Vec<u32> = policy.clone();
        lines.extend(singles);
        let approaches: Vec<u32> = approach.iter().flatten().copied().collect();
        let mut similar: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        let mut compare = |a: u32, b: u32| {
            if a != b && same_words(&words[a as usize], &words[b as usize]) {
                similar[a as usize].push(b);
                similar[b as usize].push(a);
            }
        };
        let pairs_within = |ids: &[u32], compare: &mut dyn FnMut(u32, u32)| {
            for (i, &a) in ids.iter().enumerate() {
                for &b in &ids[i + 1..] {
                    compare(a, b);
                }
            }
        };
        pairs_within(&approaches, &mut compare);
        pairs_within(&lines, &mut compare);
        for &a in &approaches {
            for &b in &lines {
                compare(a, b);
            }
        }
        for c in &category {
            pairs_within(c, &mut compare);
            for &a in c {
                for &b in approaches.iter().chain(&lines) {
                    compare(a, b);
                }
            }
        }
        StepIndex {
            approach,
            category,
            policy,
            repeat_contact: singles[0],
            vulnerable: singles[1],
            supervisor: singles[2],
            gesture: singles[3],
            churn: singles[4],
            social: singles[5],
            csat: singles[6],
            ces: singles[7],
            similar: similar
                .into_iter()
                .map(|mut v| {
                    v.sort_unstable();
                    v.dedup();
                    v.into_boxed_slice()
                })
                .collect(),
        }
    }

    /// Whether steps `a` and `b` say the same thing.
    pub(crate) fn repeats(&self, a: u32, b: u32) -> bool {
        self.similar
            .get(a as usize)
            .is_some_and(|v| v.binary_search(&b).is_ok())
    }
}

/// At least 55 % of the two word sets (Jaccard) shared: "Answer in the first sentence" and
/// "Answer the question directly in the first sentence".
fn same_words(a: &[u64], b: &[u64]) -> bool {
    // `common` is at most the smaller set and `union` at least the larger: sets of very
    // different sizes cannot share 55 %, which most pairs are.
    let (small, large) = (a.len().min(b.len()), a.len().max(b.len()));
    if small * 100 < large * 55 {
        return false;
    }
    // Both are sorted and distinct: one merge counts the words they share.
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    union > 0 && common * 100 >= union * 55
}

/// The distinct words of `t`, lower-cased, as sorted FNV-1a hashes.
fn word_set(t: &str) -> Box<[u64]> {
    // FNV-1a of the ASCII-lower-cased word, one byte at a time (no lower-cased copy).
    let mut out: Vec<u64> = t
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.bytes().fold(text::FNV_START, |h, b| {
                text::fnv1a(h, &[b.to_ascii_lowercase()])
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out.into_boxed_slice()
}

impl Compiled {
    /// No categories: the text-only features the models are trained on.
    pub(crate) fn empty() -> Compiled {
        Compiled {
            cues: PhraseTable::default(),
            other: 0,
            names: Vec::new(),
            evidence_names: Vec::new(),
            by_name: HashMap::new(),
            steps: StepIndex::default(),
            conditions: PhraseTable::default(),
            quotes: Vec::new(),
        }
    }

    pub(crate) fn new(pb: &Playbook) -> Compiled {
        // `validate` caps the number of categories at MAX_CATEGORIES, so `i` fits in 16 bits.
        let cues = PhraseTable::new(pb.categories.iter().enumerate().flat_map(|(i, c)| {
            let soft = c.cues.iter().map(move |p| (p.as_str(), (i as u16, false)));
            let hard = c
                .hard_cues
                .iter()
                .map(move |p| (p.as_str(), (i as u16, true)));
            soft.chain(hard)
        }));
        let conditions = PhraseTable::new(
            [
                (&pb.conditions.bereavement, Condition::Bereavement),
                (&pb.conditions.reason_given, Condition::ReasonGiven),
                (&pb.conditions.hardship, Condition::Hardship),
            ]
            .into_iter()
            .flat_map(|(list, c)| list.iter().map(move |p| (p.as_str(), c))),
        );
        let by_name: HashMap<String, usize> = pb
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
        Compiled {
            names: pb
                .categories
                .iter()
                .map(|c| c.name.as_str().into())
                .collect(),
            evidence_names: pb
                .categories
                .iter()
                .map(|c| crate::EvidenceSignal::of_category(&c.name))
                .collect(),
            cues,
            other: by_name.get(OTHER).copied().unwrap_or(0),
            by_name,
            steps: StepIndex::new(pb),
            conditions,
            quotes: pb
                .approaches
                .iter()
                .map(|a| {
                    a.openings
                        .iter()
                        .map(|o| (o.text.contains("{amount}"), o.text.contains("{reference}")))
                        .collect()
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Doc, PhraseSet};

    #[test]
    fn the_embedded_json_is_the_embedded_toml() {
        // The TOML parse validates too: the JSON form is not validated at run time.
        let toml = Playbook::from_toml_str(DEFAULT_TOML).expect("the default playbook");
        assert_eq!(default_playbook().expect("the JSON form"), &toml);
    }

    /// Every phrase of a [`PhraseTable`] against a [`PhraseSet`] of the same phrases: the
    /// same stems, payloads and matches (over all the phrases and a few messages).
    fn same_as_phrase_set<T: Copy + PartialEq + std::fmt::Debug>(
        table: &PhraseTable<T>,
        phrases: &[(&str, T)],
    ) {
        let mut set = PhraseSet::default();
        let mut want: Vec<(Vec<String>, T)> = Vec::new();
        for &(p, v) in phrases {
            set.insert(p, v);
            let stems = text::phrase_words(p);
            if !stems.is_empty() {
                want.push((stems, v));
            }
        }
        let got: Vec<(Vec<String>, T)> = table
            .entries()
            .map(|(s, v)| (s.into_iter().map(String::from).collect(), *v))
            .collect();
        assert_eq!(got, want);
        assert_eq!(table.len(), set.len());
        let mut texts: Vec<String> = phrases.iter().map(|(p, _)| p.to_string()).collect();
        texts.push(texts.join(". "));
        texts.push("My card was STOLEN and I was charged twice; I lost my job. Cancel it!".into());
        for t in &texts {
            let doc = Doc::new(t);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            table.for_each_match(&doc, |m| a.push((m.first, m.last, *m.value)));
            set.for_each_match(&doc, |m| b.push((m.first, m.last, *m.value)));
            assert_eq!(a, b, "{t}");
        }
    }

    #[test]
    fn step_similarity_is_the_jaccard_test() {
        // The plain definition, against every pair of the default playbook's step texts.
        fn reference(a: &[u64], b: &[u64]) -> bool {
            let common = b.iter().filter(|x| a.binary_search(x).is_ok()).count();
            let union = a.len() + b.len() - common;
            union > 0 && common * 100 >= union * 55
        }
        let pb = default_playbook().unwrap();
        let mut texts: Vec<&str> = Vec::new();
        for a in &pb.approaches {
            texts.extend(a.steps.iter().map(StepSpec::text));
        }
        for c in &pb.categories {
            texts.extend(c.steps.iter().map(StepSpec::text));
        }
        texts.extend(pb.lines.policy_steps.iter().map(String::as_str));
        texts.extend([
            "",
            "Answer in the first sentence",
            "Answer the question directly in the first sentence",
        ]);
        let sets: Vec<Box<[u64]>> = texts.iter().map(|t| word_set(t)).collect();
        let mut similar = 0;
        for a in &sets {
            for b in &sets {
                assert_eq!(same_words(a, b), reference(a, b));
                similar += usize::from(reference(a, b));
            }
        }
        // Not only the diagonal: some different steps do say the same thing.
        assert!(similar > sets.len(), "{similar}");
    }

    #[test]
    fn compiled_cue_tables_match_like_phrase_sets() {
        let mut pb = default_playbook().unwrap().clone();
        // Phrases off the fast path: capitals, punctuation, wildcards, odd spacing, no word.
        pb.categories[0].cues.extend(
            [
                "Charged  Twice",
                " refund*",
                "can't log in",
                "e-mail",
                "--",
                "it's",
                "'quoted",
                "rock'n'roll",
                "o'",
                "don't'",
                "3's",
                "charges ",
                "a'b c''d",
                "café",
            ]
            .map(String::from),
        );
        let c = Compiled::new(&pb);
        let mut cues: Vec<(&str, (u16, bool))> = Vec::new();
        for (i, cat) in pb.categories.iter().enumerate() {
            cues.extend(cat.cues.iter().map(|p| (p.as_str(), (i as u16, false))));
            cues.extend(cat.hard_cues.iter().map(|p| (p.as_str(), (i as u16, true))));
        }
        assert!(cues.len() > 100);
        same_as_phrase_set(&c.cues, &cues);
        let mut conditions: Vec<(&str, Condition)> = Vec::new();
        for (list, k) in [
            (&pb.conditions.bereavement, Condition::Bereavement),
            (&pb.conditions.reason_given, Condition::ReasonGiven),
            (&pb.conditions.hardship, Condition::Hardship),
        ] {
            conditions.extend(list.iter().map(|p| (p.as_str(), k)));
        }
        assert!(!conditions.is_empty());
        same_as_phrase_set(&c.conditions, &conditions);
    }
}
