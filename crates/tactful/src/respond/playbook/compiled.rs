//! The playbook compiled once per engine for fast matching: category cues, conditions and the
//! numbered step templates with their word sets. Kept apart from the serde types a company
//! edits, because none of it is ever written to a playbook file.

use crate::flat_map::FlatMap;

use super::{Condition, Playbook, OTHER};
use crate::resources::PhraseTable;
use crate::text;

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
    /// (A `FlatMap`: the default engine's tables live in a static, and memory checkers must
    /// see them as reachable.)
    pub by_name: FlatMap<String, usize>,
    /// Every step template, numbered, with its word set.
    pub steps: StepIndex,
    /// The playbook's condition phrases ([`Conditions`]).
    pub conditions: PhraseTable<Condition>,
    /// Per approach (parallel to `Playbook::approaches`), per opening: whether it quotes the
    /// customer's `{amount}` and `{reference}`.
    pub quotes: Vec<Vec<(bool, bool)>>,
}

/// The phrase conditions ([`Condition::Bereavement`], [`Condition::ReasonGiven`],
/// [`Condition::Hardship`], [`Condition::Travel`], [`Condition::ServiceFault`]) a text
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
            by_name: FlatMap::default(),
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
            pb.conditions
                .lists()
                .into_iter()
                .flat_map(|(list, c)| list.iter().map(move |p| (p.as_str(), c))),
        );
        let by_name: FlatMap<String, usize> = pb
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
    use crate::respond::playbook::{default_playbook, StepSpec};
    use crate::text::{Doc, PhraseSet};

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
        for (list, k) in pb.conditions.lists() {
            conditions.extend(list.iter().map(|p| (p.as_str(), k)));
        }
        assert!(!conditions.is_empty());
        same_as_phrase_set(&c.conditions, &conditions);
    }
}
