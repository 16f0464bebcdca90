//! [`EvidenceSignal`]: what an [`Evidence`](crate::Evidence) span signals, as a typed code.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Error;

/// The `<category>` part of [`EvidenceSignal::CategoryCue`], [`EvidenceSignal::CategoryHardCue`]
/// and [`EvidenceSignal::ModelFeature`]: a playbook category with the signal's full name.
///
/// Made by the engine or by parsing a name (`"fraud_security_cue".parse::<EvidenceSignal>()`).
///
/// ```
/// use tactful::EvidenceSignal;
/// let s: EvidenceSignal = "model:delivery".parse()?;
/// let EvidenceSignal::ModelFeature(c) = &s else { unreachable!() };
/// assert_eq!(c.category(), "delivery");
/// assert_eq!(c.as_str(), "model:delivery");
/// # Ok::<(), tactful::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CategorySignal {
    category: Arc<str>,
    name: Arc<str>,
}

impl CategorySignal {
    /// The playbook category, e.g. `fraud_security`.
    pub fn category(&self) -> &str {
        &self.category
    }

    /// The signal's full name, e.g. `fraud_security_cue` or `model:fraud_security`.
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

/// A category name as a playbook accepts it: non-empty `snake_case` ASCII.
fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

macro_rules! evidence_signals {
    ($( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?) => {
        /// What an [`Evidence`](crate::Evidence) span signals: a stable `snake_case` name, e.g.
        /// `negation`, `money`, `anger_cue`, or one made of a playbook category:
        /// `<category>_cue`, `<category>_hard_cue`, `model:<category>`.
        ///
        /// Serialized as its name (`"money"`), so the JSON is the same as when the field was a
        /// string; [`Self::as_str`] and `FromStr` convert both ways, and a signal compares equal
        /// to its name (`e.signal == "money"`). Parsing, and so deserializing, an unknown name
        /// is an [`Error::UnknownValue`]. Names are never renamed or reused; new ones are only
        /// added (`#[non_exhaustive]`: a `match` outside this crate needs a `_` arm).
        ///
        /// A category named like a fixed signal's prefix (a category `anger` would give
        /// `anger_cue`) parses back as the fixed signal: the names stay equal, the variants
        /// do not.
        ///
        /// ```
        /// use tactful::{Context, Engine, EvidenceSignal};
        /// let engine = Engine::default();
        /// let a = engine.assess("I was charged $40 twice for order 4471.", &Context::default())?;
        /// assert!(a.evidence.iter().any(|e| e.signal == EvidenceSignal::Money));
        /// assert!(a.evidence.iter().any(|e| e.signal == "reference_number"));
        ///
        /// assert_eq!("negation".parse::<EvidenceSignal>()?, EvidenceSignal::Negation);
        /// assert_eq!(EvidenceSignal::AngerCue.as_str(), "anger_cue");
        /// let cue: EvidenceSignal = "billing_refund_cue".parse()?;
        /// assert_eq!(cue.category(), Some("billing_refund"));
        /// assert!("no such signal".parse::<EvidenceSignal>().is_err());
        /// # Ok::<(), tactful::Error>(())
        /// ```
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum EvidenceSignal {
            $( $(#[$vmeta])* $variant, )+
            /// A cue phrase of the chosen category: `<category>_cue`, e.g. `delivery_cue`.
            CategoryCue(CategorySignal),
            /// A hard cue of the chosen category, one that decides it on its own:
            /// `<category>_hard_cue`.
            CategoryHardCue(CategorySignal),
            /// One of the category model's strongest features for the chosen category:
            /// `model:<category>`.
            ModelFeature(CategorySignal),
        }

        impl EvidenceSignal {
            /// Every signal with a fixed name, in declaration order. The signals made of a
            /// playbook category ([`Self::CategoryCue`], [`Self::CategoryHardCue`],
            /// [`Self::ModelFeature`]) are one per category and not listed.
            ///
            /// ```
            /// use tactful::EvidenceSignal;
            /// assert!(EvidenceSignal::ALL.contains(&EvidenceSignal::DateTime));
            /// for s in EvidenceSignal::ALL {
            ///     assert_eq!(s.as_str().parse::<EvidenceSignal>()?, *s);
            /// }
            /// # Ok::<(), tactful::Error>(())
            /// ```
            pub const ALL: &'static [EvidenceSignal] = &[$(EvidenceSignal::$variant),+];

            /// The stable name used in JSON, C and Python, e.g. `money` or `model:delivery`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(EvidenceSignal::$variant => $text,)+
                    EvidenceSignal::CategoryCue(c)
                    | EvidenceSignal::CategoryHardCue(c)
                    | EvidenceSignal::ModelFeature(c) => c.as_str(),
                }
            }

            fn fixed(s: &str) -> Option<EvidenceSignal> {
                match s {
                    $($text => Some(EvidenceSignal::$variant),)+
                    _ => None,
                }
            }

            const FIXED_NAMES: &'static [&'static str] = &[$($text),+];
        }
    };
}

evidence_signals! {
    /// Profanity (`data/signals.toml`'s `profanity` cues).
    Profanity = "profanity",
    /// Insults aimed at a person.
    Abuse = "abuse",
    /// A threat of legal action.
    LegalThreat = "legal_threat",
    /// A threat to complain to a regulator or ombudsman.
    RegulatorThreat = "regulator_threat",
    /// A threat to dispute the charge with the bank.
    ChargebackThreat = "chargeback_threat",
    /// A threat to go public on social media or review sites.
    SocialMediaThreat = "social_media_threat",
    /// A threat to leave for a competitor.
    ChurnThreat = "churn_threat",
    /// Wants to cancel or leave.
    Leaving = "leaving",
    /// Says they contacted the company before about this.
    RepeatContact = "repeat_contact",
    /// A hardship, illness, bereavement or other vulnerability.
    Vulnerability = "vulnerability",
    /// Sarcasm.
    Sarcasm = "sarcasm",
    /// Asks for a supervisor or manager.
    SupervisorRequest = "supervisor_request",
    /// Venting: wants to be heard.
    Venting = "venting",
    /// Talks about feelings.
    Feeling = "feeling",
    /// Politeness ("please", "thank you").
    Politeness = "politeness",
    /// Says it is urgent (`data/signals.toml`'s `urgent` cues).
    UrgencyCue = "urgency_cue",
    /// A risk to someone's safety.
    Safety = "safety",
    /// Annoyed by apologies ("stop apologizing").
    ApologyBackfire = "apology_backfire",
    /// Praise or thanks.
    Praise = "praise",
    /// Asks for something to be done.
    Request = "request",
    /// Asks a question.
    Question = "question",
    /// A negation ("not", "never") that turns the words after it.
    Negation = "negation",
    /// An intensifier ("very", "extremely").
    Intensifier = "intensifier",
    /// A contrast ("but", "however") that shifts the weight to what follows.
    Contrast = "contrast",
    /// Words in capitals, when the message shouts.
    Shouting = "shouting",
    /// A run of exclamation marks.
    Exclamations = "exclamations",
    /// A run of question marks.
    QuestionMarks = "question_marks",
    /// A positive emoji or emoticon.
    EmojiPositive = "emoji_positive",
    /// A negative emoji or emoticon.
    EmojiNegative = "emoji_negative",
    /// An amount of money.
    Money = "money",
    /// An order, ticket or account number.
    ReferenceNumber = "reference_number",
    /// A date or time.
    DateTime = "date_time",
    /// The strongest cue of the emotion `anger`.
    AngerCue = "anger_cue",
    /// The strongest cue of the emotion `frustration`.
    FrustrationCue = "frustration_cue",
    /// The strongest cue of the emotion `anxiety`.
    AnxietyCue = "anxiety_cue",
    /// The strongest cue of the emotion `sadness`.
    SadnessCue = "sadness_cue",
    /// The strongest cue of the emotion `confusion`.
    ConfusionCue = "confusion_cue",
    /// The strongest cue of the emotion `neutral`.
    NeutralCue = "neutral_cue",
    /// The strongest cue of the emotion `positive`.
    PositiveCue = "positive_cue",
}

impl EvidenceSignal {
    /// The cue of emotion `e`'s strongest match, e.g. [`Self::AngerCue`] for
    /// [`Emotion::Anger`](crate::Emotion::Anger).
    ///
    /// ```
    /// use tactful::{Emotion, EvidenceSignal};
    /// assert_eq!(EvidenceSignal::emotion_cue(Emotion::Sadness), EvidenceSignal::SadnessCue);
    /// ```
    pub const fn emotion_cue(e: crate::Emotion) -> EvidenceSignal {
        use crate::Emotion;
        match e {
            Emotion::Anger => EvidenceSignal::AngerCue,
            Emotion::Frustration => EvidenceSignal::FrustrationCue,
            Emotion::Anxiety => EvidenceSignal::AnxietyCue,
            Emotion::Sadness => EvidenceSignal::SadnessCue,
            Emotion::Confusion => EvidenceSignal::ConfusionCue,
            Emotion::Neutral => EvidenceSignal::NeutralCue,
            Emotion::Positive => EvidenceSignal::PositiveCue,
        }
    }

