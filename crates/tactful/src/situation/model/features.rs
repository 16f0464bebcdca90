//! The shared featurizer: hashed word unigrams, word bigrams and character n-grams of words.
//!
//! Training (`tactful-train`) and inference call the very same code, so a model can never see
//! features at inference that differ from the ones it was trained on. Nothing here allocates:
//! words are lower-cased into a fixed stack buffer and every feature is handed to a callback
//! as `(bucket, start, end)`, the byte span pointing into the original text (for explanations).

/// How texts are turned into hashed features. Stored in every model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureConfig {
    /// log2 of the number of hash buckets (10..=24).
    pub bits: u8,
    /// Emit word bigrams as well as unigrams.
    pub bigrams: bool,
    /// Smallest character n-gram (of the word wrapped in `<` `>`); 0 turns them off.
    pub char_min: u8,
    /// Largest character n-gram (≥ `char_min`, at most 8).
    pub char_max: u8,
    /// Add the dense rule features of [`rule_features`] to every head.
    pub rules: bool,
    /// Read an `@handle` as the one token `@` and a link (`http://…`, `https://…`,
    /// `www.…`) as the one token `<url>`, and skip the HTML entities `&amp;` `&lt;` `&gt;`
    /// that tweets carry: handles and link slugs name no situation, and hashed as words
    /// they only add noise.
    pub social_tokens: bool,
    /// Fold common English inflections before hashing (`charged`, `charges`, `charging`
    /// → `charg`), so a word form the training data never used still finds its weights.
    pub stem: bool,
}

/// Number of dense rule features every head reads when [`FeatureConfig::rules`] is on.
pub const DENSE: usize = crate::situation::features::RULE_FEATURES;

/// The rules' reading of a text as the dense inputs of the trained heads: VADER valence
/// (negation, intensifiers, contrast, capitals, emoji), every cue signal of
/// `data/signals.toml` (threats, repeat contact, vulnerability, sarcasm, politeness…),
/// money, ids, dates, punctuation, length, and the rule emotion scores. The classifier
/// computes the same vector from the features it already extracted; training calls this.
pub fn rule_features(text: &str) -> [f32; DENSE] {
    static EMPTY: once_cell::sync::Lazy<crate::respond::playbook::Compiled> =
        once_cell::sync::Lazy::new(crate::respond::playbook::Compiled::empty);
    let Ok(lex) = crate::situation::lexicon::lexicon() else {
        return [0.0; DENSE];
    };
    crate::situation::features::Features::extract(text, lex, &EMPTY, 0).rule_vector()
}

impl Default for FeatureConfig {
    /// 2^17 buckets, unigrams + bigrams, character 3- and 4-grams, rule features and social
    /// tokens; no stemming (on the shipped data it lowered the out-of-scope check).
    fn default() -> Self {
        FeatureConfig {
            bits: 17,
            bigrams: true,
            char_min: 3,
            char_max: 4,
            rules: true,
            social_tokens: true,
            stem: false,
        }
    }
}

/// Longest word (in bytes, lower-cased) hashed in full; longer words are hashed on their
/// first bytes, which keeps the work per word bounded and the buffer on the stack.
const MAX_WORD: usize = 64;

const TAG_WORD: u64 = 0x9e37_79b9_7f4a_7c15;
const TAG_BIGRAM: u64 = 0xc2b2_ae3d_27d4_eb4f;
const TAG_CHAR: u64 = 0x1656_67b1_9e37_79f9;

#[inline]
fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Final avalanche (splitmix64), so that the top bits of similar n-grams differ.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The char starting at byte `i` (`None` at the end, or off a char boundary): one byte read
/// for ASCII, which is nearly every char of a message.
#[inline(always)]
fn char_at(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        Some(char::from(b))
    } else {
        text.get(i..).and_then(|r| r.chars().next())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Apostrophe,
    Bang,
    Question,
    Symbol,
    Space,
}

#[inline]
fn class(c: char) -> Class {
    if c.is_ascii() {
        return match c as u8 {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => Class::Word,
            b'\'' => Class::Apostrophe,
            b'!' => Class::Bang,
            b'?' => Class::Question,
            _ => Class::Space,
        };
    }
    if c.is_alphanumeric() {
        Class::Word
    } else if c == '\'' || c == '\u{2019}' {
        Class::Apostrophe
    } else if c == '!' {
        Class::Bang
    } else if c == '?' {
        Class::Question
    } else if !c.is_ascii() && !c.is_whitespace() && (c as u32) >= 0x2100 {
        // Emoji and pictographs carry sentiment; each one is its own token.
        Class::Symbol
    } else {
        Class::Space
    }
}

