//! The stable vocabulary and the [`Assessment`] shape every surface returns.
//!
//! Field and variant names serialize in `snake_case` exactly as `DESIGN.md` lists them;
//! they are part of the public contract shared with the C ABI and the Python package.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        ///
        /// Values may be added in a minor release (`#[non_exhaustive]`): a `match` outside this
        /// crate needs a `_` arm; [`Self::ALL`], `as_str` and `code` cover every value.
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in the order of their stable numeric codes.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable `snake_case` name used in JSON, C and Python.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The stable numeric code used by the C ABI (never reused).
            pub const fn code(self) -> u32 {
                match self { $($name::$variant => $code),+ }
            }

            /// The value whose stable numeric code is `code`, or `None` for a code not in use.
            pub const fn from_code(code: u32) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                // `pad`, not `write_str`: `{:<30}` lines values up like the names they print.
                f.pad(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> ::std::result::Result<Self, $crate::Error> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::Error::UnknownValue {
                        what: $what,
                        value: s.chars().take(64).collect(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }
    };
}

/// Used by the review for its finding codes.
pub(crate) use vocabulary;

vocabulary! {
    /// The customer's state of mind.
    Emotion, "emotion" {
        /// Hostile, blaming, shouting.
        Anger = "anger" = 0,
        /// Annoyed, let down, fed up.
        Frustration = "frustration" = 1,
        /// Worried, afraid, nervous.
        Anxiety = "anxiety" = 2,
        /// Sad, grieving, hopeless.
        Sadness = "sadness" = 3,
        /// Lost, does not understand.
        Confusion = "confusion" = 4,
        /// Calm, matter of fact.
        Neutral = "neutral" = 5,
        /// Happy, grateful, pleased.
        Positive = "positive" = 6,
    }
}

vocabulary! {
    /// How fast the situation needs action.
    Urgency, "urgency" {
        /// Money, security or safety at risk right now.
        Critical = "critical" = 0,
        /// Needs action today.
        High = "high" = 1,
        /// Ordinary service request.
        Normal = "normal" = 2,
        /// No time pressure (thanks, feedback, general questions).
        Low = "low" = 3,
    }
}

vocabulary! {
    /// What the customer wants from this contact.
    Stance, "stance" {
        /// Wants to be heard more than anything else.
        Venting = "venting" = 0,
        /// Wants a problem fixed.
        SeekingResolution = "seeking_resolution" = 1,
        /// Wants an answer to a question.
        SeekingInformation = "seeking_information" = 2,
        /// Gives praise, thanks or suggestions.
        GivingFeedback = "giving_feedback" = 3,
        /// Wants to cancel or leave.
        Leaving = "leaving" = 4,
    }
}

vocabulary! {
    /// How the customer communicates.
    Style, "style" {
        /// Facts, numbers, order ids, dates.
        DataDriven = "data_driven" = 0,
        /// Feelings and stories.
        ExperienceDriven = "experience_driven" = 1,
        /// Neither dominates.
        Balanced = "balanced" = 2,
    }
}

vocabulary! {
    /// The core of the recommendation: what the agent leads with.
    Approach, "approach" {
        /// One short acknowledgement, then immediate concrete action and a time frame.
        ResolveFirst = "resolve_first" = 0,
        /// Acknowledge and validate the feeling, then solve.
        EmpathizeThenResolve = "empathize_then_resolve" = 1,
        /// The customer is venting: reflect, validate, ask open questions.
        ListenAndValidate = "listen_and_validate" = 2,
        /// High-intensity anger, abuse or threats: stay calm, acknowledge, set the next step.
        Deescalate = "deescalate" = 3,
        /// A calm question: plain, precise facts, light warmth.
        InformConcisely = "inform_concisely" = 4,
        /// Praise or thanks: thank them and reinforce the relationship.
        Appreciate = "appreciate" = 5,
        /// Wants to leave: understand the reason, empathize, offer real alternatives.
        Retain = "retain" = 6,
    }
}

vocabulary! {
    /// How much empathy goes up front.
    Empathy, "empathy" {
        /// None up front: go straight to the answer.
        None = "none" = 0,
        /// One short acknowledgement.
        Brief = "brief" = 1,
        /// Acknowledge and validate fully before anything else.
        Full = "full" = 2,
    }
}

