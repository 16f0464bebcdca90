//! Normalization and segmentation: words (with a light stem for matching) and sentences.
//!
//! Everything here is linear in the input: one pass to find sentences, one for words (a
//! byte scanner for ASCII text, `unicode-segmentation`'s word bounds otherwise — the same
//! boundaries), one hash lookup per word for phrase matching.

use rustc_hash::FxHashMap;
use unicode_segmentation::UnicodeSegmentation;

/// One word-like token of the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
    /// Span of the lower-cased form in [`Doc::arena`].
    lower: (u32, u32),
    /// Span of the stem in [`Doc::arena`].
    stem: (u32, u32),
    /// [`stem_hash`] of the stem, computed once so that every phrase table matches on it
    /// without hashing the word again.
    pub stem_hash: u64,
    /// Index of the sentence holding this token.
    pub sentence: u32,
    /// At least two letters, all upper case.
    pub all_caps: bool,
    /// Contains a digit.
    pub has_digit: bool,
    /// Contains a letter.
    pub has_alpha: bool,
}

/// The most words (and sentences) a [`Doc`] holds: segmentation stops there and the rest of
/// the text is not analysed. Every later stage keeps per-word data, so this bounds the memory
/// and work of one assessment, review or conversation turn whatever the input's shape
/// (16 MB of `a\n` is 8 million one-letter words and sentences). 262,144 words is about
/// 1.5 MB of English prose, far beyond any message or reply.
pub(crate) const MAX_TOKENS: usize = 1 << 18;

/// The longest text a result span carries, in bytes: a longer span's text is cut at a char
/// boundary at or below this length and ends with [`EXCERPT_MARKER`] (the span's `start` and
/// `end` still cover the whole span).
pub(crate) const MAX_EXCERPT_BYTES: usize = 200;

/// Appended to a span text that was cut at [`MAX_EXCERPT_BYTES`].
pub(crate) const EXCERPT_MARKER: &str = "\u{2026}";

/// `s`, or its first [`MAX_EXCERPT_BYTES`] (at a char boundary) followed by [`EXCERPT_MARKER`].
pub(crate) fn excerpt(s: &str) -> String {
    if s.len() <= MAX_EXCERPT_BYTES {
        return s.to_string();
    }
    let mut cut = MAX_EXCERPT_BYTES;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out = String::with_capacity(cut + EXCERPT_MARKER.len());
    out.push_str(&s[..cut]);
    out.push_str(EXCERPT_MARKER);
    out
}

/// A segmented text.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    /// Byte spans of sentences.
    pub sentences: Vec<(usize, usize)>,
    arena: String,
}

/// A `Doc`'s buffers, kept per thread between documents (see [`crate::scratch`]).
#[derive(Default)]
struct DocBufs {
    tokens: Vec<Token>,
    sentences: Vec<(usize, usize)>,
    arena: String,
}

impl crate::scratch::Spare for DocBufs {
    fn clear(&mut self) {
        self.tokens.clear();
        self.sentences.clear();
        self.arena.clear();
    }

    fn capacity_bytes(&self) -> usize {
        use crate::scratch::vec_bytes;
        vec_bytes(&self.tokens) + vec_bytes(&self.sentences) + self.arena.capacity()
    }
}

thread_local! {
    static DOC_BUFS: std::cell::RefCell<Option<DocBufs>> = const { std::cell::RefCell::new(None) };
}

impl Drop for Doc<'_> {
    fn drop(&mut self) {
        let bufs = DocBufs {
            tokens: std::mem::take(&mut self.tokens),
            sentences: std::mem::take(&mut self.sentences),
            arena: std::mem::take(&mut self.arena),
        };
        crate::scratch::give(&DOC_BUFS, bufs);
    }
}

