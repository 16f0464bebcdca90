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
    /// Add the dense lexicon features of [`lexicon_features`] (VADER valence with negation,
    /// intensifiers and contrast) to every head.
    pub lexicon: bool,
}

/// Number of dense lexicon features.
pub const DENSE: usize = 3;

/// Dense lexicon features of a text: `[compound, positive, negative]`, each in −1..1 / 0..1.
/// `compound` is VADER's normalised sum of word valences (negated within three words of
/// "not", boosted by intensifiers, "but" shifting weight to the clause after it, `!`
/// emphasis); `positive` and `negative` are the normalised sums of each sign.
pub fn lexicon_features(text: &str) -> [f32; DENSE] {
    let Ok(lex) = crate::lexicon::lexicon() else {
        return [0.0; DENSE];
    };
    let mut buf = [0u8; MAX_WORD];
    // (valence, after a contrast word)
    let mut since_neg = usize::MAX;
    let mut boost = 0.0f32;
    let (mut before, mut after) = ((0.0f32, 0.0f32), (0.0f32, 0.0f32));
    let mut contrast = false;
    let mut bangs = 0usize;
    let mut i = 0usize;
    let bytes = text.as_bytes();
    while let Some(c) = text.get(i..).and_then(|r| r.chars().next()) {
        if c == '!' {
            bangs += 1;
            i += 1;
            continue;
        }
        if class(c) != Class::Word {
            i += c.len_utf8();
            continue;
        }
        let mut len = 0usize;
        while let Some(d) = text.get(i..).and_then(|r| r.chars().next()) {
            match class(d) {
                Class::Word => {
                    if d.is_ascii() {
                        if len < MAX_WORD {
                            buf[len] = (d as u8).to_ascii_lowercase();
                            len += 1;
                        }
                    } else {
                        push_lower(&mut buf, &mut len, d);
                    }
                }
                Class::Apostrophe
                    if bytes
                        .get(i + d.len_utf8())
                        .is_some_and(u8::is_ascii_alphanumeric) =>
                {
                    if len < MAX_WORD {
                        buf[len] = b'\'';
                        len += 1;
                    }
                }
                _ => break,
            }
            i += d.len_utf8();
        }
        let Ok(word) = std::str::from_utf8(&buf[..len]) else {
            continue;
        };
        let info = lex.word(word);
        if info.contrast {
            contrast = true;
        }
        let mut v = info.valence;
        if v != 0.0 {
            v += boost * v.signum();
            if since_neg <= 3 {
                v *= -0.74;
            }
            let slot = if contrast { &mut after } else { &mut before };
            if v > 0.0 {
                slot.0 += v;
            } else {
                slot.1 += v;
            }
        }
        boost = if info.intensifier {
            0.293
        } else if info.diminisher {
            -0.293
        } else {
            0.0
        };
        since_neg = if info.negator {
            1
        } else {
            since_neg.saturating_add(1)
        };
    }
    let (wb, wa) = if contrast { (0.5, 1.5) } else { (1.0, 1.0) };
    let pos = before.0 * wb + after.0 * wa;
    let neg = before.1 * wb + after.1 * wa;
    let mut sum = pos + neg;
    if sum != 0.0 {
        sum += sum.signum() * 0.292 * bangs.min(4) as f32;
    }
    let norm = |x: f32| x / (x * x + 15.0).sqrt();
    [norm(sum), norm(pos), norm(-neg)]
}

impl Default for FeatureConfig {
    /// 2^17 buckets, unigrams + bigrams, character 3- and 4-grams, lexicon features.
    fn default() -> Self {
        FeatureConfig {
            bits: 17,
            bigrams: true,
            char_min: 3,
            char_max: 4,
            lexicon: true,
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
        while let Some(c) = text.get(i..).and_then(|r| r.chars().next()) {
            let start = i;
            let cl = class(c);
            i += c.len_utf8();
            let len = match cl {
                Class::Space | Class::Apostrophe => continue,
                Class::Bang | Class::Question => {
                    // A run of `!` or `?` (or a mix, `?!`) is one token.
                    let (mut bang, mut question) = (cl == Class::Bang, cl == Class::Question);
                    while let Some(d) = text.get(i..).and_then(|r| r.chars().next()) {
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
                    while let Some(d) = text.get(i..).and_then(|r| r.chars().next()) {
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
                    len
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
