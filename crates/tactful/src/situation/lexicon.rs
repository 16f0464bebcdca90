//! Embedded lexicons: VADER valences (MIT, see NOTICE) with our service-language corrections,
//! and the cue lists of `data/signals.toml`. `build.rs` turns both files into static tables;
//! the word map and the cue table are built from them once, on first use, without parsing.

use once_cell::sync::Lazy;

use crate::resources::PhraseTable;
use crate::{Emotion, Error, EvidenceSignal};

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

impl Signal {
    /// The evidence a match of this cue list gives, or `None` for the lists that only feed
    /// other decisions (`sarcasm_weak`, `recurrence`, `foreign`). A new signal must be
    /// placed here (the `match` is exhaustive).
    pub(crate) const fn evidence(self) -> Option<EvidenceSignal> {
        use EvidenceSignal as E;
        Some(match self {
            Signal::Profanity => E::Profanity,
            Signal::Abuse => E::Abuse,
            Signal::LegalThreat => E::LegalThreat,
            Signal::RegulatorThreat => E::RegulatorThreat,
            Signal::ChargebackThreat => E::ChargebackThreat,
            Signal::SocialMediaThreat => E::SocialMediaThreat,
            Signal::ChurnThreat => E::ChurnThreat,
            Signal::RepeatContact => E::RepeatContact,
            Signal::Vulnerability => E::Vulnerability,
            Signal::Sarcasm => E::Sarcasm,
            Signal::SupervisorRequest => E::SupervisorRequest,
            Signal::Politeness => E::Politeness,
            Signal::Venting => E::Venting,
            Signal::Request => E::Request,
            Signal::Question => E::Question,
            Signal::Praise => E::Praise,
            Signal::Leaving => E::Leaving,
            Signal::Urgent => E::UrgencyCue,
            Signal::Feeling => E::Feeling,
            Signal::ApologyBackfire => E::ApologyBackfire,
            Signal::Safety => E::Safety,
            Signal::SarcasmWeak | Signal::Recurrence | Signal::Foreign => return None,
        })
    }
}

/// What a multi-word (or single-word) cue phrase means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cue {
    Signal(Signal),
    Emotion(Emotion, f32),
    /// A phrase with its own valence, replacing its words' valences.
    Valence(f32),
    Diminisher,
}

/// Per-word facts, one hash lookup per token.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
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
    /// Per-word facts, keyed by the lower-cased word (borrowed from the embedded tables).
    pub words: StaticWords,
    pub cues: PhraseTable<Cue>,
    /// Emoji and emoticons with their valence, longest first.
    pub emoji: &'static [(&'static str, f32)],
}

/// One word of the generated table: its text is `WORD_TEXT[at..at + len]`.
pub(crate) struct StaticWord {
    at: u32,
    len: u8,
    valence: f32,
    /// negator, intensifier, diminisher, contrast, date, time unit, currency, reference.
    bits: u8,
}

impl StaticWord {
    fn info(&self) -> WordInfo {
        let b = |i: u8| self.bits & (1 << i) != 0;
        WordInfo {
            valence: self.valence,
            negator: b(0),
            intensifier: b(1),
            diminisher: b(2),
            contrast: b(3),
            date: b(4),
            time_unit: b(5),
            currency: b(6),
            reference: b(7),
        }
    }
}

/// The word table (VADER valence merged with the word classes of `data/signals.toml`), laid
/// out by `build.rs` as static arrays with their hash slots: nothing is built at run time,
/// and without pointers in the tables the dynamic loader has nothing to relocate.
#[derive(Debug)]
pub(crate) struct StaticWords;

impl StaticWords {
    /// The facts of one lower-cased word.
    #[inline]
    pub(crate) fn get(&self, w: &str) -> Option<WordInfo> {
        let mask = data::WORD_SLOTS.len() - 1;
        let mut i = crate::text::fnv1a(crate::text::FNV_START, w.as_bytes()) as usize & mask;
        loop {
            let e = data::WORD_SLOTS[i] as usize;
            let entry = data::WORDS.get(e.checked_sub(1)?)?;
            let at = entry.at as usize;
            if usize::from(entry.len) == w.len() && data::WORD_TEXT.get(at..at + w.len()) == Some(w)
            {
                return Some(entry.info());
            }
            i = (i + 1) & mask;
        }
    }

