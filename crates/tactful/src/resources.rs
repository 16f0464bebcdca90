//! What every stage reads, built once per engine and shared: the playbook, its compiled cue
//! tables, and the trained model. It sits below the stages (situation, recommendation,
//! review, conversation), so none of them imports the engine that orchestrates them.

use std::sync::Arc;

use crate::flat_map::FlatMap;

use crate::respond::playbook::{Compiled, Playbook};
use crate::situation::model::ModelSet;
use crate::text::{self, stem_hash, Doc, Match};

/// The engine's shared, immutable state.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) playbook: Playbook,
    pub(crate) compiled: Compiled,
    pub(crate) models: Option<Arc<ModelSet>>,
    /// For each category label of the model, its index in the playbook (`None`: a label
    /// this playbook does not have). Resolved once here, not by name on every call.
    pub(crate) model_category: Vec<Option<usize>>,
    pub(crate) max_input_bytes: usize,
}

impl Inner {
    pub(crate) fn new(
        playbook: Playbook,
        models: Option<Arc<ModelSet>>,
        max_input_bytes: usize,
    ) -> Inner {
        let compiled = Compiled::new(&playbook);
        let model_category = models.as_ref().map_or_else(Vec::new, |m| {
            m.category_labels()
                .iter()
                .map(|l| compiled.by_name.get(l.as_str()).copied())
                .collect()
        });
        Inner {
            compiled,
            model_category,
            playbook,
            models,
            max_input_bytes,
        }
    }
}

/// A set of cue phrases matched on word stems, like [`crate::text::PhraseSet`], laid out in a
/// few flat arrays so that building one costs no allocation per phrase: the lexicon's and the
/// playbook's cue tables are built on every cold start and every engine build.
///
/// A phrase of lower-case ASCII words separated by single spaces is split here (its stems
/// are [`text::stem`] of its words, which is what the tokenizer gives for such text); any
/// other phrase goes through [`text::phrase_words`]. Matches come in the order
/// [`crate::text::PhraseSet::for_each_match`] gives them: by position, then by insertion.
#[derive(Debug, Clone)]
pub(crate) struct PhraseTable<T> {
    /// Every phrase's stems, one after the other.
    arena: String,
    /// Byte spans of the stems in `arena`.
    stems: Vec<(u32, u32)>,
    /// [`text::stem_hash`] of each stem: candidates are compared on these, and a phrase's
    /// words are compared as strings only once all its hashes matched.
    hashes: Vec<u64>,
    /// Per phrase, in insertion order: its first stem in `stems`, its length in words, its payload.
    phrases: Vec<(u32, u32, T)>,
    /// Hash of a first stem -> its group in `groups`.
    by_first: FlatMap<u64, u32>,
    /// Per group, its range of `order`.
    groups: Vec<(u32, u32)>,
    /// Phrase indices grouped by first stem, in insertion order within a group.
    order: Vec<u32>,
}

impl<T> Default for PhraseTable<T> {
    fn default() -> Self {
        PhraseTable {
            arena: String::new(),
            stems: Vec::new(),
            hashes: Vec::new(),
            phrases: Vec::new(),
            by_first: FlatMap::default(),
            groups: Vec::new(),
            order: Vec::new(),
        }
    }
}

