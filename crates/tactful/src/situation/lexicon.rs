//! Embedded lexicons: VADER valences (MIT, see NOTICE) with our service-language corrections,
//! and the cue lists of `data/signals.toml`. Parsed once, on first use.

use once_cell::sync::Lazy;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;

use crate::text::PhraseSet;
use crate::{Emotion, Error};

static VADER_TSV: &str = include_str!("../../data/vader_lexicon.tsv");
static SIGNALS_TOML: &str = include_str!("../../data/signals.toml");

macro_rules! signals {
    ($($variant:ident = $name:literal),+ $(,)?) => {
        /// A named cue list of `data/signals.toml`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub(crate) enum Signal { $($variant),+ }
        impl Signal {
            pub(crate) const ALL: &'static [Signal] = &[$(Signal::$variant),+];
            pub(crate) const COUNT: usize = Signal::ALL.len();
            #[allow(dead_code)]
            pub(crate) fn name(self) -> &'static str {
                match self { $(Signal::$variant => $name),+ }
            }
            fn from_name(s: &str) -> Option<Signal> {
                match s { $($name => Some(Signal::$variant),)+ _ => None }
            }
        }
    };
}

signals! {
    Profanity = "profanity",
    Abuse = "abuse",
    LegalThreat = "legal_threat",
    RegulatorThreat = "regulator_threat",
    ChargebackThreat = "chargeback_threat",
    SocialMediaThreat = "social_media_threat",
    ChurnThreat = "churn_threat",
    RepeatContact = "repeat_contact",
    Vulnerability = "vulnerability",
    Sarcasm = "sarcasm",
    // Praise that is sarcastic only next to a complaint ("great service" after an hour on hold).
    SarcasmWeak = "sarcasm_weak",
    SupervisorRequest = "supervisor_request",
    Politeness = "politeness",
    Venting = "venting",
    Request = "request",
    Question = "question",
    Praise = "praise",
    Leaving = "leaving",
    Urgent = "urgent",
    Feeling = "feeling",
    ApologyBackfire = "apology_backfire",
    Safety = "safety",
    // "still", "again", "third time": the problem recurs (not proof of an earlier contact).
    Recurrence = "recurrence",
    // Function words of other languages.
    Foreign = "foreign",
}

/// What a multi-word (or single-word) cue phrase means.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cue {
    Signal(Signal),
    Emotion(Emotion, f32),
    /// A phrase with its own valence, replacing its words' valences.
    Valence(f32),
    Diminisher,
}

/// Per-word facts, one hash lookup per token.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WordInfo {
    /// VADER valence (−4..4), 0 when absent.
    pub valence: f32,
    pub negator: bool,
    pub intensifier: bool,
    pub diminisher: bool,
    pub contrast: bool,
    /// Month and day names ("May 3", "yesterday").
    pub date: bool,
    /// Units after a number that make it a duration or time ("3 days", "10 pm").
    pub time_unit: bool,
    /// Currency words after a number ("40 dollars").
    pub currency: bool,
    /// Words before a number that make it a reference ("order 4471").
    pub reference: bool,
}