    /// How many words the table holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        data::WORDS.len()
    }
}

/// `data/vader_lexicon.tsv` and `data/signals.toml` as static slices, written by `build.rs`.
mod data {
    use super::StaticWord;
    include!(concat!(env!("OUT_DIR"), "/lexicon_data.rs"));
}

static LEXICON: Lazy<Result<Lexicon, Error>> = Lazy::new(Lexicon::build);

/// The embedded lexicon. The data is fixed at compile time and checked by the tests, so an
/// error here means a broken build, reported as a model error rather than a panic.
pub(crate) fn lexicon() -> Result<&'static Lexicon, Error> {
    LEXICON.as_ref().map_err(Clone::clone)
}

/// A lexicon error (only a broken build can have one).
fn bad(m: String) -> Error {
    Error::InvalidModel(format!("embedded lexicon: {m}"))
}

/// The cue phrases of the lexicon, in the order they are matched.
fn cue_phrases() -> Result<Vec<(&'static str, Cue)>, Error> {
    let mut out = Vec::with_capacity(4096);
    for &w in data::DIMINISHERS {
        if w.contains(' ') {
            out.push((w, Cue::Diminisher));
        }
    }
    for &(p, v) in data::PHRASE_VALENCE {
        out.push((p, Cue::Valence(v)));
    }
    for &(name, list) in data::SIGNALS {
        let s = Signal::from_name(name).ok_or_else(|| bad(format!("unknown signal `{name}`")))?;
        out.extend(list.iter().map(|&p| (p, Cue::Signal(s))));
    }
    for &(name, list) in data::EMOTIONS {
        let e: Emotion = name
            .parse()
            .map_err(|_| bad(format!("unknown emotion `{name}`")))?;
        out.extend(list.iter().map(|&(p, w)| (p, Cue::Emotion(e, w))));
    }
    Ok(out)
}

impl Lexicon {
    /// Builds the lexicon from the static tables: one hash insert per word, no allocation
    /// per entry.
    fn build() -> Result<Lexicon, Error> {
        Ok(Lexicon {
            words: StaticWords,
            cues: PhraseTable::new(cue_phrases()?),
            emoji: data::EMOJI,
        })
    }