    /// The playbook category of a signal made of one (`<category>_cue`,
    /// `<category>_hard_cue`, `model:<category>`), else `None`.
    ///
    /// ```
    /// use tactful::EvidenceSignal;
    /// assert_eq!("delivery_hard_cue".parse::<EvidenceSignal>()?.category(), Some("delivery"));
    /// assert_eq!(EvidenceSignal::Money.category(), None);
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn category(&self) -> Option<&str> {
        match self {
            EvidenceSignal::CategoryCue(c)
            | EvidenceSignal::CategoryHardCue(c)
            | EvidenceSignal::ModelFeature(c) => Some(c.category()),
            _ => None,
        }
    }

    /// The three signals of playbook category `category`: its cue, its hard cue and its
    /// model feature (the engine builds them once per playbook).
    pub(crate) fn of_category(category: &str) -> [EvidenceSignal; 3] {
        let c: Arc<str> = category.into();
        let make = |name: String| CategorySignal {
            category: Arc::clone(&c),
            name: name.into(),
        };
        [
            EvidenceSignal::CategoryCue(make(format!("{category}_cue"))),
            EvidenceSignal::CategoryHardCue(make(format!("{category}_hard_cue"))),
            EvidenceSignal::ModelFeature(make(format!("model:{category}"))),
        ]
    }
}

impl fmt::Display for EvidenceSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, not `write_str`: `{:<22}` lines signals up like the names they print.
        f.pad(self.as_str())
    }
}

