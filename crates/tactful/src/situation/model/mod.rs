//! Trained model files: check one before use, see what the embedded one holds.
//!
//! The engine reads the models on its own ([`Engine::default`](crate::Engine::default) embeds
//! them; `Engine::builder().model_path(..)` or `.model_bytes(..)` loads a file trained on your
//! own tickets with the `tactful-train` crate, together with a playbook defining its
//! categories). This module is for looking at a model file: [`ModelSet::from_bytes`]
//! validates one (magic, version, heads, lengths, checksum), [`ModelSet::category_labels`]
//! and [`ModelSet::head_names`] say what it predicts, and [`embedded_model`] gives the
//! embedded one.
//!
//! A [`ModelSet`] is a set of hashed n-gram linear models (the fastText weight class) that
//! share one featurizer: lower-cased word unigrams, word bigrams and character n-grams of
//! words, hashed into 2^k buckets. Each bucket holds one row of i8 weights for every output
//! of every head (category, emotion, stance, urgency, style, approach, empathy, flags,
//! sentiment), so one text costs one pass of hashing and one row read per feature, whatever
//! the number of heads.
//!
//! What writes and inspects model files for training (the featurizer, the rule features,
//! the file writer, the raw head outputs) is in a hidden module, `model::internals`, used by
//! `tactful-train` and the fuzz targets: it is not part of the public API and may change in
//! any release. The binary format is described in
//! `crates/tactful/src/situation/model/format.rs`.

use std::cell::RefCell;
use std::sync::Arc;

use once_cell::sync::Lazy;

use crate::respond::playbook::Playbook;
use crate::Error;

mod features;
mod format;

use features::{rule_features, FeatureConfig, DENSE};
use format::{HeadKind, NO_ROW};
pub(crate) use internals::{HeadOutput, ModelOutput};

#[doc(hidden)]
pub mod internals {
    //! **Not part of the public API, not covered by semver: for `tactful-train` and the fuzz
    //! targets only.** The featurizer, the rule features, the model file writer and the raw
    //! head outputs; any release may change them. The binary format is described in
    //! `crates/tactful/src/situation/model/format.rs`.

    pub use super::features::{rule_features, FeatureConfig, DENSE};
    pub use super::format::{HeadKind, HeadSpec, ModelBuilder, MAGIC, NO_ROW, VERSION};

    /// One head's output for one text.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct HeadOutput {
        /// Probabilities in the head's label order (category:
        /// [`ModelSet::category_labels`](super::ModelSet::category_labels); emotion:
        /// [`crate::Emotion::ALL`] order). Calibrated.
        pub probs: Vec<f32>,
        /// The features that pushed the winning label most: `(start, end, weight)` byte spans
        /// into the text, strongest first, at most a handful. `weight` is the span's
        /// contribution to the winner's logit relative to the mean of all labels (only
        /// positive ones are kept).
        pub top: Vec<(usize, usize, f32)>,
    }

    /// All heads' output for one text.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ModelOutput {
        /// The category head, when the model has one.
        pub category: Option<HeadOutput>,
        /// The emotion head, when the model has one.
        pub emotion: Option<HeadOutput>,
        /// The stance head ([`crate::Stance::ALL`] order), when the model has one.
        pub stance: Option<HeadOutput>,
        /// The urgency head ([`crate::Urgency::ALL`] order), when the model has one.
        pub urgency: Option<HeadOutput>,
        /// The style head ([`crate::Style::ALL`] order), when the model has one.
        pub style: Option<HeadOutput>,
        /// The approach head ([`crate::Approach::ALL`] order): the expert's call read from
        /// the text, when the model has one.
        pub approach: Option<HeadOutput>,
        /// The empathy head ([`crate::Empathy::ALL`] order), when the model has one.
        pub empathy: Option<HeadOutput>,
        /// The flags head: `(flag, probability)` for every flag the model reads from the text.
        pub flags: Vec<(crate::Flag, f32)>,
        /// Valence −1..1.
        pub sentiment: Option<f32>,
    }
}

/// The embedded default model file (see `crates/tactful/model/README.md` for how it is made).
static EMBEDDED: &[u8] = include_bytes!("../../../model/tactful.model");