impl<T> PhraseTable<T> {
    /// Compiles `phrases` in order; a phrase without a word is left out (as by
    /// [`crate::text::PhraseSet::insert`]).
    pub(crate) fn new<'s>(phrases: impl IntoIterator<Item = (&'s str, T)>) -> PhraseTable<T> {
        let mut t = PhraseTable::default();
        for (phrase, value) in phrases {
            t.push(phrase, value);
        }
        t.index();
        t
    }

    fn push(&mut self, phrase: &str, value: T) {
        let first = self.stems.len();
        let arena = self.arena.len();
        if !self.push_simple(phrase) {
            self.stems.truncate(first);
            self.hashes.truncate(first);
            self.arena.truncate(arena);
            for w in text::phrase_words(phrase) {
                self.push_stem(&w);
            }
        }
        let n = (self.stems.len() - first) as u32;
        if n > 0 {
            self.phrases.push((first as u32, n, value));
        }
    }

    /// Pushes the stems of a phrase made of lower-case ASCII words (letters and digits, an
    /// apostrophe only between two letters) separated by single spaces, which the tokenizer
    /// splits at the spaces; returns `false`, having pushed some stems, for any other phrase.
    fn push_simple(&mut self, phrase: &str) -> bool {
        let b = phrase.as_bytes();
        let mut start = 0;
        for i in 0..=b.len() {
            let c = b.get(i).copied().unwrap_or(b' ');
            if c == b' ' {
                if i == start {
                    return false;
                }
                self.push_stem(text::stem(&phrase[start..i]));
                start = i + 1;
            } else if !(c.is_ascii_lowercase() || c.is_ascii_digit()) {
                let letter = |j: usize| b.get(j).is_some_and(u8::is_ascii_lowercase);
                if !(c == b'\'' && i > start && letter(i - 1) && letter(i + 1)) {
                    return false;
                }
            }
        }
        true
    }

    fn push_stem(&mut self, s: &str) {
        let a = self.arena.len() as u32;
        self.arena.push_str(s);
        self.stems.push((a, self.arena.len() as u32));
        self.hashes.push(stem_hash(s));
    }

    fn stem(&self, i: u32) -> &str {
        let (a, b) = self.stems[i as usize];
        &self.arena[a as usize..b as usize]
    }

    /// Groups the phrases by first stem (a counting sort: stable, so insertion order holds
    /// within a group).
    fn index(&mut self) {
        let mut group_of: Vec<u32> = Vec::with_capacity(self.phrases.len());
        self.by_first = FlatMap::with_capacity(self.phrases.len());
        let mut counts: Vec<u32> = Vec::new();
        for &(first, _, _) in &self.phrases {
            let h = self.hashes[first as usize];
            let next = counts.len() as u32;
            let g = *self.by_first.get_or_insert_with(h, || next);
            if g == next {
                counts.push(0);
            }
            counts[g as usize] += 1;
            group_of.push(g);
        }
        let mut start = 0u32;
        self.groups = counts
            .iter()
            .map(|&c| {
                let r = (start, start);
                start += c;
                r
            })
            .collect();
        self.order = vec![0; self.phrases.len()];
        for (p, &g) in group_of.iter().enumerate() {
            let slot = &mut self.groups[g as usize].1;
            self.order[*slot as usize] = p as u32;
            *slot += 1;
        }
    }

    /// How many phrases the table holds.
    #[allow(dead_code)]
    pub(crate) fn len(&self) -> usize {
        self.phrases.len()
    }

    /// Every phrase as its stems with its payload, in insertion order.
    #[cfg(test)]
    pub(crate) fn entries(&self) -> impl Iterator<Item = (Vec<&str>, &T)> + '_ {
        self.phrases.iter().map(|(first, n, v)| {
            let words = (*first..first + n).map(|i| self.stem(i)).collect();
            (words, v)
        })
    }

    /// Calls `f` for every phrase occurrence: by position, then in insertion order.
    /// Cost: one hash lookup per token plus the candidates' words.
    pub(crate) fn for_each_match<'p>(&'p self, doc: &Doc<'_>, mut f: impl FnMut(Match<'p, T>)) {
        if self.phrases.is_empty() {
            return;
        }
        let n = doc.tokens.len();
        let toks = &doc.tokens;
        for i in 0..n {
            let Some(&g) = self.by_first.get(&toks[i].stem_hash) else {
                continue;
            };
            let (a, b) = self.groups[g as usize];
            for &p in &self.order[a as usize..b as usize] {
                let (first, len, ref value) = self.phrases[p as usize];
                let (first, len) = (first as usize, len as usize);
                if i + len > n {
                    continue;
                }
                let hashes = &self.hashes[first..first + len];
                if !hashes
                    .iter()
                    .zip(&toks[i..i + len])
                    .all(|(&h, t)| h == t.stem_hash)
                {
                    continue;
                }
                // Equal hashes of different words are possible, if unlikely: confirm.
                let ok = (0..len).all(|k| doc.stem(i + k) == self.stem((first + k) as u32));
                if ok {
                    f(Match {
                        first: i,
                        last: i + len,
                        value,
                    });
                }
            }
        }
    }
}