    pub(crate) fn word(&self, lower: &str) -> WordInfo {
        if let Some(w) = self.words.get(lower) {
            return w;
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
    use crate::text::{Doc, PhraseSet};
    use rustc_hash::FxHashMap;
    use serde::Deserialize;
    use std::collections::BTreeMap;

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

    /// Every cue list of `data/signals.toml` that gives evidence has a public
    /// [`EvidenceSignal`] in its `ALL` list, named after it (`urgent` is `urgency_cue`); the
    /// others are exactly `sarcasm_weak`, `recurrence` and `foreign`.
    #[test]
    fn every_lexicon_signal_has_an_evidence_signal() {
        let mut silent = Vec::new();
        for &s in Signal::ALL {
            match s.evidence() {
                Some(e) => {
                    assert!(EvidenceSignal::ALL.contains(&e), "{e} not in ALL");
                    let expected = if s == Signal::Urgent {
                        "urgency_cue"
                    } else {
                        s.name()
                    };
                    assert_eq!(e.as_str(), expected);
                }
                None => silent.push(s.name()),
            }
        }
        assert_eq!(silent, ["sarcasm_weak", "recurrence", "foreign"]);
        assert_eq!(Signal::ALL.len(), 24);
    }

    include!("signals_schema.rs");

    /// The lexicon as it was built before the tables were generated: the source files parsed
    /// at run time, every phrase split by the tokenizer into a [`PhraseSet`].
    struct Reference {
        words: FxHashMap<String, WordInfo>,
        /// Every cue phrase in insertion order, as its stems with its payload.
        cues: Vec<(Vec<String>, Cue)>,
        set: PhraseSet<Cue>,
        emoji: Vec<(String, f32)>,
    }

    fn reference() -> Reference {
        let vader = include_str!("../../data/vader_lexicon.tsv");
        let signals = include_str!("../../data/signals.toml");
        let mut words: FxHashMap<String, WordInfo> = FxHashMap::default();
        for line in vader.lines() {
            let mut it = line.split('\t');
            let (Some(w), Some(v)) = (it.next(), it.next()) else {
                continue;
            };
            words.entry(w.into()).or_default().valence = v.trim().parse().unwrap();
        }
        let f: SignalsFile = toml::from_str(signals).unwrap();
        for (w, v) in &f.valence {
            words.entry(w.clone()).or_default().valence = *v;
        }
        let mut phrases: Vec<(String, Cue)> = Vec::new();
        for w in &f.negators {
            words.entry(w.clone()).or_default().negator = true;
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
                set(words.entry(word.clone()).or_default());
            }
        }
        for w in &f.contrast {
            words.entry(w.clone()).or_default().contrast = true;
        }
        for w in &f.intensifiers {
            words.entry(w.clone()).or_default().intensifier = true;
        }
        for w in &f.diminishers {
            if w.contains(' ') {
                phrases.push((w.clone(), Cue::Diminisher));
            } else {
                words.entry(w.clone()).or_default().diminisher = true;
            }
        }
        for (p, v) in &f.phrase_valence {
            phrases.push((p.clone(), Cue::Valence(*v)));
        }
        for (name, list) in &f.signals {
            let s = Signal::from_name(name).unwrap();
            phrases.extend(list.iter().map(|p| (p.clone(), Cue::Signal(s))));
        }
        for (name, list) in &f.emotion {
            let e: Emotion = name.parse().unwrap();
            phrases.extend(list.iter().map(|(p, w)| (p.clone(), Cue::Emotion(e, *w))));
        }
        let mut set = PhraseSet::default();
        let mut cues = Vec::new();
        for (p, c) in &phrases {
            set.insert(p, *c);
            let stems = crate::text::phrase_words(p);
            if !stems.is_empty() {
                cues.push((stems, *c));
            }
        }
        let mut emoji: Vec<(String, f32)> = f.emoji.into_iter().collect();
        emoji.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Reference {
            words,
            cues,
            set,
            emoji,
        }
    }

    fn matches<T: Copy>(
        f: impl Fn(&Doc<'_>, &mut dyn FnMut(usize, usize, T)),
        text: &str,
    ) -> Vec<(usize, usize, T)> {
        let doc = Doc::new(text);
        let mut out = Vec::new();
        f(&doc, &mut |a, b, v| out.push((a, b, v)));
        out
    }

    #[test]
    fn generated_tables_equal_the_source_files_parsed_at_run_time() {
        let l = lexicon().unwrap();
        let r = reference();
        // Every word, both ways, with the same facts.
        assert_eq!(l.words.len(), r.words.len());
        for (w, info) in &r.words {
            assert_eq!(l.words.get(w.as_str()), Some(*info), "{w}");
            assert_eq!(l.word(w), *info, "{w}");
        }
        // Every cue phrase, in order, as the same stems with the same payload.
        let got: Vec<(Vec<String>, Cue)> = l
            .cues
            .entries()
            .map(|(s, c)| (s.into_iter().map(String::from).collect(), *c))
            .collect();
        assert_eq!(got.len(), r.cues.len());
        assert_eq!(got.len(), r.set.len());
        for (g, want) in got.iter().zip(&r.cues) {
            assert_eq!(g, want);
        }
        assert_eq!(
            l.emoji,
            r.emoji
                .iter()
                .map(|(e, v)| (e.as_str(), *v))
                .collect::<Vec<_>>()
        );
        // The same matches, in the same order, over every phrase and a few messages.
        let mut all: Vec<String> = r.cues.iter().map(|(s, _)| s.join(" ")).collect();
        all.extend(
            [
                "I'm SO angry, this is the third time I've called and nobody helps. Kind of a joke!",
                "Someone used my card abroad; I didn't authorize it. Please block it now, thanks a lot.",
                "not bad at all, but the refund still hasn't arrived and I'm thinking of leaving",
            ]
            .map(String::from),
        );
        let everything = all.join(". ");
        for text in all.iter().chain([&everything]) {
            let new = matches(
                |d, f| l.cues.for_each_match(d, |m| f(m.first, m.last, *m.value)),
                text,
            );
            let old = matches(
                |d, f| r.set.for_each_match(d, |m| f(m.first, m.last, *m.value)),
                text,
            );
            assert_eq!(new, old, "{text}");
        }
        assert!(
            matches(
                |d, f| l.cues.for_each_match(d, |m| f(m.first, m.last, *m.value)),
                &everything
            )
            .len()
                >= r.cues.len()
        );
    }
}