impl<'a> Doc<'a> {
    pub(crate) fn new(text: &'a str) -> Doc<'a> {
        // The thread's buffers from the previous document: a repeat call allocates nothing
        // here unless this text needs more room than any before it.
        let DocBufs {
            mut tokens,
            sentences,
            mut arena,
        } = crate::scratch::take(&DOC_BUFS);
        tokens.reserve((text.len() / 5).min(MAX_TOKENS) + 4);
        arena.reserve(text.len().min(MAX_TOKENS * 4) + 8);
        let mut doc = Doc {
            text,
            tokens,
            sentences,
            arena,
        };
        // Sentences: split after runs of terminal punctuation followed by a space, and at
        // line breaks. Unicode's sentence rules cost more than the rest of the pipeline
        // together and buy nothing here: sentences only bound negation and contrast scope.
        let bytes = text.as_bytes();
        let mut s_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            if doc.full() {
                return doc;
            }
            let b = bytes[i];
            let end = if b == b'\n' {
                Some(i + 1)
            } else if matches!(b, b'.' | b'!' | b'?') {
                let mut j = i + 1;
                while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b')') {
                    j += 1;
                }
                (j == bytes.len() || bytes[j].is_ascii_whitespace()).then_some(j)
            } else if b == 0xE3 && text[i..].starts_with(['。', '！', '？']) {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(e) => {
                    doc.push_sentence(s_start, e);
                    s_start = e;
                    i = e;
                }
                None => i += 1,
            }
        }
        if s_start < bytes.len() && !doc.full() {
            doc.push_sentence(s_start, bytes.len());
        }
        doc
    }

    /// True once the doc holds [`MAX_TOKENS`] words or sentences.
    fn full(&self) -> bool {
        self.tokens.len() >= MAX_TOKENS || self.sentences.len() >= MAX_TOKENS
    }

    fn push_sentence(&mut self, start: usize, end: usize) {
        let sentence = &self.text[start..end];
        if sentence.trim().is_empty() {
            return;
        }
        let s_idx = self.sentences.len() as u32;
        self.sentences.push((start, end));
        if sentence.is_ascii() {
            let b = sentence.as_bytes();
            let mut i = 0;
            while i < b.len() && self.tokens.len() < MAX_TOKENS {
                if !b[i].is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
                let w0 = i;
                i = ascii_word_end(b, i);
                self.push_word(start + w0, &sentence[w0..i], s_idx);
            }
        } else {
            for (w_start, word) in sentence.split_word_bound_indices() {
                if self.tokens.len() >= MAX_TOKENS {
                    break;
                }
                self.push_word(start + w_start, word, s_idx);
            }
        }
    }

    fn push_word(&mut self, start: usize, word: &str, sentence: u32) {
        let (mut alpha, mut upper, mut digit) = (0usize, 0usize, false);
        if word.is_ascii() {
            for &c in word.as_bytes() {
                alpha += c.is_ascii_alphabetic() as usize;
                upper += c.is_ascii_uppercase() as usize;
                digit |= c.is_ascii_digit();
            }
        } else {
            for c in word.chars() {
                if c.is_alphabetic() {
                    alpha += 1;
                    upper += c.is_uppercase() as usize;
                } else if c.is_numeric() {
                    digit = true;
                }
            }
        }
        if alpha == 0 && !digit {
            return;
        }
        let l0 = self.arena.len() as u32;
        push_lower(&mut self.arena, word);
        let l1 = self.arena.len() as u32;
        let stem_str = stem(&self.arena[l0 as usize..l1 as usize]);
        let stem_len = stem_str.len() as u32;
        let stem_hash = stem_hash(stem_str);
        self.tokens.push(Token {
            start,
            end: start + word.len(),
            lower: (l0, l1),
            stem: (l0, l0 + stem_len),
            stem_hash,
            sentence,
            all_caps: alpha >= 2 && upper == alpha,
            has_digit: digit,
            has_alpha: alpha > 0,
        });
    }

    /// The lower-cased token (apostrophes normalized to `'`).
    pub(crate) fn lower(&self, i: usize) -> &str {
        let (a, b) = self.tokens[i].lower;
        &self.arena[a as usize..b as usize]
    }

    /// The token's stem (see [`stem`]).
    pub(crate) fn stem(&self, i: usize) -> &str {
        let (a, b) = self.tokens[i].stem;
        &self.arena[a as usize..b as usize]
    }

    /// The original text of the token.
    pub(crate) fn raw(&self, i: usize) -> &'a str {
        let t = &self.tokens[i];
        &self.text[t.start..t.end]
    }
}