#[derive(Debug)]
pub(crate) struct Lexicon {
    pub words: FxHashMap<Box<str>, WordInfo>,
    pub cues: PhraseSet<Cue>,
    /// Emoji and emoticons with their valence, longest first.
    pub emoji: Vec<(Box<str>, f32)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalsFile {
    negators: Vec<String>,
    contrast: Vec<String>,
    intensifiers: Vec<String>,
    diminishers: Vec<String>,
    valence: BTreeMap<String, f32>,
    phrase_valence: BTreeMap<String, f32>,
    emoji: BTreeMap<String, f32>,
    signals: BTreeMap<String, Vec<String>>,
    word_classes: WordClasses,
    emotion: BTreeMap<String, BTreeMap<String, f32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordClasses {
    date: Vec<String>,
    time_unit: Vec<String>,
    currency: Vec<String>,
    reference: Vec<String>,
}

static LEXICON: Lazy<Result<Lexicon, Error>> =
    Lazy::new(|| Lexicon::parse(VADER_TSV, SIGNALS_TOML));

/// The embedded lexicon. The data is fixed at compile time and checked by the tests, so an
/// error here means a broken build, reported as a model error rather than a panic.
pub(crate) fn lexicon() -> Result<&'static Lexicon, Error> {
    LEXICON.as_ref().map_err(Clone::clone)
}

impl Lexicon {
    fn parse(vader: &str, signals: &str) -> Result<Lexicon, Error> {
        let bad = |m: String| Error::InvalidModel(format!("embedded lexicon: {m}"));
        let mut words: FxHashMap<Box<str>, WordInfo> = FxHashMap::default();
        for (n, line) in vader.lines().enumerate() {
            let mut it = line.split('\t');
            let (Some(w), Some(v)) = (it.next(), it.next()) else {
                continue;
            };
            let v: f32 = v
                .trim()
                .parse()
                .map_err(|_| bad(format!("vader line {}", n + 1)))?;
            words.entry(w.into()).or_default().valence = v;
        }
        let f: SignalsFile = toml::from_str(signals).map_err(|e| bad(e.to_string()))?;
        for (w, v) in &f.valence {
            words.entry(w.as_str().into()).or_default().valence = *v;
        }
        let mut cues = PhraseSet::default();
        for w in &f.negators {
            words.entry(w.as_str().into()).or_default().negator = true;
        }
        let wc = &f.word_classes;
        for (list, set) in [
            (
                &wc.date,
                (|w: &mut WordInfo| w.date = true) as fn(&mut WordInfo),
            ),
            (&wc.time_unit, |w| w.time_unit = true),
            (&wc.currency, |w| w.currency = true),
            (&wc.reference, |w| w.reference = true),
        ] {
            for word in list {
                set(words.entry(word.as_str().into()).or_default());
            }
        }
        for w in &f.contrast {
            words.entry(w.as_str().into()).or_default().contrast = true;
        }
        for w in &f.intensifiers {
            words.entry(w.as_str().into()).or_default().intensifier = true;
        }
        for w in &f.diminishers {
            if w.contains(' ') {
                cues.insert(w, Cue::Diminisher);
            } else {
                words.entry(w.as_str().into()).or_default().diminisher = true;
            }
        }
        for (p, v) in &f.phrase_valence {
            cues.insert(p, Cue::Valence(*v));
        }
        for (name, list) in &f.signals {
            let s =
                Signal::from_name(name).ok_or_else(|| bad(format!("unknown signal `{name}`")))?;
            for p in list {
                cues.insert(p, Cue::Signal(s));
            }
        }
        for (name, list) in &f.emotion {
            let e: Emotion = name
                .parse()
                .map_err(|_| bad(format!("unknown emotion `{name}`")))?;
            for (p, w) in list {
                cues.insert(p, Cue::Emotion(e, *w));
            }
        }
        let mut emoji: Vec<(Box<str>, f32)> = f
            .emoji
            .into_iter()
            .map(|(k, v)| (k.into_boxed_str(), v))
            .collect();
        emoji.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Ok(Lexicon { words, cues, emoji })
    }

    pub(crate) fn word(&self, lower: &str) -> WordInfo {
        if let Some(w) = self.words.get(lower) {
            return *w;
        }
        // Contractions: "didn't", "won't", "isn't" negate like "not".
        if lower.ends_with("n't") {
            return WordInfo {
                negator: true,
                ..WordInfo::default()
            };
        }
        WordInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicon_parses() {
        let l = lexicon().expect("embedded lexicon");
        assert!(l.words.len() > 7000);
        assert!(l.word("not").negator);
        assert!(l.word("didn't").negator);
        assert!(l.word("horrible").valence < -2.0);
        assert_eq!(l.word("kindly").valence, 0.0);
        assert_eq!(Signal::ALL.len(), Signal::COUNT);
        assert_eq!(Signal::from_name("sarcasm"), Some(Signal::Sarcasm));
    }
}
