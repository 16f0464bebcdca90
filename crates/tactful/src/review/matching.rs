//! Matching the review lexicon and the playbook's lists against a draft: cue matches by
//! token and sentence, spans of matches, and whole-word search. The rules only query this.

use super::data::{Cue, Lexicon};
use super::types::Span;
use super::words::{Doc, Phrases as PhraseSet};

#[derive(Debug, Clone, Copy)]
pub(super) struct M {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) cue: Cue,
}

pub(super) struct Matches {
    pub(super) list: Vec<M>,
    /// Per token, the cues that start there.
    pub(super) starts: Vec<u64>,
    /// Per sentence, the cues that start in it.
    pub(super) sent_bits: Vec<u64>,
    /// All cues found anywhere.
    pub(super) any: u64,
}

impl Matches {
    pub(super) fn find(lex: &Lexicon, doc: &Doc<'_>) -> Matches {
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
    pub(super) fn in_sentence(&self, s: u32, cue: Cue) -> bool {
        self.sent_bits
            .get(s as usize)
            .is_some_and(|b| b & cue.bit() != 0)
    }

    /// Matches whose first token is in `range` (the list is in token order).
    pub(super) fn starting_in(&self, range: std::ops::Range<usize>) -> &[M] {
        let a = self.list.partition_point(|m| m.first < range.start);
        let b = self.list.partition_point(|m| m.first < range.end);
        self.list.get(a..b.max(a)).unwrap_or(&[])
    }

    pub(super) fn has(&self, cue: Cue) -> bool {
        self.any & cue.bit() != 0
    }

    pub(super) fn at(&self, i: usize, cue: Cue) -> bool {
        self.starts.get(i).is_some_and(|s| s & cue.bit() != 0)
    }

    /// The longest match of `cue` starting at token `i`.
    pub(super) fn longest_at(&self, i: usize, cue: Cue) -> Option<M> {
        if !self.at(i, cue) {
            return None;
        }
        self.starting_in(i..i + 1)
            .iter()
            .filter(|m| m.cue == cue)
            .max_by_key(|m| m.last)
            .copied()
    }

    pub(super) fn of(&self, cue: Cue) -> impl Iterator<Item = &M> + '_ {
        self.list.iter().filter(move |m| m.cue == cue)
    }
}

pub(super) fn span_of(doc: &Doc<'_>, first: usize, last: usize) -> Option<Span> {
    let a = doc.tokens.get(first)?.start;
    let b = doc.tokens.get(last.checked_sub(1)?)?.end;
    Some(Span {
        start: a,
        end: b,
        text: crate::text::excerpt(doc.text.get(a..b)?),
    })
}

pub(super) fn byte_span(text: &str, start: usize, end: usize) -> Option<Span> {
    Some(Span {
        start,
        end,
        text: crate::text::excerpt(text.get(start..end)?),
    })
}

/// Spans of matches, longest first at each position, without nested duplicates.
pub(super) fn spans(
    doc: &Doc<'_>,
    ms: impl Iterator<Item = (usize, usize)>,
    cap: usize,
) -> Vec<Span> {
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

pub(super) fn is_word_byte(b: Option<&u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
}

/// Whole-word occurrences of `needle` in `hay` (both already in the same case).
pub(super) fn find_words(
    hay: &str,
    needle: &str,
    allow_plural: bool,
    mut f: impl FnMut(usize, usize),
) {
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
pub(super) struct PlaybookCues {
    /// Canned phrases and jargon in one set: one lookup per word for both.
    pub(super) set: PhraseSet<PbCue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PbCue {
    Canned,
    /// The payload: the term is an acronym, matched only in capitals.
    Jargon(bool),
}

pub(super) fn playbook_key(pb: &crate::Playbook) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    pb.canned_phrases.hash(&mut h);
    0xffu8.hash(&mut h);
    pb.jargon.hash(&mut h);
    h.finish()
}

pub(super) fn playbook_cues(pb: &crate::Playbook) -> std::rc::Rc<PlaybookCues> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_words_respects_boundaries() {
        let mut v = vec![];
        find_words("tickets and ticketing, ticket", "ticket", true, |a, b| {
            v.push((a, b))
        });
        assert_eq!(v, vec![(0, 7), (23, 29)]);
    }
}