impl FeatureConfig {
    /// Checks the ranges; used by the model parser and the trainer.
    pub fn validate(&self) -> Result<(), String> {
        if !(10..=24).contains(&self.bits) {
            return Err(format!("hash bits {} outside 10..=24", self.bits));
        }
        if self.char_min != 0
            && (self.char_min < 2 || self.char_max < self.char_min || self.char_max > 8)
        {
            return Err(format!(
                "character n-gram range {}..={} invalid",
                self.char_min, self.char_max
            ));
        }
        Ok(())
    }

    /// Number of hash buckets.
    pub fn buckets(&self) -> usize {
        1usize << self.bits
    }

    #[inline]
    fn bucket(&self, h: u64) -> u32 {
        (mix(h) >> (64 - u32::from(self.bits))) as u32
    }

    /// Calls `f(bucket, start, end)` for every feature of `text`, in text order: for each
    /// token its unigram, then its character n-grams (same span), then the bigram ending at
    /// it (span of both words). Returns the number of features emitted.
    pub fn for_each_feature(&self, text: &str, mut f: impl FnMut(u32, usize, usize)) -> usize {
        let mut count = 0usize;
        let mut prev: Option<(u64, usize)> = None;
        let mut buf = [0u8; MAX_WORD];
        let mut i = 0usize;
        while let Some(c) = char_at(text, i) {
            let start = i;
            let mut cl = class(c);
            i += c.len_utf8();
            let social = if self.social_tokens {
                social_token(text, start, c)
            } else {
                None
            };
            let len = match cl {
                _ if social.is_some() => {
                    let Some((tok, next)) = social else { continue };
                    i = next;
                    // Not a word: no character n-grams, no stemming.
                    cl = Class::Symbol;
                    match tok {
                        Some(t) => {
                            buf[..t.len()].copy_from_slice(t);
                            t.len()
                        }
                        None => continue,
                    }
                }
                Class::Space | Class::Apostrophe => continue,
                Class::Bang | Class::Question => {
                    // A run of `!` or `?` (or a mix, `?!`) is one token.
                    let (mut bang, mut question) = (cl == Class::Bang, cl == Class::Question);
                    while let Some(d) = char_at(text, i) {
                        match class(d) {
                            Class::Bang => bang = true,
                            Class::Question => question = true,
                            _ => break,
                        }
                        i += d.len_utf8();
                    }
                    let tok: &[u8] = match (bang, question) {
                        (true, true) => b"?!",
                        (true, false) => b"!",
                        _ => b"?",
                    };
                    buf[..tok.len()].copy_from_slice(tok);
                    tok.len()
                }
                Class::Symbol => {
                    let mut tmp = [0u8; 4];
                    let s = c.encode_utf8(&mut tmp).as_bytes();
                    buf[..s.len()].copy_from_slice(s);
                    s.len()
                }
                Class::Word => {
                    let mut len = 0usize;
                    push_lower(&mut buf, &mut len, c);
                    let mut apostrophe = false;
                    loop {
                        // The common case, a run of ASCII letters and digits, byte by byte.
                        if !apostrophe {
                            let bytes = text.as_bytes();
                            while let Some(&b) = bytes.get(i) {
                                if !b.is_ascii_alphanumeric() {
                                    break;
                                }
                                push_lower(&mut buf, &mut len, char::from(b));
                                i += 1;
                            }
                        }
                        let Some(d) = char_at(text, i) else { break };
                        match class(d) {
                            Class::Word => {
                                if apostrophe && len < MAX_WORD {
                                    // Inside a word only ("don't"), normalised to '.
                                    buf[len] = b'\'';
                                    len += 1;
                                }
                                apostrophe = false;
                                push_lower(&mut buf, &mut len, d);
                            }
                            Class::Apostrophe if !apostrophe => apostrophe = true,
                            _ => break,
                        }
                        i += d.len_utf8();
                    }
                    if apostrophe {
                        // A trailing apostrophe is not part of the word.
                        i -= 1;
                        while !text.is_char_boundary(i) {
                            i -= 1;
                        }
                    }
                    if self.stem {
                        stem(&buf[..len])
                    } else {
                        len
                    }
                }
            };
            let end = i;
            let word = &buf[..len];
            let hw = fnv(TAG_WORD, word);
            f(self.bucket(hw), start, end);
            count += 1;
            if cl == Class::Word && self.char_min != 0 {
                count += self.char_ngrams(word, start, end, &mut f);
            }
            if self.bigrams {
                if let Some((hp, pstart)) = prev {
                    f(
                        self.bucket(hp.rotate_left(17) ^ hw ^ TAG_BIGRAM),
                        pstart,
                        end,
                    );
                    count += 1;
                }
            }
            prev = Some((hw, start));
        }
        count
    }

