//! Features of one text: lexicon valence (negation, intensifiers, contrast, capitals,
//! punctuation, emoji), cue signals, emotion cues, money, ids, dates and style counts.
//!
//! One pass over the tokens plus one over the bytes: linear in the input.

use crate::respond::playbook::{Compiled, Said};
use crate::situation::lexicon::{Cue, Lexicon, Signal, WordInfo};
use crate::text::Doc;
use crate::Emotion;

/// Number of dense rule features ([`Features::rule_vector`]): 3 valence, one per cue signal,
/// 18 counts and shapes, 7 rule emotion scores.
pub(crate) const RULE_FEATURES: usize = 3 + Signal::COUNT + 18 + 7;

/// How many tokens back an intensifier or a negator reaches (as in VADER).
const SCOPE: usize = 3;
/// VADER's booster increment.
const BOOST: f32 = 0.293;
/// VADER's capitals increment.
const CAPS_BOOST: f32 = 0.733;
/// VADER's negation factor.
const NEGATION: f32 = -0.74;
/// VADER's normalization constant.
const ALPHA: f32 = 15.0;
/// Spans kept per signal kind (enough for evidence, bounded for huge inputs).
const SPANS_PER_KIND: usize = 3;

/// A located cue: `(start byte, end byte)`.
pub(crate) type Span = (usize, usize);

/// How often a kind of cue occurred, and where (the first few): no heap allocation.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Kind {
    pub count: u32,
    buf: [Span; SPANS_PER_KIND],
}

impl Kind {
    fn add(&mut self, span: Span) {
        if (self.count as usize) < SPANS_PER_KIND {
            self.buf[self.count as usize] = span;
        }
        self.count += 1;
    }

    pub(crate) fn spans(&self) -> &[Span] {
        &self.buf[..(self.count as usize).min(SPANS_PER_KIND)]
    }
}

#[derive(Debug)]
pub(crate) struct Features<'a> {
    pub doc: Doc<'a>,
    /// VADER-style compound valence, −1..1.
    pub compound: f32,
    /// Sum of positive and of negative token valences (after rules).
    pub pos: f32,
    pub neg: f32,
    pub signals: [Kind; Signal::COUNT],
    /// Word-level lexicon facts, one per token.
    pub infos: Vec<WordInfo>,
    /// Rule score per emotion (`Emotion::ALL` order) and its strongest span.
    pub emotion: [f32; 7],
    pub emotion_span: [Option<(Span, f32)>; 7],
    /// Category cue score per playbook category, hard-cue hits, strongest spans.
    pub category: Vec<f32>,
    pub hard: Vec<bool>,
    pub category_spans: Vec<Kind>,
    pub negations: Kind,
    pub intensifiers: Kind,
    pub contrast: Kind,
    pub caps: Kind,
    pub exclaim_runs: Kind,
    pub question_runs: Kind,
    pub exclamations: u32,
    pub questions: u32,
    pub emoji_pos: Kind,
    pub emoji_neg: Kind,
    /// Sum of emoji and emoticon valences.
    pub emoji_valence: f32,
    pub money: Kind,
    pub max_amount: f64,
    pub ids: Kind,
    pub dates: Kind,
    pub numbers: u32,
    /// Alphabetic words, and how many are all capitals.
    pub words: u32,
    pub caps_words: u32,
    /// Emotion cues that were negated ("not worried"): evidence only.
    pub negated_cues: Kind,
    /// The playbook's phrase conditions the text meets.
    pub said: Said,
    /// The working buffers of [`Features::extract`], returned to the thread on drop.
    spare: FeatureBufs,
}

/// The buffers of one [`Features`], kept per thread between calls (see [`crate::scratch`]).
#[derive(Debug, Default)]
struct FeatureBufs {
    infos: Vec<WordInfo>,
    category: Vec<f32>,
    hard: Vec<bool>,
    category_spans: Vec<Kind>,
    valence: Vec<f32>,
    diminished: Vec<bool>,
    fixed: Vec<bool>,
    emotion_hits: Vec<(Emotion, f32, usize, usize)>,
    contrast_at: Vec<Option<usize>>,
}

impl crate::scratch::Spare for FeatureBufs {
    fn clear(&mut self) {
        self.infos.clear();
        self.category.clear();
        self.hard.clear();
        self.category_spans.clear();
        self.valence.clear();
        self.diminished.clear();
        self.fixed.clear();
        self.emotion_hits.clear();
        self.contrast_at.clear();
    }