/// `None` when the embedded file is empty (a build without trained models).
static PARSED: Lazy<Result<Option<Arc<ModelSet>>, Error>> = Lazy::new(|| {
    if EMBEDDED.is_empty() {
        return Ok(None);
    }
    ModelSet::from_static(EMBEDDED).map(|m| Some(Arc::new(m)))
});

/// Features recorded per text for explanations; later features still count in the scores.
const MAX_RECORDED: usize = 4096;
/// Spans returned per head as evidence.
const TOP_SPANS: usize = 5;
/// i16 accumulators of i8 weights are flushed this often (258 × 127 would overflow).
const FLUSH_EVERY: usize = 256;
/// Rows up to this width accumulate on the stack.
const STACK_WIDTH: usize = 256;

#[derive(Debug)]
enum Table {
    Static(&'static [u8]),
    Owned(Vec<u8>),
}

impl Table {
    fn bytes(&self) -> &[u8] {
        match self {
            Table::Static(b) => b,
            Table::Owned(v) => v,
        }
    }
}

/// One parsed head.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) name: String,
    pub(crate) kind: HeadKind,
    pub(crate) labels: Vec<String>,
    /// Output groups (empty: the labels are the outputs).
    pub(crate) groups: Vec<String>,
    pub(crate) group_of: Vec<u16>,
    pub(crate) temperature: f32,
    pub(crate) bias: Vec<f32>,
    pub(crate) scale: Vec<f32>,
    /// Lexicon feature weights, feature-major (empty without lexicon features).
    pub(crate) dense: Vec<f32>,
    /// First column of this head in a bucket row.
    pub(crate) col: usize,
}

impl Head {
    /// Columns of this head in a bucket row.
    fn outputs(&self) -> usize {
        self.bias.len()
    }

    /// The labels the head answers in: its groups when grouped.
    fn answer_labels(&self) -> &[String] {
        if self.groups.is_empty() {
            &self.labels
        } else {
            &self.groups
        }
    }
}

/// A set of trained models (category, emotion, sentiment heads) parsed from the binary format.
#[derive(Debug)]
pub struct ModelSet {
    config: FeatureConfig,
    heads: Vec<Head>,
    /// Sum of the heads' outputs: the length of one bucket row.
    width: usize,
    table: Table,
    /// Offset of the weight table in `table`'s bytes.
    offset: usize,
    /// Offset of the vocabulary map (bucket → row) in `table`'s bytes, when there is one.
    map: Option<usize>,
    category: Option<usize>,
    emotion: Option<usize>,
    stance: Option<usize>,
    urgency: Option<usize>,
    style: Option<usize>,
    approach: Option<usize>,
    empathy: Option<usize>,
    flags: Option<usize>,
    /// The flags of the flags head's labels (`None` for a label this build does not know).
    flag_of: Vec<Option<crate::Flag>>,
    sentiment: Option<usize>,
    category_labels: Vec<String>,
}

#[derive(Clone, Copy)]
struct Feat {
    /// Weight row ([`NO_ROW`] when the vocabulary has none for the feature).
    row: u32,
    start: u32,
    end: u32,
}

/// The weight row of a hash bucket: the bucket itself, or what the vocabulary map at byte
/// `map` says (`NO_ROW`, which indexes no row, when the vocabulary ignores the bucket).
#[inline]
fn row_of(bytes: &[u8], map: Option<usize>, bucket: u32) -> u32 {
    let Some(at) = map else {
        return bucket;
    };
    let i = at + 2 * bucket as usize;
    match bytes.get(i..i + 2) {
        Some(b) => u32::from(u16::from_le_bytes([b[0], b[1]])),
        None => u32::from(NO_ROW),
    }
}

thread_local! {
    /// Reused per thread so a prediction allocates nothing but its small result vectors.
    static FEATS: RefCell<Vec<Feat>> = const { RefCell::new(Vec::new()) };
    /// The classifier's last `ModelOutput`, handed back by [`recycle`]: its probability and
    /// span vectors are refilled by the next prediction on the thread instead of allocated.
    static SPARE_OUTPUT: RefCell<Option<ModelOutput>> = const { RefCell::new(None) };
}