/// End of the ASCII word starting at `i`, following Unicode's word-boundary rules for ASCII:
/// letters and digits join; `'` and `.` join letters ("don't", "U.S"); `,` `.` `;` join digits
/// ("1,500", "249.99"); `_` joins anything alphanumeric.
fn ascii_word_end(b: &[u8], mut i: usize) -> usize {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        if word(b[i]) {
            i += 1;
            continue;
        }
        let (prev, next) = (b[i - 1], b.get(i + 1).copied().unwrap_or(b' '));
        let joins = match b[i] {
            b'\'' | b'.' | b':' if prev.is_ascii_alphabetic() && next.is_ascii_alphabetic() => true,
            b',' | b'.' | b';' if prev.is_ascii_digit() && next.is_ascii_digit() => true,
            b'\'' if prev.is_ascii_digit() && next.is_ascii_digit() => true,
            _ => false,
        };
        if !joins {
            break;
        }
        i += 1;
    }
    i
}

fn push_lower(arena: &mut String, word: &str) {
    if word.is_ascii() {
        let at = arena.len();
        arena.push_str(word);
        arena[at..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => arena.push('\''),
            c => arena.extend(c.to_lowercase()),
        }
    }
}

/// A light, deterministic suffix stripper so that `charged`, `charges` and `charging` all
/// match the cue `charge`. It is not a linguistic stemmer; cues whose forms it does not
/// join (`cancel` / `cancelled`) are listed in both forms in the data files.
pub(crate) fn stem(w: &str) -> &str {
    let w = w.strip_suffix("'s").unwrap_or(w);
    let n = w.len();
    if n <= 3 || !w.is_ascii() {
        return w;
    }
    let cut = if w.ends_with("ies") && n > 4 {
        // `replies` -> `repl`, `reply` -> `repl` (the `y` is dropped below).
        n - 3
    } else if w.ends_with("ing") && n > 5 {
        n - 3
    } else if (w.ends_with("ed") || w.ends_with("es")) && n > 4 {
        n - 2
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        n - 1
    } else {
        n
    };
    let mut s = &w[..cut];
    if s.len() > 3 && (s.ends_with('e') || s.ends_with('y')) {
        s = &s[..s.len() - 1];
    }
    s
}

/// The hash phrase tables index stems by (FxHash: a few instructions for a short word).
pub(crate) fn stem_hash(s: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(s)
}

/// Splits a cue phrase into its word stems, as the matcher sees them.
pub(crate) fn phrase_words(phrase: &str) -> Vec<String> {
    let doc = Doc::new(phrase);
    (0..doc.tokens.len())
        .map(|i| doc.stem(i).to_string())
        .collect()
}

/// The words after the first of a phrase, with the phrase's payload.
type Tail<T> = (Box<[Box<str>]>, T);

/// A set of multi-word phrases matched against a [`Doc`] in one pass.
// Since the cold-start work only the tests use it: it is the reference construction the
// compiled tables (`resources::PhraseTable`) are checked against.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub(crate) struct PhraseSet<T> {
    /// First word stem -> phrases starting with it (rest of the stems, payload).
    by_first: FxHashMap<Box<str>, Vec<Tail<T>>>,
    len: usize,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            by_first: FxHashMap::default(),
            len: 0,
        }
    }
}

/// One phrase found in a text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Match<'p, T> {
    /// First token index.
    pub first: usize,
    /// One past the last token index.
    pub last: usize,
    pub value: &'p T,
}

#[allow(dead_code)]
impl<T> PhraseSet<T> {
    pub(crate) fn insert(&mut self, phrase: &str, value: T) {
        let words = phrase_words(phrase);
        let Some((first, rest)) = words.split_first() else {
            return;
        };
        let rest: Box<[Box<str>]> = rest.iter().map(|s| s.as_str().into()).collect();
        self.by_first
            .entry(first.as_str().into())
            .or_default()
            .push((rest, value));
        self.len += 1;
    }