    /// Character n-grams of `<word>`, except the one that is the whole wrapped word.
    fn char_ngrams(
        &self,
        word: &[u8],
        start: usize,
        end: usize,
        f: &mut impl FnMut(u32, usize, usize),
    ) -> usize {
        let mut wrapped = [0u8; MAX_WORD + 2];
        let wl = word.len() + 2;
        wrapped[0] = b'<';
        wrapped[1..=word.len()].copy_from_slice(word);
        wrapped[wl - 1] = b'>';
        let wrapped = &wrapped[..wl];
        // Byte offsets of character starts in `<word>`, then the end.
        let mut bounds = [0u8; MAX_WORD + 3];
        let mut nc = 0usize;
        for (k, &b) in wrapped.iter().enumerate() {
            // UTF-8 continuation bytes do not start a character.
            if b & 0xC0 != 0x80 {
                bounds[nc] = k as u8;
                nc += 1;
            }
        }
        bounds[nc] = wl as u8;
        let mut count = 0;
        for n in usize::from(self.char_min)..=usize::from(self.char_max) {
            if n >= nc {
                break;
            }
            for s in 0..=nc - n {
                let a = usize::from(bounds[s]);
                let b = usize::from(bounds[s + n]);
                let h = fnv(TAG_CHAR ^ (n as u64), &wrapped[a..b]);
                f(self.bucket(h), start, end);
                count += 1;
            }
        }
        count
    }
}

/// A social-media token starting at `start` (where `c` is): `Some((Some(token), end))` for a
/// handle or a link read as one token, `Some((None, end))` for an HTML entity to skip.
fn social_token(text: &str, start: usize, c: char) -> Option<(Option<&'static [u8]>, usize)> {
    let rest = text.get(start..)?.as_bytes();
    match c {
        '@' => {
            // A handle: letters, digits and `_` after the `@` (an e-mail address is one too,
            // which is as good: its text names no situation either).
            let n = rest[1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            (n > 0).then_some((Some(&b"@"[..]), start + 1 + n))
        }
        'h' | 'H' | 'w' | 'W' => {
            let is_link = [&b"http://"[..], b"https://", b"www."]
                .iter()
                .any(|p| starts_with_ignore_case(rest, p));
            if !is_link {
                return None;
            }
            // Up to the next whitespace; a link is ASCII in practice, and stopping at any
            // non-ASCII byte keeps `end` on a character boundary.
            let n = rest
                .iter()
                .take_while(|b| b.is_ascii() && !b.is_ascii_whitespace())
                .count();
            Some((Some(&b"<url>"[..]), start + n))
        }
        '&' => [&b"&amp;"[..], b"&lt;", b"&gt;", b"&quot;"]
            .iter()
            .find(|e| starts_with_ignore_case(rest, e))
            .map(|e| (None, start + e.len())),
        _ => None,
    }
}

/// Whether `s` starts with `prefix`, ASCII case-insensitively (no allocation: this runs at
/// the start of every word beginning with `h` or `w`).
#[inline]
fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// A light, deterministic suffix folding of a lower-cased ASCII word (a Porter step-1-like
/// cut): `-'s`, then one of `-ing`, `-ed`, `-es`, `-s`, then a final `-e`, each only when at
/// least three letters remain. Returns the new length; other words keep theirs.
fn stem(word: &[u8]) -> usize {
    let mut n = word.len();
    if n < 4 || !word.iter().all(|b| b.is_ascii_lowercase() || *b == b'\'') {
        return n;
    }
    let ends = |n: usize, suf: &[u8]| n >= suf.len() + 3 && word[..n].ends_with(suf);
    if ends(n, b"'s") {
        n -= 2;
    }
    if ends(n, b"ing") {
        n -= 3;
    } else if ends(n, b"ed") || (ends(n, b"es") && !word[..n].ends_with(b"ses")) {
        // "replied" and "replies" both become "repli".
        n -= 2;
    } else if ends(n, b"s")
        && ![&b"ss"[..], b"us", b"is"]
            .iter()
            .any(|e| word[..n].ends_with(e))
    {
        n -= 1;
    }
    if ends(n, b"e") {
        n -= 1;
    }
    n
}

#[inline]
fn push_lower(buf: &mut [u8; MAX_WORD], len: &mut usize, c: char) {
    if c.is_ascii() {
        if *len < MAX_WORD {
            let b = c as u8;
            // Digits are folded to 0: amounts and ids matter as a shape, not as a value.
            buf[*len] = if b.is_ascii_digit() {
                b'0'
            } else {
                b.to_ascii_lowercase()
            };
            *len += 1;
        }
        return;
    }
    for l in c.to_lowercase() {
        let mut tmp = [0u8; 4];
        let s = l.encode_utf8(&mut tmp).as_bytes();
        if *len + s.len() > MAX_WORD {
            return;
        }
        buf[*len..*len + s.len()].copy_from_slice(s);
        *len += s.len();
    }
}