impl crate::scratch::Spare for ModelOutput {
    fn clear(&mut self) {
        self.flags.clear();
        self.sentiment = None;
        for h in self.heads_mut().into_iter().flatten() {
            h.probs.clear();
            h.top.clear();
        }
    }

    fn capacity_bytes(&self) -> usize {
        use crate::scratch::vec_bytes;
        let heads = [
            &self.category,
            &self.emotion,
            &self.stance,
            &self.urgency,
            &self.style,
            &self.approach,
            &self.empathy,
        ];
        vec_bytes(&self.flags)
            + heads
                .into_iter()
                .flatten()
                .map(|h| vec_bytes(&h.probs) + vec_bytes(&h.top))
                .sum::<usize>()
    }
}

impl ModelOutput {
    /// The softmax heads' slots, in [`SLOTS`] order.
    fn heads_mut(&mut self) -> [&mut Option<HeadOutput>; SLOTS] {
        [
            &mut self.category,
            &mut self.emotion,
            &mut self.stance,
            &mut self.urgency,
            &mut self.style,
            &mut self.approach,
            &mut self.empathy,
        ]
    }
}

/// Softmax head slots of a [`ModelOutput`]: category, emotion, stance, urgency, style,
/// approach, empathy.
const SLOTS: usize = 7;

/// Gives a prediction the crate no longer needs back to the thread, so the next
/// [`ModelSet::predict_with_rules`] refills its vectors instead of allocating new ones.
pub(crate) fn recycle(out: ModelOutput) {
    crate::scratch::give(&SPARE_OUTPUT, out);
}

/// A head output to fill: the one from the same slot of the recycled prediction, emptied.
fn reuse(spare: Option<HeadOutput>) -> HeadOutput {
    let mut h = spare.unwrap_or_default();
    h.probs.clear();
    h.top.clear();
    h
}

impl ModelSet {
    /// Parses a model file, validating magic, version, feature configuration, head
    /// definitions, lengths and the checksum.
    ///
    /// ```
    /// let err = tactful::model::ModelSet::from_bytes(b"not a model").unwrap_err();
    /// assert_eq!(err.kind(), "invalid_model");
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<ModelSet, Error> {
        let parsed = format::parse(bytes)?;
        Ok(ModelSet::assemble(parsed, Table::Owned(bytes.to_vec())))
    }

    /// The embedded file: its checksum is verified by the tests (`embedded_checksum_holds`),
    /// the structure still on every load.
    fn from_static(bytes: &'static [u8]) -> Result<ModelSet, Error> {
        let parsed = format::parse_with(bytes, false)?;
        Ok(ModelSet::assemble(parsed, Table::Static(bytes)))
    }

    fn assemble(p: format::Parsed, table: Table) -> ModelSet {
        let find = |n: &str| p.heads.iter().position(|h| h.name == n);
        let category = find("category");
        let category_labels = category
            .map(|i| p.heads[i].answer_labels().to_vec())
            .unwrap_or_default();
        ModelSet {
            config: p.config,
            width: p.width,
            offset: p.offset,
            map: p.map,
            category,
            emotion: find("emotion"),
            stance: find("stance"),
            urgency: find("urgency"),
            style: find("style"),
            approach: find("approach"),
            empathy: find("empathy"),
            flags: find("flags"),
            flag_of: find("flags")
                .map(|i| {
                    p.heads[i]
                        .labels
                        .iter()
                        .map(|l| l.parse::<crate::Flag>().ok())
                        .collect()
                })
                .unwrap_or_default(),
            sentiment: find("sentiment"),
            heads: p.heads,
            table,
            category_labels,
        }
    }

    /// The category labels of the category head, in output order.
    pub fn category_labels(&self) -> &[String] {
        &self.category_labels
    }

    /// Size of the model file in bytes.
    pub fn size_bytes(&self) -> usize {
        self.table.bytes().len()
    }

    /// The featurizer configuration of this model (for `tactful-train`; not covered by semver).
    #[doc(hidden)]
    pub fn feature_config(&self) -> FeatureConfig {
        self.config
    }

    /// The names of the heads in the file, in file order.
    pub fn head_names(&self) -> impl Iterator<Item = &str> {
        self.heads.iter().map(|h| h.name.as_str())
    }