vocabulary! {
    /// Where the conversation happens.
    Channel, "channel" {
        /// Voice call.
        Phone = "phone" = 0,
        /// Live chat.
        Chat = "chat" = 1,
        /// Email.
        Email = "email" = 2,
        /// Public social media.
        Social = "social" = 3,
        /// Text message.
        Sms = "sms" = 4,
        /// Face to face.
        InPerson = "in_person" = 5,
    }
}

vocabulary! {
    /// Facts about the situation that change how to respond.
    Flag, "flag" {
        /// The category puts the customer's money at risk.
        MoneyAtRisk = "money_at_risk" = 0,
        /// The category involves account or card security.
        Security = "security" = 1,
        /// Physical safety is involved.
        Safety = "safety" = 2,
        /// The customer has contacted us about this before.
        RepeatContact = "repeat_contact" = 3,
        /// Bereavement, serious illness or financial hardship.
        Vulnerable = "vulnerable" = 4,
        /// Threat of legal action.
        LegalThreat = "legal_threat" = 5,
        /// Threat to complain to a regulator or ombudsman.
        RegulatorThreat = "regulator_threat" = 6,
        /// Threat of a chargeback or payment dispute.
        ChargebackThreat = "chargeback_threat" = 7,
        /// Threat to go public on social media or review sites.
        SocialMediaThreat = "social_media_threat" = 8,
        /// Threat to cancel or switch provider.
        ChurnThreat = "churn_threat" = 9,
        /// Profanity in the message.
        Profanity = "profanity" = 10,
        /// Abuse aimed at the agent or company.
        Abuse = "abuse" = 11,
        /// Sarcasm cues: positive words with a negative meaning.
        Sarcasm = "sarcasm" = 12,
        /// The request conflicts with policy (from the context).
        PolicyConflict = "policy_conflict" = 13,
        /// A high-value relationship (from the context).
        HighValue = "high_value" = 14,
        /// The customer asks for a supervisor, manager or human.
        SupervisorRequested = "supervisor_requested" = 15,
        /// Shouting: much of the message is in capitals.
        Shouting = "shouting" = 16,
        /// The company is at fault (defect, failure, missed promise).
        CompanyAtFault = "company_at_fault" = 17,
        /// Past feedback from this customer was negative.
        NegativeHistory = "negative_history" = 18,
        /// The reading is unsure: no category is likely enough (or the message is not in
        /// English). The category is still the most likely one.
        LowConfidence = "low_confidence" = 19,
        /// The message is an expensive purchase gone wrong.
        HighValueItem = "high_value_item" = 20,
        /// The message is not written in English: the reading is a guess.
        NonEnglish = "non_english" = 21,
    }
}

vocabulary! {
    /// The relationship with the customer (the context's `relationship`).
    Relationship, "relationship" {
        /// A new customer: first impressions, a quick win matters.
        New = "new" = 0,
        /// An established customer.
        Established = "established" = 1,
        /// A high-value customer: the long-term relationship matters most.
        HighValue = "high_value" = 2,
    }
}

/// A label set's probabilities, in the label set's own order; they sum to 1.
///
/// Serialized as a JSON object `{"label": probability, ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores<L> {
    entries: Vec<(L, f64)>,
}

impl<L> Scores<L> {
    /// Builds scores from `(label, probability)` pairs, kept in the given order.
    pub fn from_pairs(entries: Vec<(L, f64)>) -> Self {
        Scores { entries }
    }

    /// `(label, probability)` pairs in label-set order.
    pub fn iter(&self) -> impl Iterator<Item = (&L, f64)> + '_ {
        self.entries.iter().map(|(l, p)| (l, *p))
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no labels.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `(label, probability)` pairs.
    pub fn into_pairs(self) -> Vec<(L, f64)> {
        self.entries
    }

    /// Sum of all probabilities (1 up to rounding).
    pub fn total(&self) -> f64 {
        self.entries.iter().map(|(_, p)| p).sum()
    }
}

impl<L: PartialEq + Copy> Scores<L> {
    /// Probability of a typed label, 0 when it is not in the set.
    ///
    /// ```
    /// use tactful::{Context, Emotion, Engine};
    /// let a = Engine::default().assess("This is the third time you've lost my parcel!", &Context::default())?;
    /// let scores = &a.situation.emotion.scores;
    /// assert_eq!(scores.of(Emotion::Anger), scores.get("anger"));
    /// assert!(scores.of(a.situation.emotion.label) > 0.0);
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn of(&self, label: L) -> f64 {
        self.entries
            .iter()
            .find(|(l, _)| *l == label)
            .map_or(0.0, |(_, p)| *p)
    }
}