impl FromStr for EvidenceSignal {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        if let Some(v) = EvidenceSignal::fixed(s) {
            return Ok(v);
        }
        let category = |c: &str, name: &str| CategorySignal {
            category: c.into(),
            name: name.into(),
        };
        if let Some(c) = s.strip_prefix("model:").filter(|c| is_label(c)) {
            return Ok(EvidenceSignal::ModelFeature(category(c, s)));
        }
        if let Some(c) = s.strip_suffix("_hard_cue").filter(|c| is_label(c)) {
            return Ok(EvidenceSignal::CategoryHardCue(category(c, s)));
        }
        if let Some(c) = s.strip_suffix("_cue").filter(|c| is_label(c)) {
            return Ok(EvidenceSignal::CategoryCue(category(c, s)));
        }
        Err(Error::UnknownValue {
            what: "evidence signal",
            value: s.chars().take(64).collect(),
            expected: format!(
                "{}, <category>_cue, <category>_hard_cue, model:<category>",
                EvidenceSignal::FIXED_NAMES.join(", ")
            ),
        })
    }
}

impl PartialEq<str> for EvidenceSignal {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for EvidenceSignal {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for EvidenceSignal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EvidenceSignal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = EvidenceSignal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an evidence signal name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EvidenceSignal, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for s in EvidenceSignal::ALL {
            assert!(seen.insert(s.as_str()), "duplicate {s}");
            assert_eq!(s.as_str().parse::<EvidenceSignal>().ok().as_ref(), Some(s));
            assert_eq!(s.category(), None);
            assert!(is_label(s.as_str()), "{s} is snake_case");
        }
        assert_eq!(EvidenceSignal::ALL.len(), 39);
        assert_eq!(EvidenceSignal::FIXED_NAMES.len(), EvidenceSignal::ALL.len());
    }

    #[test]
    fn category_signals_parse_to_what_the_engine_makes() {
        let [cue, hard, model] = EvidenceSignal::of_category("fraud_security");
        assert_eq!(cue.as_str(), "fraud_security_cue");
        assert_eq!(hard.as_str(), "fraud_security_hard_cue");
        assert_eq!(model.as_str(), "model:fraud_security");
        for s in [&cue, &hard, &model] {
            assert_eq!(s.as_str().parse::<EvidenceSignal>().ok().as_ref(), Some(s));
            assert_eq!(s.category(), Some("fraud_security"));
        }
        assert!(matches!(cue, EvidenceSignal::CategoryCue(_)));
        assert!(matches!(hard, EvidenceSignal::CategoryHardCue(_)));
        assert!(matches!(model, EvidenceSignal::ModelFeature(_)));
    }

    #[test]
    fn unknown_names_are_errors() {
        for bad in [
            "",
            "Money",
            "money ",
            "_cue",
            "model:",
            "model:Fraud",
            "fraud security_cue",
            "urgent",
            "sarcasm_weak",
        ] {
            match bad.parse::<EvidenceSignal>() {
                Err(Error::UnknownValue { what, value, .. }) => {
                    assert_eq!(what, "evidence signal");
                    assert_eq!(value, bad);
                }
                other => panic!("{bad:?}: {other:?}"),
            }
            let json = serde_json::to_string(bad).unwrap();
            assert!(
                serde_json::from_str::<EvidenceSignal>(&json).is_err(),
                "{bad:?}"
            );
        }
        assert!(serde_json::from_str::<EvidenceSignal>("3").is_err());
        assert!(serde_json::from_str::<EvidenceSignal>("null").is_err());
    }

    #[test]
    fn serde_is_the_name() {
        assert_eq!(
            serde_json::to_string(&EvidenceSignal::DateTime).unwrap(),
            r#""date_time""#
        );
        let [_, _, model] = EvidenceSignal::of_category("delivery");
        assert_eq!(
            serde_json::to_string(&model).unwrap(),
            r#""model:delivery""#
        );
        assert_eq!(
            serde_json::from_str::<EvidenceSignal>(r#""model:delivery""#).unwrap(),
            model
        );
        assert_eq!(format!("[{:<8}]", EvidenceSignal::Money), "[money   ]");
    }

    #[test]
    fn emotion_cues_follow_the_emotions() {
        for &e in crate::Emotion::ALL {
            assert_eq!(
                EvidenceSignal::emotion_cue(e).as_str(),
                format!("{}_cue", e.as_str())
            );
        }
    }
}