    /// Every category label of the model must exist in the playbook.
    pub(crate) fn check_playbook(&self, playbook: &Playbook) -> Result<(), Error> {
        for l in &self.category_labels {
            if !playbook.categories.iter().any(|c| &c.name == l) {
                return Err(Error::InvalidModel(format!(
                    "the model predicts category `{l}`, which the playbook does not define"
                )));
            }
        }
        Ok(())
    }

    /// Runs every head on `text`. Never fails: an empty text gives the heads' priors. For
    /// `tactful-train`'s evaluations; not covered by semver (see `model::internals`).
    #[doc(hidden)]
    pub fn predict(&self, text: &str) -> ModelOutput {
        let dense = if self.config.rules {
            rule_features(text)
        } else {
            [0.0; DENSE]
        };
        self.predict_with_rules(text, &dense)
    }

    /// [`ModelSet::predict`] with the rule features already computed (the classifier has
    /// extracted them for its own use: the text is not read twice).
    pub(crate) fn predict_with_rules(&self, text: &str, dense: &[f32; DENSE]) -> ModelOutput {
        FEATS.with(|cell| match cell.try_borrow_mut() {
            Ok(mut feats) => self.predict_with(text, dense, &mut feats),
            // Re-entrant call on the same thread (cannot happen today): use a fresh buffer.
            Err(_) => self.predict_with(text, dense, &mut Vec::new()),
        })
    }