    fn capacity_bytes(&self) -> usize {
        use crate::scratch::vec_bytes;
        vec_bytes(&self.infos)
            + vec_bytes(&self.category)
            + vec_bytes(&self.hard)
            + vec_bytes(&self.category_spans)
            + vec_bytes(&self.valence)
            + vec_bytes(&self.diminished)
            + vec_bytes(&self.fixed)
            + vec_bytes(&self.emotion_hits)
            + vec_bytes(&self.contrast_at)
    }
}

thread_local! {
    static FEATURE_BUFS: std::cell::RefCell<Option<FeatureBufs>> =
        const { std::cell::RefCell::new(None) };
}

impl Drop for Features<'_> {
    fn drop(&mut self) {
        let mut bufs = std::mem::take(&mut self.spare);
        bufs.infos = std::mem::take(&mut self.infos);
        bufs.category = std::mem::take(&mut self.category);
        bufs.hard = std::mem::take(&mut self.hard);
        bufs.category_spans = std::mem::take(&mut self.category_spans);
        crate::scratch::give(&FEATURE_BUFS, bufs);
    }
}

/// The number in a money token, its digits and dots only ("1,500.00" → 1500.0; 0 when that
/// is not a number). Short tokens are read from a stack buffer instead of a `String`.
fn parse_amount(raw: &str) -> f64 {
    let keep = |c: &u8| c.is_ascii_digit() || *c == b'.';
    let mut buf = [0u8; 64];
    let mut len = 0;
    for &c in raw.as_bytes().iter().filter(|c| keep(c)) {
        match buf.get_mut(len) {
            Some(slot) => *slot = c,
            // Longer than any real amount: the allocating path, same result.
            None => {
                return raw
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.')
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0.0)
            }
        }
        len += 1;
    }
    std::str::from_utf8(&buf[..len])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0)
}

/// `v` cleared and filled with `n` copies of `x`, keeping its capacity.
fn refill<T: Clone>(mut v: Vec<T>, n: usize, x: T) -> Vec<T> {
    v.clear();
    v.resize(n, x);
    v
}

impl<'a> Features<'a> {
    pub(crate) fn signal(&self, s: Signal) -> &Kind {
        &self.signals[s as usize]
    }

    pub(crate) fn has(&self, s: Signal) -> bool {
        self.signals[s as usize].count > 0
    }

