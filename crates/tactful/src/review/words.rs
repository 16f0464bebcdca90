//! A small, fast tokenizer for replies: words (letters and digits, with inner apostrophes and
//! number separators) and sentences (ended by `.`, `!`, `?` before a space, or by a line
//! that starts a new item). It does not need full Unicode segmentation rules: a draft reply is
//! short, mostly plain prose, and the review must stay within microseconds. The conversation
//! tracker reads customer turns with it too, so it is a module of its own.

use crate::flat_map::FlatMap;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    lower: (u32, u32),
    stem: (u32, u32),
    pub sentence: u32,
    pub all_caps: bool,
    pub has_digit: bool,
    pub has_alpha: bool,
}

#[derive(Debug)]
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Tok>,
    pub sentences: Vec<(usize, usize)>,
    arena: String,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

impl<'a> Doc<'a> {
    pub(crate) fn new(text: &'a str) -> Doc<'a> {
        use crate::text::MAX_TOKENS;
        let mut tokens: Vec<Tok> = Vec::with_capacity((text.len() / 5).min(MAX_TOKENS) + 4);
        let mut arena = String::with_capacity(text.len().min(MAX_TOKENS * 4) + 8);
        let mut sentences = Vec::new();
        let mut sentence = 0u32;
        let mut sent_start: Option<usize> = None;
        let mut chars = text.char_indices().peekable();
        // Byte offset where the current sentence may end (after its final punctuation).
        let mut pending_end: Option<usize> = None;
        // Like the classifier's, a draft is analysed up to its first MAX_TOKENS words.
        let mut truncated = false;
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                if tokens.len() >= MAX_TOKENS {
                    truncated = true;
                    break;
                }
                if let Some(end) = pending_end.take() {
                    // Punctuation then space then a word: a new sentence starts, unless
                    // the word is lower case after an abbreviation-like token.
                    if let Some(s) = sent_start.take() {
                        sentences.push((s, end));
                        sentence += 1;
                    }
                }
                if sent_start.is_none() {
                    sent_start = Some(i);
                }
                // One word: alphanumerics, inner apostrophes, digit separators.
                let start = i;
                let mut end = i + c.len_utf8();
                let (mut alpha, mut upper, mut digit) = (0usize, 0usize, false);
                let mut count = |c: char| {
                    if c.is_alphabetic() {
                        alpha += 1;
                        if c.is_uppercase() {
                            upper += 1;
                        }
                    } else if c.is_numeric() {
                        digit = true;
                    }
                };
                count(c);
                let mut prev = c;
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() {
                        count(d);
                        end = j + d.len_utf8();
                        prev = d;
                        chars.next();
                        continue;
                    }
                    let joiner = is_apostrophe(d) || (matches!(d, '.' | ',') && prev.is_numeric());
                    if joiner {
                        let after = text.get(j + d.len_utf8()..).and_then(|r| r.chars().next());
                        let ok = match after {
                            Some(n) if is_apostrophe(d) => n.is_alphabetic(),
                            Some(n) => n.is_numeric(),
                            None => false,
                        };
                        if ok {
                            end = j + d.len_utf8();
                            prev = d;
                            chars.next();
                            continue;
                        }
                    }
                    break;
                }
                let word = text.get(start..end).unwrap_or("");
                let l0 = arena.len() as u32;
                if word.is_ascii() {
                    for b in word.bytes() {
                        arena.push(b.to_ascii_lowercase() as char);
                    }
                } else {
                    for ch in word.chars() {
                        if is_apostrophe(ch) {
                            arena.push('\'');
                        } else {
                            arena.extend(ch.to_lowercase());
                        }
                    }
                }
                let l1 = arena.len() as u32;
                let stem_len = crate::text::stem(&arena[l0 as usize..l1 as usize]).len() as u32;
                tokens.push(Tok {
                    start,
                    end,
                    lower: (l0, l1),
                    stem: (l0, l0 + stem_len),
                    sentence,
                    all_caps: alpha >= 2 && upper == alpha,
                    has_digit: digit,
                    has_alpha: alpha > 0,
                });
                continue;
            }
            match c {
                '.' | '!' | '?' | '\u{2026}' if sent_start.is_some() => {
                    {
                        // Abbreviations ("e.g.", "Mr.") and decimals do not end a sentence.
                        let last = tokens.last();
                        let abbreviation = c == '.'
                            && last.is_some_and(|t| {
                                t.end == i && {
                                    let (a, b) = t.lower;
                                    let w = &arena[a as usize..b as usize];
                                    w.len() == 1
                                        || matches!(
                                            w,
                                            "e.g"
                                                | "i.e"
                                                | "etc"
                                                | "vs"
                                                | "mr"
                                                | "mrs"
                                                | "ms"
                                                | "dr"
                                                | "st"
                                                | "no"
                                                | "approx"
                                                | "nr"
                                        )
                                }
                            });
                        let mut end = i + c.len_utf8();
                        while let Some(&(j, d)) = chars.peek() {
                            if matches!(
                                d,
                                '.' | '!' | '?' | '"' | '\'' | ')' | '\u{201D}' | '\u{2019}'
                            ) {
                                end = j + d.len_utf8();
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        let followed_by_space =
                            chars.peek().is_none_or(|&(_, d)| d.is_whitespace());
                        if followed_by_space && !abbreviation {
                            pending_end = Some(end);
                        }
                    }
                }
                '\n' => {
                    // A new line that starts an item or a capitalized line ends the sentence.
                    let rest = text.get(i + 1..).unwrap_or("");
                    let next = rest.trim_start_matches([' ', '\t', '\r']).chars().next();
                    let breaks = rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n')
                        || next.is_some_and(|n| {
                            n.is_uppercase()
                                || n.is_numeric()
                                || matches!(n, '-' | '*' | '\u{2022}')
                        });
                    if breaks && pending_end.is_none() {
                        if let Some(s) = sent_start {
                            let end = tokens.last().map_or(i, |t| t.end.max(s));
                            let line_end =
                                text.get(s..i).map_or(end, |seg| s + seg.trim_end().len());
                            pending_end = Some(line_end.max(s));
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some(s) = sent_start {
            let end = match (pending_end, tokens.last()) {
                (Some(e), _) => e,
                (None, Some(t)) if truncated => t.end,
                _ => s + text.get(s..).unwrap_or("").trim_end().len(),
            };
            sentences.push((s, end.max(s)));
        }
        Doc {
            text,
            tokens,
            sentences,
            arena,
        }
    }

    pub(crate) fn lower(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.arena.get(t.lower.0 as usize..t.lower.1 as usize))
            .unwrap_or("")
    }

    pub(crate) fn stem(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.arena.get(t.stem.0 as usize..t.stem.1 as usize))
            .unwrap_or("")
    }

    pub(crate) fn raw(&self, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }
}

/// Multi-word phrases matched on stems in one pass (first stem → candidates).
/// The stems after the first word of a phrase, with the phrase's payload.
type Rest<T> = (Box<[Box<str>]>, T);

#[derive(Debug, Clone)]
pub(crate) struct Phrases<T> {
    by_first: FlatMap<Box<str>, Vec<Rest<T>>>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases {
            by_first: FlatMap::default(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Match<'p, T> {
    pub first: usize,
    pub last: usize,
    pub value: &'p T,
}

impl<T> Phrases<T> {
    pub(crate) fn insert(&mut self, phrase: &str, value: T) {
        let d = Doc::new(phrase);
        let words: Vec<Box<str>> = (0..d.tokens.len()).map(|i| d.stem(i).into()).collect();
        let Some((first, rest)) = words.split_first() else {
            return;
        };
        self.by_first
            .get_or_insert_with(first.clone(), Vec::new)
            .push((rest.into(), value));
    }

    pub(crate) fn for_each_match<'p>(&'p self, doc: &Doc<'_>, mut f: impl FnMut(Match<'p, T>)) {
        if self.by_first.is_empty() {
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
                if rest
                    .iter()
                    .enumerate()
                    .all(|(k, w)| doc.stem(i + 1 + k) == &**w)
                {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_sentences() {
        let d = Doc::new("WHERE is my order #1,234.50? I’m upset. e.g. this\nStill here!! ok");
        let w: Vec<&str> = (0..d.tokens.len()).map(|i| d.raw(i)).collect();
        assert_eq!(
            w,
            [
                "WHERE", "is", "my", "order", "1,234.50", "I’m", "upset", "e", "g", "this",
                "Still", "here", "ok"
            ]
        );
        assert_eq!(d.lower(5), "i'm");
        let s: Vec<&str> = d.sentences.iter().map(|&(a, b)| &d.text[a..b]).collect();
        assert_eq!(
            s,
            [
                "WHERE is my order #1,234.50?",
                "I’m upset.",
                "e.g. this",
                "Still here!!",
                "ok"
            ]
        );
    }

    #[test]
    fn phrases_match() {
        let mut p = Phrases::default();
        p.insert("so sorry", 1);
        p.insert("sorry", 2);
        let d = Doc::new("I'm SO sorry. Sorry");
        let mut got = vec![];
        p.for_each_match(&d, |m| got.push((m.first, m.last, *m.value)));
        assert_eq!(got, vec![(1, 3, 1), (2, 3, 2), (3, 4, 2)]);
    }
}