    fn predict_with(&self, text: &str, dense: &[f32; DENSE], feats: &mut Vec<Feat>) -> ModelOutput {
        feats.clear();
        let rows = &self.table.bytes()[self.offset..];
        let width = self.width;
        // i16 accumulators (twice the SIMD lanes of i32), flushed into i64 every
        // FLUSH_EVERY features so they can never overflow (FLUSH_EVERY × 127 < i16::MAX).
        let mut small16 = [0i16; STACK_WIDTH];
        let mut small64 = [0i64; STACK_WIDTH];
        let (mut big16, mut big64) = (Vec::new(), Vec::new());
        let (acc, total): (&mut [i16], &mut [i64]) = if width <= STACK_WIDTH {
            (&mut small16[..width], &mut small64[..width])
        } else {
            big16.resize(width, 0);
            big64.resize(width, 0);
            (&mut big16, &mut big64)
        };
        let mut since_flush = 0usize;
        let bytes = self.table.bytes();
        let map = self.map;
        let n = self.config.for_each_feature(text, |bucket, start, end| {
            let r = row_of(bytes, map, bucket);
            let base = r as usize * width;
            if let Some(row) = rows.get(base..base + width) {
                for (a, &w) in acc.iter_mut().zip(row) {
                    *a += i16::from(w as i8);
                }
            }
            if feats.len() < MAX_RECORDED {
                feats.push(Feat {
                    row: r,
                    start: start as u32,
                    end: end as u32,
                });
            }
            since_flush += 1;
            if since_flush == FLUSH_EVERY {
                for (t, a) in total.iter_mut().zip(acc.iter_mut()) {
                    *t += i64::from(*a);
                    *a = 0;
                }
                since_flush = 0;
            }
        });
        for (t, a) in total.iter_mut().zip(acc.iter()) {
            *t += i64::from(*a);
        }
        // Features are l2-normalised (binary features, 1/sqrt(n)), as in TF-IDF pipelines.
        let norm = if n == 0 { 0.0 } else { 1.0 / (n as f32).sqrt() };
        let raw = |j: usize| -> f32 { total.get(j).map_or(0.0, |&t| t as f32) };
        // The vectors of the thread's recycled prediction, slot by slot (a head always
        // refills the slot it filled before, so capacities settle after one call). Slots this
        // model does not fill stay `None`, whatever model the spare came from.
        let mut old = crate::scratch::take(&SPARE_OUTPUT);
        let mut out = ModelOutput {
            flags: std::mem::take(&mut old.flags),
            ..ModelOutput::default()
        };
        out.flags.clear();
        let mut spare = old.heads_mut().map(Option::take);
        // Most rule features are zero for any one text: only the set ones are read, each a
        // contiguous run of the head's outputs (the matrix is feature-major).
        let mut set = [0u16; DENSE];
        let mut n_set = 0;
        for (d, &x) in dense.iter().enumerate() {
            if x != 0.0 {
                set[n_set] = d as u16;
                n_set += 1;
            }
        }
        let set = &set[..n_set];
        let (mut stack, mut stack_lex) = ([0f32; STACK_WIDTH], [0f32; STACK_WIDTH]);
        let (mut heap, mut heap_lex) = (Vec::new(), Vec::new());
        for (hi, head) in self.heads.iter().enumerate() {
            let k = head.outputs();
            let (logits, lex): (&mut [f32], &mut [f32]) = if k <= STACK_WIDTH {
                (&mut stack[..k], &mut stack_lex[..k])
            } else {
                heap.clear();
                heap.resize(k, 0.0);
                heap_lex.clear();
                heap_lex.resize(k, 0.0);
                (&mut heap, &mut heap_lex)
            };
            lex.fill(0.0);
            for &d in set {
                let d = usize::from(d);
                if let Some(w) = head.dense.get(d * k..d * k + k) {
                    let x = dense[d];
                    for (l, w) in lex.iter_mut().zip(w) {
                        *l += x * w;
                    }
                }
            }
            for (j, (l, x)) in logits.iter_mut().zip(lex.iter()).enumerate() {
                *l = head.bias[j] + head.scale[j] * raw(head.col + j) * norm + x;
            }
            let logits = &*logits;
            match head.kind {
                HeadKind::Logistic => {
                    if Some(hi) == self.flags {
                        for (l, f) in logits.iter().zip(&self.flag_of) {
                            if let Some(f) = f {
                                out.flags.push((*f, 1.0 / (1.0 + (-l).exp())));
                            }
                        }
                    }
                }
                HeadKind::Regression => {
                    if Some(hi) == self.sentiment {
                        out.sentiment = logits.first().map(|v| v.clamp(-1.0, 1.0));
                    }
                }
                HeadKind::Softmax => {
                    let Some(si) = [
                        self.category,
                        self.emotion,
                        self.stance,
                        self.urgency,
                        self.style,
                        self.approach,
                        self.empathy,
                    ]
                    .iter()
                    .position(|&h| h == Some(hi)) else {
                        continue;
                    };
                    let mut h = reuse(spare[si].take());
                    if si >= 2 {
                        softmax_into(logits, head.temperature, &mut h.probs);
                        *out.heads_mut()[si] = Some(h);
                        continue;
                    }
                    // Category and emotion: the probabilities and the spans that explain
                    // the winner.
                    let (win, rival) = if head.groups.is_empty() {
                        softmax_into(logits, head.temperature, &mut h.probs);
                        let win = argmax(&h.probs);
                        let rival = best_where(&h.probs, |i| Some(i) != win);
                        (win, rival)
                    } else {
                        // The fine labels' probabilities, on the stack like the logits.
                        let (mut fine_stack, mut fine_heap) = ([0f32; STACK_WIDTH], Vec::new());
                        let fine: &mut [f32] = if k <= STACK_WIDTH {
                            &mut fine_stack[..k]
                        } else {
                            fine_heap.resize(k, 0.0);
                            &mut fine_heap
                        };
                        softmax_slice(logits, head.temperature, fine);
                        let fine = &*fine;
                        let g = &mut h.probs;
                        g.resize(head.groups.len(), 0.0);
                        for (p, &gi) in fine.iter().zip(&head.group_of) {
                            if let Some(x) = g.get_mut(usize::from(gi)) {
                                *x += p;
                            }
                        }
                        // Explain through the strongest label of the winning group against
                        // the strongest label of any other group.
                        let wg = argmax(g);
                        let in_win = |i: usize| head.group_of.get(i).map(|&x| usize::from(x)) == wg;
                        let win = best_where(fine, in_win);
                        let rival = best_where(fine, |i| !in_win(i));
                        (win, rival)
                    };
                    if let Some(w) = win {
                        self.explain(head, (w, rival), rows, feats, norm, &mut h.top);
                    }
                    *out.heads_mut()[si] = Some(h);
                }
            }
        }
        out
    }