    pub(crate) fn extract(text: &'a str, lex: &Lexicon, compiled: &Compiled, n_cat: usize) -> Self {
        let doc = Doc::new(text);
        let n = doc.tokens.len();
        // The thread's buffers from the previous call: nothing is allocated below unless
        // this text is longer than any before it.
        let mut bufs = crate::scratch::take(&FEATURE_BUFS);
        let mut f = Features {
            compound: 0.0,
            pos: 0.0,
            neg: 0.0,
            signals: [Kind::default(); Signal::COUNT],
            infos: Vec::new(),
            emotion: [0.0; 7],
            emotion_span: [None; 7],
            category: refill(std::mem::take(&mut bufs.category), n_cat, 0.0),
            hard: refill(std::mem::take(&mut bufs.hard), n_cat, false),
            category_spans: refill(
                std::mem::take(&mut bufs.category_spans),
                n_cat,
                Kind::default(),
            ),
            negations: Kind::default(),
            intensifiers: Kind::default(),
            contrast: Kind::default(),
            caps: Kind::default(),
            exclaim_runs: Kind::default(),
            question_runs: Kind::default(),
            exclamations: 0,
            questions: 0,
            emoji_pos: Kind::default(),
            emoji_neg: Kind::default(),
            emoji_valence: 0.0,
            money: Kind::default(),
            max_amount: 0.0,
            ids: Kind::default(),
            dates: Kind::default(),
            numbers: 0,
            words: 0,
            caps_words: 0,
            negated_cues: Kind::default(),
            said: Said::default(),
            doc,
            spare: FeatureBufs::default(),
        };
        let doc = &f.doc;
        compiled
            .conditions
            .for_each_match(doc, |m| f.said.insert(*m.value));

        // Word-level facts, one lookup per token.
        let mut infos = std::mem::take(&mut bufs.infos);
        infos.clear();
        infos.extend((0..n).map(|i| lex.word(doc.lower(i))));
        let mut valence = std::mem::take(&mut bufs.valence);
        valence.clear();
        valence.extend(infos.iter().map(|w| w.valence));
        let mut diminished = refill(std::mem::take(&mut bufs.diminished), n, false);
        // Tokens whose valence a whole phrase decided ("not bad", "no problem").
        let mut fixed = refill(std::mem::take(&mut bufs.fixed), n, false);
        for t in &doc.tokens {
            if t.has_alpha && !t.has_digit {
                f.words += 1;
                // Two-letter capitals are mostly initials and codes ("UK", "ID"), not shouting.
                if t.all_caps && t.end - t.start >= 3 {
                    f.caps_words += 1;
                    f.caps.add((t.start, t.end));
                }
            }
        }

        // Phrase cues: signals, emotions, phrase valences, multi-word diminishers.
        let span_of = |a: usize, b: usize| (doc.tokens[a].start, doc.tokens[b - 1].end);
        let mut emotion_hits = std::mem::take(&mut bufs.emotion_hits);
        emotion_hits.clear();
        lex.cues.for_each_match(doc, |m| match *m.value {
            Cue::Signal(s) => f.signals[s as usize].add(span_of(m.first, m.last)),
            Cue::Emotion(e, w) => emotion_hits.push((e, w, m.first, m.last)),
            Cue::Valence(v) => {
                valence[m.first] = v;
                for k in m.first..m.last {
                    fixed[k] = true;
                    if k > m.first {
                        valence[k] = 0.0;
                    }
                }
            }
            Cue::Diminisher => {
                if m.last < n {
                    diminished[m.last] = true;
                }
            }
        });
        let negated_at = |i: usize| -> Option<usize> {
            let s = doc.tokens[i].sentence;
            (i.saturating_sub(SCOPE)..i)
                .rev()
                .find(|&j| doc.tokens[j].sentence == s && infos[j].negator && !fixed[j])
        };
        for &(e, w, a, b) in &emotion_hits {
            let span = span_of(a, b);
            // A whole phrase decided these words ("no worries"): not an emotion cue.
            if fixed[a..b].iter().all(|&x| x) {
                continue;
            }
            // "not worried", "no longer angry": a negated emotion cue does not count.
            if negated_at(a).is_some() && !matches!(e, Emotion::Frustration) {
                f.negated_cues.add(span);
                continue;
            }
            let k = e.code() as usize;
            f.emotion[k] += w;
            if f.emotion_span[k].is_none_or(|(_, bw)| w > bw) {
                f.emotion_span[k] = Some((span, w));
            }
        }

        // Category cues from the playbook.
        compiled.cues.for_each_match(doc, |m| {
            let (c, hard) = *m.value;
            let c = c as usize;
            if c >= n_cat {
                return;
            }
            // A negated cue ("not stolen", "no refund needed") is weaker evidence, not none.
            let w = if negated_at(m.first).is_some() {
                0.4
            } else {
                1.0
            };
            let len_bonus = 0.25 * (m.last - m.first - 1) as f32;
            f.category[c] += w + len_bonus + if hard { 2.0 } else { 0.0 };
            if hard && w == 1.0 {
                f.hard[c] = true;
            }
            f.category_spans[c].add(span_of(m.first, m.last));
        });

        // VADER-style valence per token, with boosters, capitals, negation and contrast.
        let all_caps_text = f.caps_words > 0 && f.caps_words == f.words;
        let mut contrast_at = refill(
            std::mem::take(&mut bufs.contrast_at),
            doc.sentences.len(),
            None,
        );
        for (i, info) in infos.iter().enumerate() {
            if info.contrast {
                let s = doc.tokens[i].sentence as usize;
                // The first contrast word of a sentence splits it.
                if contrast_at[s].is_none() {
                    contrast_at[s] = Some(i);
                }
                f.contrast.add((doc.tokens[i].start, doc.tokens[i].end));
            }
            if info.intensifier {
                f.intensifiers.add((doc.tokens[i].start, doc.tokens[i].end));
            }
        }
        let (mut pos, mut neg) = (0.0f32, 0.0f32);
        for i in 0..n {
            let mut v = valence[i];
            if v == 0.0 || (infos[i].negator && !fixed[i]) {
                continue;
            }
            let s = doc.tokens[i].sentence;
            for (d, j) in (i.saturating_sub(SCOPE)..i).rev().enumerate() {
                if doc.tokens[j].sentence != s {
                    break;
                }
                let scale = 1.0 - 0.05 * d as f32;
                if infos[j].intensifier {
                    v += v.signum() * BOOST * scale;
                } else if infos[j].diminisher {
                    v -= v.signum() * BOOST * scale;
                }
            }
            if diminished[i] {
                v -= v.signum() * BOOST;
            }
            if doc.tokens[i].all_caps && !all_caps_text {
                v += v.signum() * CAPS_BOOST;
            }
            if let Some(j) = negated_at(i).filter(|_| !fixed[i]) {
                v *= NEGATION;
                f.negations.add((doc.tokens[j].start, doc.tokens[i].end));
            }
            if let Some(c) = contrast_at[s as usize] {
                v *= if i < c { 0.5 } else { 1.5 };
            }
            if v > 0.0 {
                pos += v;
            } else {
                neg += v;
            }
        }

        // Bytes: punctuation runs, emoji, money, ids, dates.
        f.infos = infos;
        bufs.valence = valence;
        bufs.diminished = diminished;
        bufs.fixed = fixed;
        bufs.emotion_hits = emotion_hits;
        bufs.contrast_at = contrast_at;
        f.spare = bufs;
        scan_bytes(&mut f, lex);
        if f.emoji_valence > 0.0 {
            pos += f.emoji_valence;
        } else {
            neg += f.emoji_valence;
        }

        let mut sum = pos + neg;
        // Shouting and "???" are exasperation even without a negative word.
        let shouting = f.caps_words >= 3 && f.caps_ratio() >= 0.5;
        if shouting && sum < 1.0 {
            sum -= 1.2;
            neg -= 1.2;
        }
        if f.question_runs.count > 0 && sum < 1.0 {
            let q = 0.4 * f.question_runs.count.min(2) as f32;
            sum -= q;
            neg -= q;
        }
        if sum != 0.0 {
            let emphasis = f.exclamations.min(4) as f32 * 0.292
                + if f.questions > 1 {
                    f.questions.min(3) as f32 * 0.18
                } else {
                    0.0
                };
            sum += sum.signum() * emphasis;
        }
        // "Great service" is sarcasm only next to a complaint.
        let weak = f.signals[Signal::SarcasmWeak as usize];
        if weak.count > 0 && neg <= -1.5 {
            for &span in weak.spans() {
                f.signals[Signal::Sarcasm as usize].add(span);
            }
        }
        f.pos = pos;
        f.neg = neg;
        f.compound = (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0);
        f
    }