    #[allow(dead_code)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Calls `f` for every phrase occurrence, longest phrase first at each position.
    /// Cost: one hash lookup per token plus the candidates' remaining words.
    pub(crate) fn for_each_match<'p>(&'p self, doc: &Doc<'_>, mut f: impl FnMut(Match<'p, T>)) {
        if self.len == 0 {
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
                let ok = rest
                    .iter()
                    .enumerate()
                    .all(|(k, w)| doc.stem(i + 1 + k) == &**w);
                if ok {
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

/// FNV-1a 64: the start value.
pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a 64 of `bytes`, continuing from `h` (start with [`FNV_START`]): the one hash behind
/// the model checksum, the opening seeds, the hint fingerprints and the step word sets.
pub(crate) fn fnv1a(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_join_inflections() {
        for (a, b) in [
            ("charged", "charge"),
            ("charges", "charging"),
            ("refunds", "refund"),
            ("replies", "reply"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} vs {b}");
        }
        assert_eq!(stem("is"), "is");
        assert_eq!(stem("status"), "status");
    }

    #[test]
    fn tokens_have_spans_and_caps() {
        let d = Doc::new("WHERE is my order #123? I’m upset.");
        let words: Vec<&str> = (0..d.tokens.len()).map(|i| d.raw(i)).collect();
        assert_eq!(words, ["WHERE", "is", "my", "order", "123", "I’m", "upset"]);
        assert!(d.tokens[0].all_caps);
        assert_eq!(d.lower(5), "i'm");
        assert_eq!(d.sentences.len(), 2);
    }

    #[test]
    fn ascii_fast_path_matches_unicode_word_bounds() {
        for text in [
            "I don't think $1,500.25 on 10:30 AB12345 e.g. U.S.A. isn't ok!! x_y 3rd",
            "Where's my order #88812?? It was due 2024-05-03; call me at 555.123.4567.",
            "customers' cards, o'clock... 'quoted' word re:order",
        ] {
            let fast = Doc::new(text);
            let fast: Vec<&str> = (0..fast.tokens.len()).map(|i| fast.raw(i)).collect();
            let slow: Vec<&str> = text
                .split_word_bounds()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect();
            assert_eq!(fast, slow, "{text}");
        }
    }

    #[test]
    fn excerpts_are_cut_at_a_char_boundary_with_a_marker() {
        assert_eq!(excerpt("short"), "short");
        let exact = "x".repeat(MAX_EXCERPT_BYTES);
        assert_eq!(excerpt(&exact), exact);
        let long = "y".repeat(MAX_EXCERPT_BYTES + 1);
        assert_eq!(excerpt(&long), format!("{}\u{2026}", "y".repeat(200)));
        // "é" is two bytes: 199 bytes of "a" then "é" straddles byte 200.
        let straddle = format!("{}é tail", "a".repeat(199));
        assert_eq!(excerpt(&straddle), format!("{}\u{2026}", "a".repeat(199)));
    }

    #[test]
    fn a_doc_holds_at_most_max_tokens_words_and_sentences() {
        // One-letter lines: one word and one sentence each.
        let lines = "a\n".repeat(MAX_TOKENS + 10);
        let d = Doc::new(&lines);
        assert_eq!(d.tokens.len(), MAX_TOKENS);
        assert_eq!(d.sentences.len(), MAX_TOKENS);
        assert_eq!(d.raw(MAX_TOKENS - 1), "a");
        // One sentence of words, ASCII and not.
        for word in ["$1", "é "] {
            let text = word.repeat(MAX_TOKENS + 10);
            let d = Doc::new(&text);
            assert_eq!(d.tokens.len(), MAX_TOKENS, "{word}");
            assert_eq!(d.sentences.len(), 1, "{word}");
        }
        // Sentences with no words are bounded too.
        let dollars = "$\n".repeat(MAX_TOKENS + 10);
        let d = Doc::new(&dollars);
        assert_eq!(d.tokens.len(), 0);
        assert_eq!(d.sentences.len(), MAX_TOKENS);
        // Below the cap nothing is dropped.
        let small = "a\n".repeat(1000);
        let d = Doc::new(&small);
        assert_eq!((d.tokens.len(), d.sentences.len()), (1000, 1000));
    }

    #[test]
    fn sentences_split_on_terminal_punctuation_and_newlines() {
        let d = Doc::new("Hi. I paid $3.50 twice!! Why?\nFix it");
        assert_eq!(d.sentences.len(), 4);
    }

    #[test]
    fn phrases_match_multiword() {
        let mut p = PhraseSet::default();
        p.insert("charged twice", 1);
        p.insert("charge", 2);
        let d = Doc::new("They Charged me TWICE for one charge.");
        let mut got = vec![];
        p.for_each_match(&d, |m| got.push((m.first, m.last, *m.value)));
        assert_eq!(got, vec![(1, 2, 2), (6, 7, 2)]);
        let d = Doc::new("I was charged twice");
        let mut got = vec![];
        p.for_each_match(&d, |m| got.push((m.first, m.last, *m.value)));
        assert!(got.contains(&(2, 4, 1)));
    }
}