    /// The spans that pushed the winning label most.
    fn explain(
        &self,
        head: &Head,
        (win, rival): (usize, Option<usize>),
        rows: &[u8],
        feats: &[Feat],
        norm: f32,
        top: &mut Vec<(usize, usize, f32)>,
    ) {
        // How much a feature favours the winner over the runner-up, in logit units.
        let weight = |row: &[u8], j: usize| -> f32 {
            match (row.get(j), head.scale.get(j)) {
                (Some(&w), Some(&s)) => f32::from(w as i8) * s,
                _ => 0.0,
            }
        };
        let contribution = |r: u32| -> f32 {
            let base = r as usize * self.width + head.col;
            let Some(row) = rows.get(base..base + head.outputs()) else {
                return 0.0;
            };
            let against = rival.map_or(0.0, |r| weight(row, r));
            (weight(row, win) - against) * norm
        };
        let mut best: [(usize, usize, f32); TOP_SPANS] = [(0, 0, 0.0); TOP_SPANS];
        let mut keep = |span: (u32, u32), w: f32| {
            if w <= best[TOP_SPANS - 1].2 {
                return;
            }
            let mut i = TOP_SPANS - 1;
            while i > 0 && best[i - 1].2 < w {
                best[i] = best[i - 1];
                i -= 1;
            }
            best[i] = (span.0 as usize, span.1 as usize, w);
        };
        // Features of one span are consecutive (a word's unigram and character n-grams).
        let mut cur: Option<((u32, u32), f32)> = None;
        for f in feats {
            let span = (f.start, f.end);
            let c = contribution(f.row);
            cur = match cur {
                Some((s, w)) if s == span => Some((s, w + c)),
                Some((s, w)) => {
                    keep(s, w);
                    Some((span, c))
                }
                None => Some((span, c)),
            };
        }
        if let Some((s, w)) = cur {
            keep(s, w);
        }
        top.extend(best.iter().copied().filter(|b| b.2 > 0.0));
    }
}

fn argmax(v: &[f32]) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, &x) in v.iter().enumerate() {
        match best {
            Some((_, b)) if x <= b => {}
            _ => best = Some((i, x)),
        }
    }
    best.map(|b| b.0)
}

/// Index of the largest value among the indices `keep` accepts.
fn best_where(v: &[f32], keep: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, &x) in v.iter().enumerate() {
        if !keep(i) {
            continue;
        }
        match best {
            Some((_, b)) if x <= b => {}
            _ => best = Some((i, x)),
        }
    }
    best.map(|b| b.0)
}

/// Softmax of `logits / temperature` into `p` (cleared first), reusing its capacity.
fn softmax_into(logits: &[f32], temperature: f32, p: &mut Vec<f32>) {
    p.clear();
    p.resize(logits.len(), 0.0);
    softmax_slice(logits, temperature, p);
}

/// [`softmax_into`] into `p`, which has the length of `logits`.
fn softmax_slice(logits: &[f32], temperature: f32, p: &mut [f32]) {
    let t = if temperature > 0.0 { temperature } else { 1.0 };
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    for (x, &l) in p.iter_mut().zip(logits) {
        *x = ((l - max) / t).exp();
    }
    let sum: f32 = p.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        for x in p.iter_mut() {
            *x /= sum;
        }
    }
}

/// The embedded default models, parsed once on first use (`None` when none are embedded).
pub(crate) fn embedded() -> Result<Option<Arc<ModelSet>>, Error> {
    PARSED.clone()
}

/// The embedded default model set, parsed on first use; `None` when this build embeds none
/// (or, which the test suite rules out, when it fails to parse).
///
/// ```
/// let m = tactful::model::embedded_model().expect("this build embeds its models");
/// assert!(m.head_names().any(|h| h == "category"));
/// assert!(m.category_labels().iter().any(|c| c == "fraud_security"));
/// // A model file trained for a custom playbook loads with `Engine::builder().model_path(..)`;
/// // `ModelSet::from_bytes` checks one first.
/// assert!(tactful::model::ModelSet::from_bytes(&[]).is_err());
/// ```
pub fn embedded_model() -> Option<Arc<ModelSet>> {
    embedded().ok().flatten()
}

#[cfg(test)]
mod tests;