    /// Whether the message is written in another language: several function words of
    /// Spanish, French, German, Portuguese, Italian or Dutch, making up a good share of it.
    pub(crate) fn non_english(&self) -> bool {
        let foreign = self.signal(Signal::Foreign).count;
        foreign >= 2 && foreign as f32 >= 0.2 * self.words.max(1) as f32
    }

    /// The rules' reading as dense inputs of the trained heads ([`RULE_FEATURES`] values,
    /// each roughly in −1..1): valence, every cue signal, money, ids, dates, punctuation,
    /// capitals, emoji, length and the rule emotion scores. Training learns what each is
    /// worth in context, instead of a hand-set blend of two opinions.
    pub(crate) fn rule_vector(&self) -> [f32; RULE_FEATURES] {
        let mut v = [0.0f32; RULE_FEATURES];
        let capped = |x: u32, cap: u32| x.min(cap) as f32 / cap as f32;
        let squash = |x: f32| x / (x.abs() + 1.0);
        v[0] = self.compound;
        v[1] = squash(self.pos);
        v[2] = squash(-self.neg);
        let mut i = 3;
        for s in Signal::ALL {
            v[i] = capped(self.signals[*s as usize].count, 2);
            i += 1;
        }
        let shouting = self.caps_words >= 3 && self.caps_ratio() >= 0.5;
        let rest = [
            capped(self.money.count, 2),
            if self.max_amount >= 300.0 { 1.0 } else { 0.0 },
            capped(self.ids.count, 2),
            capped(self.dates.count, 2),
            capped(self.numbers, 5),
            capped(self.questions, 3),
            capped(self.question_runs.count, 2),
            capped(self.exclamations, 3),
            self.caps_ratio(),
            if shouting { 1.0 } else { 0.0 },
            capped(self.emoji_pos.count, 2),
            capped(self.emoji_neg.count, 2),
            capped(self.intensifiers.count, 3),
            capped(self.negations.count, 3),
            capped(self.contrast.count, 2),
            ((self.words as f32) + 1.0).ln() / 7.0,
            if self.words <= 6 { 1.0 } else { 0.0 },
            if self.non_english() { 1.0 } else { 0.0 },
        ];
        for x in rest {
            v[i] = x;
            i += 1;
        }
        for e in self.emotion {
            v[i] = squash(e);
            i += 1;
        }
        v
    }