impl<L: AsRef<str>> Scores<L> {
    /// Probability of the label named `label`, 0 when it is not in the set: the look-up for
    /// category names, which are the playbook's data (for emotions prefer [`Scores::of`]).
    pub fn get(&self, label: &str) -> f64 {
        self.entries
            .iter()
            .find(|(l, _)| l.as_ref() == label)
            .map_or(0.0, |(_, p)| *p)
    }
}

impl AsRef<str> for Emotion {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl<L: Serialize> Serialize for Scores<L> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (l, p) in &self.entries {
            map.serialize_entry(l, p)?;
        }
        map.end()
    }
}

impl<'de, L: Deserialize<'de>> Deserialize<'de> for Scores<L> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<L>(PhantomData<L>);
        impl<'de, L: Deserialize<'de>> Visitor<'de> for V<L> {
            type Value = Scores<L>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of label to probability")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = m.next_entry()? {
                    entries.push((k, v));
                }
                Ok(Scores { entries })
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// The issue category: a label from the playbook with its probability distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CategoryResult {
    /// The chosen category (`other` when the classifier abstains).
    pub label: Arc<str>,
    /// Probability of the chosen category, 0..1.
    pub confidence: f64,
    /// Probability of every category of the playbook.
    pub scores: Scores<Arc<str>>,
}

/// The customer's emotion with its strength.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmotionResult {
    /// The dominant emotion.
    pub label: Emotion,
    /// Probability of the dominant emotion, 0..1.
    pub confidence: f64,
    /// How strongly it is expressed, 0..1.
    pub intensity: f64,
    /// Probability of each of the seven emotions.
    pub scores: Scores<Emotion>,
}

/// What situation this is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Situation {
    /// The issue category.
    pub category: CategoryResult,
    /// The customer's emotion.
    pub emotion: EmotionResult,
    /// Overall valence, −1 (very negative) … 1 (very positive).
    pub sentiment: f64,
    /// How fast this needs action.
    pub urgency: Urgency,
    /// What the customer wants.
    pub stance: Stance,
    /// How the customer communicates.
    pub style: Style,
    /// Likelihood the contact escalates (supervisor, complaint, threat), 0..1.
    pub escalation_risk: f64,
    /// Likelihood the customer leaves, 0..1.
    pub churn_risk: f64,
    /// Facts that change how to respond, in code order.
    pub flags: Vec<Flag>,
    /// What the classifier read from the text for the recommender; not serialized.
    #[serde(skip)]
    pub(crate) hints: Hints,
}

/// What the classifier read from the text about how to respond, kept with the situation so
/// that `recommend` on a classified situation answers exactly as `assess` does. Hints hold
/// only for the readings they were made with: a situation whose category, emotion, stance,
/// urgency, style or flags were edited is recommended for from its readings alone.
/// Derived data, so two situations equal in every reading are equal whatever their hints.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints {
    /// The playbook's phrase conditions the text meets.
    pub(crate) said: crate::respond::playbook::Said,
    /// The approach head's answer and probability.
    pub(crate) approach: Option<(Approach, f32)>,
    /// The empathy head's answer and probability.
    pub(crate) empathy: Option<(Empathy, f32)>,
    /// Seed for choosing among equally good openings, from the text.
    pub(crate) seed: u64,
    /// The one sum of money the customer names (with its currency sign), for openings that
    /// quote it; none when there are several (quoting the wrong one is worse than none).
    pub(crate) amount: Option<Box<str>>,
    /// The one order, booking or ticket reference the customer gives, likewise.
    pub(crate) reference: Option<Box<str>>,
    /// Fingerprint of the readings the hints were made with (0: no hints).
    pub(crate) of: u64,
}

impl PartialEq for Hints {
    fn eq(&self, _: &Hints) -> bool {
        true
    }
}

impl Hints {
    /// The hints when they belong to `s`'s readings, else none (borrowed: recommending
    /// copies nothing).
    pub(crate) fn for_situation(s: &Situation) -> Option<&Hints> {
        (s.hints.of != 0 && s.hints.of == Hints::fingerprint(s)).then_some(&s.hints)
    }

