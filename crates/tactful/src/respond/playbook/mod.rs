//! The playbook: one serde structure holding everything a contact center may want to change
//! without touching code — categories and their attributes, cue phrases, phrase banks per
//! approach × emotion × channel, words to avoid, jargon, thresholds, follow-ups, and every
//! other sentence the recommender and the conversation tracker show (context lines,
//! rationale, conversation advice; see [`Rationale`] and [`ConversationLines`]).
//!
//! The default playbook is embedded (`data/playbook.toml`); print it with
//! `tactful playbook --dump` and start from there. TOML and JSON are both accepted, unknown
//! fields are rejected, and errors name the field (and the line for TOML).
//!
//! Layout: this file holds the playbook's types; `load` parses, validates and prints them,
//! `compiled` builds the per-engine matching tables and `sentences` the sentence tables.

mod compiled;
mod load;
pub(crate) mod sentences;

pub(crate) use self::compiled::{Compiled, Said, StepIndex};

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

pub use self::sentences::{ConversationLines, FollowUp, Lines, Rationale};
use crate::text;
use crate::{Approach, Channel, Emotion, Empathy, Error, Urgency};

/// The playbook format version this crate reads.
pub const PLAYBOOK_VERSION: u32 = 1;

/// The name of the abstain category, which every playbook must define.
pub const OTHER: &str = "other";

/// The most categories a playbook may define (65,536): the compiled cue tables index
/// categories with 16 bits, so a larger playbook is rejected by [`Playbook::validate`].
pub const MAX_CATEGORIES: usize = u16::MAX as usize + 1;

static DEFAULT_TOML: &str = include_str!("../../../data/playbook.toml");

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
    /// The message is about a journey: a flight, a train, a gate, bags ("my flight",
    /// "boarding", "missed my connection"). A category's `variants` can word its issue and
    /// action for it ("your journey", "I'm checking your booking") instead of an order's.
    pub travel: Vec<String>,
    /// The fault is in a service rather than an object: a connection, an outage, an app or a
    /// website ("no signal", "wifi", "the app keeps crashing"). A replacement is not the fix.
    pub service_fault: Vec<String>,
}

impl Conditions {
    /// Each phrase list with the condition it establishes.
    pub(crate) fn lists(&self) -> [(&[String], Condition); 5] {
        [
            (&self.bereavement, Condition::Bereavement),
            (&self.reason_given, Condition::ReasonGiven),
            (&self.hardship, Condition::Hardship),
            (&self.travel, Condition::Travel),
            (&self.service_fault, Condition::ServiceFault),
        ]
    }
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
    /// A journey: a flight, a train, bags ([`Conditions::travel`]).
    Travel,
    /// A fault in a service (connection, outage, app, website) rather than in an object
    /// ([`Conditions::service_fault`]).
    ServiceFault,
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
    /// Other words for the issue, the action and the time frame when a condition holds: the
    /// first variant whose condition the message meets replaces those of its fields that are
    /// not empty (a late flight is not "your delivery", and an outage is not fixed by "arranging
    /// the replacement").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<CategoryVariant>,
}

/// A category's wording for messages that meet a [`Condition`] ([`CategorySpec::variants`]).
///
/// ```
/// use tactful::{CategoryVariant, Condition};
/// let mut v = CategoryVariant::new(Condition::Travel);
/// v.issue = "your journey".into();
/// v.action = "I'm checking your booking right now".into();
/// assert!(v.timeframe.is_empty()); // the category's own time frame is kept
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CategoryVariant {
    /// The condition the message must meet.
    pub requires: Condition,
    /// The issue in a sentence (empty: the category's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issue: String,
    /// The first concrete action (empty: the category's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub action: String,
    /// The time frame (empty: the category's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timeframe: String,
}

impl CategoryVariant {
    /// A variant that changes nothing until its fields are set.
    pub fn new(requires: Condition) -> Self {
        CategoryVariant {
            requires,
            issue: String::new(),
            action: String::new(),
            timeframe: String::new(),
        }
    }
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
            variants: Vec::new(),
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
    /// The time frame promised on this channel, instead of the category's (empty: the
    /// category's). An email is answered by email: "I'll email you in the next couple of
    /// minutes" is not a promise to make there, "today" is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timeframe: String,
}

impl ChannelSpec {
    /// Advice for `channel` with no tips and no word limits; assign them afterwards.
    pub fn new(channel: Channel) -> Self {
        ChannelSpec {
            channel,
            tips: Vec::new(),
            min_reply_words: 0,
            max_reply_words: 0,
            timeframe: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_json_is_the_embedded_toml() {
        // The TOML parse validates too: the JSON form is not validated at run time.
        let toml = Playbook::from_toml_str(DEFAULT_TOML).expect("the default playbook");
        assert_eq!(default_playbook().expect("the JSON form"), &toml);
    }
}