    /// Share of alphabetic words in capitals (0 for texts under three words).
    pub(crate) fn caps_ratio(&self) -> f32 {
        if self.words < 3 {
            0.0
        } else {
            self.caps_words as f32 / self.words as f32
        }
    }
}

/// Whether the byte at `at` is inside a link (`http://…`, `https://…`, `www.…` up to the next
/// space).
fn in_link(text: &str, at: usize) -> bool {
    let before = &text.as_bytes()[..at];
    let word_start = before
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .map_or(0, |p| p + 1);
    let w = &before[word_start..];
    let has = |p: &[u8]| w.windows(p.len()).any(|x| x.eq_ignore_ascii_case(p));
    has(b"http://") || has(b"https://") || has(b"www.")
}

/// Digits grouped by thousands (`120,000`, `1,089.99`) or with two decimals (`649.00`).
fn looks_like_amount(raw: &str) -> bool {
    let (int, frac) = match raw.rsplit_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (raw, None),
    };
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|c| c.is_ascii_digit());
    if frac.is_some_and(|f| f.len() != 2 || !digits(f)) {
        return false;
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    let mut n = 1;
    for g in groups {
        if g.len() != 3 || !digits(g) {
            return false;
        }
        n += 1;
    }
    digits(first) && (n > 1 && first.len() <= 3 || n == 1 && frac.is_some())
}