    /// FNV-1a over the readings the recommender reasons from (never 0).
    pub(crate) fn fingerprint(s: &Situation) -> u64 {
        use crate::text::{fnv1a, FNV_START};
        let mut h = fnv1a(FNV_START, s.category.label.as_bytes());
        let mut eat = |bytes: &[u8]| h = fnv1a(h, bytes);
        eat(&[
            0xff,
            s.emotion.label.code() as u8,
            s.stance.code() as u8,
            s.urgency.code() as u8,
            s.style.code() as u8,
        ]);
        for f in &s.flags {
            eat(&(f.code() as u16).to_le_bytes());
        }
        h.max(1)
    }
}

impl Situation {
    /// True when `flag` is set.
    pub fn has(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }
}

/// How the agent should respond.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recommendation {
    /// What to lead with.
    pub approach: Approach,
    /// How much empathy goes up front.
    pub empathy: Empathy,
    /// Tone words, e.g. `calm`, `direct`.
    pub tone: Vec<String>,
    /// A suggested first line for the agent.
    pub opening: String,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// What not to say or do.
    pub avoid: Vec<String>,
    /// Advice for the channel.
    pub channel_tips: Vec<String>,
    /// Why, in plain words.
    pub rationale: Vec<String>,
}

/// A span of the input that supports a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Evidence {
    /// What the span signals, e.g. `negation`, `repeat_contact`, `fraud_security_cue`;
    /// serialized as its name.
    pub signal: crate::EvidenceSignal,
    /// Byte offset of the first byte, on a char boundary.
    pub start: usize,
    /// Byte offset one past the last byte, on a char boundary.
    pub end: usize,
    /// The span's text, `input[start..end]`; a span longer than 200 bytes carries its first
    /// 200 bytes (cut at a char boundary) followed by `…`.
    pub text: String,
}

/// What situation this is and how to respond: the result of [`Engine::assess`](crate::Engine::assess).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Assessment {
    /// What situation this is.
    pub situation: Situation,
    /// How the agent should respond.
    pub recommendation: Recommendation,
    /// Spans of the input behind the decisions.
    pub evidence: Vec<Evidence>,
}

/// The classifier's output without a recommendation: see [`Engine::classify`](crate::Engine::classify).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Classification {
    /// What situation this is.
    pub situation: Situation,
    /// Spans of the input behind the decisions.
    pub evidence: Vec<Evidence>,
}

impl Assessment {
    /// The assessment as compact JSON (the shape of `DESIGN.md`).
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings, numbers and maps with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod vocabulary_tests {
    use super::*;
    use std::str::FromStr;

    fn round_trips<T: Copy + PartialEq + fmt::Debug + FromStr>(
        all: &[T],
        code: fn(T) -> u32,
        from_code: fn(u32) -> Option<T>,
        as_str: fn(T) -> &'static str,
    ) {
        for (i, &v) in all.iter().enumerate() {
            assert_eq!(code(v), i as u32, "{v:?}: codes follow ALL");
            assert_eq!(from_code(code(v)), Some(v));
            assert!(as_str(v).parse::<T>().ok() == Some(v), "{v:?}");
        }
        assert_eq!(from_code(all.len() as u32), None);
        assert_eq!(from_code(255), None);
    }

    #[test]
    fn every_code_maps_back_to_its_value() {
        round_trips(
            Emotion::ALL,
            Emotion::code,
            Emotion::from_code,
            Emotion::as_str,
        );
        round_trips(
            Urgency::ALL,
            Urgency::code,
            Urgency::from_code,
            Urgency::as_str,
        );
        round_trips(Stance::ALL, Stance::code, Stance::from_code, Stance::as_str);
        round_trips(Style::ALL, Style::code, Style::from_code, Style::as_str);
        round_trips(
            Approach::ALL,
            Approach::code,
            Approach::from_code,
            Approach::as_str,
        );
        round_trips(
            Empathy::ALL,
            Empathy::code,
            Empathy::from_code,
            Empathy::as_str,
        );
        round_trips(
            Channel::ALL,
            Channel::code,
            Channel::from_code,
            Channel::as_str,
        );
        round_trips(Flag::ALL, Flag::code, Flag::from_code, Flag::as_str);
        round_trips(
            Relationship::ALL,
            Relationship::code,
            Relationship::from_code,
            Relationship::as_str,
        );
        assert_eq!(Relationship::HighValue.code(), 2);
        assert_eq!(
            format!("{:<9}|{:>9}|", Flag::Abuse, Style::Balanced),
            "abuse    | balanced|"
        );
        assert_eq!(Flag::Abuse.to_string(), "abuse");
        assert_eq!(Relationship::from_code(0), Some(Relationship::New));
    }
}