fn scan_bytes(f: &mut Features<'_>, lex: &Lexicon) {
    let text = f.doc.text;
    let bytes = text.as_bytes();
    // Punctuation runs.
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'!' || b == b'?' {
            let start = i;
            let (mut ex, mut q) = (0u32, 0u32);
            while i < bytes.len() && (bytes[i] == b'!' || bytes[i] == b'?') {
                if bytes[i] == b'!' {
                    ex += 1;
                } else {
                    q += 1;
                }
                i += 1;
            }
            f.exclamations += ex;
            f.questions += q;
            if ex >= 2 {
                f.exclaim_runs.add((start, i));
            } else if q >= 2 {
                f.question_runs.add((start, i));
            }
            continue;
        }
        i += 1;
    }
    // Emoji and emoticons: only at bytes that can start one.
    for (pos, c) in text.char_indices() {
        let may_start = matches!(c, ':' | ';' | '<' | '>') || (c as u32) >= 0x2600;
        if !may_start {
            continue;
        }
        let rest = &text[pos..];
        if let Some((e, v)) = lex.emoji.iter().find(|(e, _)| rest.starts_with(&**e)) {
            // An emoticon needs a boundary before it ("http://x" is not a smiley).
            if c.is_ascii() && pos > 0 && !bytes[pos - 1].is_ascii_whitespace() {
                continue;
            }
            let span = (pos, pos + e.len());
            f.emoji_valence += *v;
            if *v > 0.0 {
                f.emoji_pos.add(span);
            } else {
                f.emoji_neg.add(span);
            }
        }
    }
    // Numbers: money, ids, dates and times, from the tokens and their neighbours.
    let doc = &f.doc;
    let n = doc.tokens.len();
    for k in 0..n {
        let t = doc.tokens[k];
        let info = &f.infos[k];
        let word = |j: usize| f.infos.get(j).copied().unwrap_or_default();
        let (prev, next) = (
            if k > 0 {
                word(k - 1)
            } else {
                WordInfo::default()
            },
            word(k + 1),
        );
        if info.date
            && (k + 1 < n && doc.tokens[k + 1].has_digit
                || k > 0 && doc.tokens[k - 1].has_digit
                || doc.lower(k).len() > 3)
        {
            f.dates.add((t.start, t.end));
            continue;
        }
        if !t.has_digit {
            continue;
        }
        f.numbers += 1;
        let raw = doc.raw(k);
        let digits = raw.bytes().filter(u8::is_ascii_digit).count();
        let before = &text[..t.start];
        let prev_char = before.chars().next_back();
        let currency_symbol = matches!(prev_char, Some('$' | '£' | '€' | '¥' | '₹'));
        if currency_symbol || next.currency {
            let amount = parse_amount(raw);
            if amount > f.max_amount {
                f.max_amount = amount;
            }
            let start = if currency_symbol {
                t.start - prev_char.map_or(0, char::len_utf8)
            } else {
                t.start
            };
            f.money.add((start, t.end));
            continue;
        }
        let after = &text[t.end..];
        let time_like = after.starts_with(':')
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
            || before.ends_with(':') && k > 0 && doc.tokens[k - 1].has_digit
            || next.time_unit
            || prev.date
            || next.date;
        let date_like = raw.contains('/')
            || raw.contains('-')
                && (4..=8).contains(&digits)
                && !raw.chars().any(char::is_alphabetic);
        if time_like || date_like {
            f.dates.add((t.start, t.end));
            continue;
        }
        // A bare number after `@` is an anonymised handle, and letters and digits in a
        // link are its slug: neither is an order or reference number.
        if prev_char == Some('@') || in_link(text, t.start) {
            continue;
        }
        // `1,089.99`, `120,000`, `649.00`: an amount or a quantity written without a
        // currency, not a reference.
        if !t.has_alpha && prev_char != Some('#') && looks_like_amount(raw) {
            continue;
        }
        let hash_before = prev_char == Some('#');
        // `#DF17`, `#12hoursoftravel`: a hashtag, not an order number (`#A1234`, `order #DF17`).
        let letters = raw.bytes().filter(u8::is_ascii_alphabetic).count();
        if hash_before && letters >= 2 && letters >= digits && !prev.reference {
            continue;
        }
        if digits >= 5
            || hash_before
            || (t.has_alpha && digits >= 3)
            || prev.reference && digits >= 3
        {
            let start = if hash_before { t.start - 1 } else { t.start };
            f.ids.add((start, t.end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::respond::playbook::{default_playbook, Compiled};

    fn feats(text: &str) -> Features<'_> {
        let pb = default_playbook().unwrap();
        let c = Compiled::new(pb);
        Features::extract(
            text,
            crate::situation::lexicon::lexicon().unwrap(),
            &c,
            pb.categories.len(),
        )
    }

    #[test]
    fn handles_links_hashtags_and_amounts_are_not_reference_numbers() {
        let ids = |t: &str| -> Vec<String> {
            let f = feats(t);
            f.ids
                .spans()
                .iter()
                .map(|&(a, b)| t[a..b].to_string())
                .collect()
        };
        assert!(ids("@115821 where is my parcel").is_empty());
        assert!(ids("@sarah_2019 thanks").is_empty());
        assert!(ids("look https://t.co/v1TWF5F2Ge").is_empty());
        assert!(ids("so excited #DF17 #12hoursoftravel").is_empty());
        assert!(ids("paid 1,089.99 and then 649.00 for 120,000 miles").is_empty());
        assert_eq!(ids("order #A1234 and ref 55102"), ["#A1234", "55102"]);
        assert_eq!(ids("flight #DL2614"), ["#DL2614"]);
        assert_eq!(ids("order #DF17 never came"), ["#DF17"]);
    }

    #[test]
    fn negation_flips_valence() {
        assert!(feats("I am happy with this").compound > 0.3);
        assert!(feats("I am not happy with this").compound < -0.2);
        assert!(feats("not bad at all").compound > 0.0);
        assert!(feats("no problem, thanks").compound > 0.3);
    }

    #[test]
    fn contrast_weighs_the_second_clause() {
        let a = feats("The staff were lovely but the product is terrible").compound;
        assert!(a < 0.0, "{a}");
    }

    #[test]
    fn politeness_is_not_positivity() {
        let f = feats("Kindly stop charging my card.");
        assert!(f.compound <= 0.05, "{}", f.compound);
        assert!(f.has(Signal::Politeness));
    }

    #[test]
    fn caps_and_exclamations_raise_intensity() {
        let calm = feats("this is terrible").compound;
        let loud = feats("this is TERRIBLE!!!").compound;
        assert!(loud < calm);
    }

    #[test]
    fn data_driven_cues() {
        let f = feats("Order #88812 for $249.99 placed on May 3 at 10:30, ref AB12345.");
        assert_eq!(f.money.count, 1);
        assert!((f.max_amount - 249.99).abs() < 1e-6);
        assert!(f.ids.count >= 2, "{:?}", f.ids);
        assert!(f.dates.count >= 2, "{:?}", f.dates);
    }

    #[test]
    fn emoji_and_emoticons() {
        let f = feats("love it 😍 :)");
        assert_eq!(f.emoji_pos.count, 2);
        let f = feats("see http://x.com :(");
        assert_eq!(f.emoji_neg.count, 1);
    }
}
