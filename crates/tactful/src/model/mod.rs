//! Trained models: the statistical part of the classifier.
//!
//! A [`ModelSet`] is a set of hashed n-gram linear models (the fastText weight class) that
//! share one featurizer ([`FeatureConfig`]): lower-cased word unigrams, word bigrams and
//! character n-grams of words, hashed into 2^k buckets. Each bucket holds one row of i8
//! weights for every output of every head (category, emotion, sentiment), so one text costs
//! one pass of hashing and one row read per feature, whatever the number of heads.
//!
//! Heads:
//! - `category` — softmax over the playbook's categories (temperature-calibrated);
//! - `emotion` — softmax over [`crate::Emotion::ALL`], in that order;
//! - `sentiment` — a regression onto valence −1..1.
//!
//! The binary format (all integers little-endian) is described in [`format`]; write one
//! with [`ModelBuilder`], read one with [`ModelSet::from_bytes`]. A model file trained on your
//! own tickets (see the `tactful-train` crate) is loaded with
//! `Engine::builder().model_path(..)` together with a playbook defining its categories.

use std::cell::RefCell;
use std::sync::Arc;

use once_cell::sync::Lazy;

use crate::playbook::Playbook;
use crate::Error;

mod features;
pub mod format;

pub use features::FeatureConfig;
pub use format::{HeadKind, HeadSpec, ModelBuilder};

/// The embedded default model file (see `crates/tactful/model/README.md` for how it is made).
static EMBEDDED: &[u8] = include_bytes!("../../model/tactful.model");

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
/// Accumulators of i8 weights are flushed to f64 this often, so i32 can never overflow.
const FLUSH_EVERY: usize = 1 << 23;

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
    pub(crate) temperature: f32,
    pub(crate) bias: Vec<f32>,
    pub(crate) scale: Vec<f32>,
    /// First column of this head in a bucket row.
    pub(crate) col: usize,
}

impl Head {
    fn outputs(&self) -> usize {
        self.bias.len()
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
    category: Option<usize>,
    emotion: Option<usize>,
    sentiment: Option<usize>,
    category_labels: Vec<String>,
}

/// One head's output for one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeadOutput {
    /// Probabilities in the head's label order (category: [`ModelSet::category_labels`];
    /// emotion: [`crate::Emotion::ALL`] order). Calibrated.
    pub probs: Vec<f32>,
    /// The features that pushed the winning label most: `(start, end, weight)` byte spans into
    /// the text, strongest first, at most a handful. `weight` is the span's contribution to
    /// the winner's logit relative to the mean of all labels (only positive ones are kept).
    pub top: Vec<(usize, usize, f32)>,
}

/// All heads' output for one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelOutput {
    /// The category head, when the model has one.
    pub category: Option<HeadOutput>,
    /// The emotion head, when the model has one.
    pub emotion: Option<HeadOutput>,
    /// Valence −1..1.
    pub sentiment: Option<f32>,
}

#[derive(Clone, Copy)]
struct Feat {
    bucket: u32,
    start: u32,
    end: u32,
}

thread_local! {
    /// Reused per thread so a prediction allocates nothing but its small result vectors.
    static FEATS: RefCell<Vec<Feat>> = const { RefCell::new(Vec::new()) };
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

    fn from_static(bytes: &'static [u8]) -> Result<ModelSet, Error> {
        let parsed = format::parse(bytes)?;
        Ok(ModelSet::assemble(parsed, Table::Static(bytes)))
    }

    fn assemble(p: format::Parsed, table: Table) -> ModelSet {
        let find = |n: &str| p.heads.iter().position(|h| h.name == n);
        let category = find("category");
        let category_labels = category
            .map(|i| p.heads[i].labels.clone())
            .unwrap_or_default();
        ModelSet {
            config: p.config,
            width: p.width,
            offset: p.offset,
            category,
            emotion: find("emotion"),
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

    /// The featurizer configuration of this model.
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

    /// Runs every head on `text`. Never fails: an empty text gives the heads' priors.
    ///
    /// ```
    /// let e = tactful::Engine::default();
    /// # let _ = e;
    /// ```
    pub fn predict(&self, text: &str) -> ModelOutput {
        FEATS.with(|cell| match cell.try_borrow_mut() {
            Ok(mut feats) => self.predict_with(text, &mut feats),
            // Re-entrant call on the same thread (cannot happen today): use a fresh buffer.
            Err(_) => self.predict_with(text, &mut Vec::new()),
        })
    }

    fn predict_with(&self, text: &str, feats: &mut Vec<Feat>) -> ModelOutput {
        feats.clear();
        let rows = &self.table.bytes()[self.offset..];
        let width = self.width;
        let mut small = [0i32; 32];
        let mut big = Vec::new();
        let acc: &mut [i32] = if width <= small.len() {
            &mut small[..width]
        } else {
            big.resize(width, 0);
            &mut big
        };
        let mut wide: Vec<f64> = Vec::new();
        let mut since_flush = 0usize;
        let n = self.config.for_each_feature(text, |bucket, start, end| {
            let base = bucket as usize * width;
            if let Some(row) = rows.get(base..base + width) {
                for (a, &w) in acc.iter_mut().zip(row) {
                    *a += i32::from(w as i8);
                }
            }
            if feats.len() < MAX_RECORDED {
                feats.push(Feat {
                    bucket,
                    start: start as u32,
                    end: end as u32,
                });
            }
            since_flush += 1;
            if since_flush == FLUSH_EVERY {
                if wide.is_empty() {
                    wide.resize(width, 0.0);
                }
                for (w, a) in wide.iter_mut().zip(acc.iter_mut()) {
                    *w += f64::from(*a);
                    *a = 0;
                }
                since_flush = 0;
            }
        });
        // Features are l2-normalised (binary features, 1/sqrt(n)), as in TF-IDF pipelines.
        let norm = if n == 0 { 0.0 } else { 1.0 / (n as f64).sqrt() };
        let raw = |j: usize| -> f64 { f64::from(acc[j]) + wide.get(j).copied().unwrap_or(0.0) };
        let mut out = ModelOutput::default();
        for (hi, head) in self.heads.iter().enumerate() {
            let k = head.outputs();
            let logits: Vec<f32> = (0..k)
                .map(|j| {
                    (f64::from(head.bias[j]) + f64::from(head.scale[j]) * raw(head.col + j) * norm)
                        as f32
                })
                .collect();
            match head.kind {
                HeadKind::Regression => {
                    if Some(hi) == self.sentiment {
                        out.sentiment = logits.first().map(|v| v.clamp(-1.0, 1.0));
                    }
                }
                HeadKind::Softmax => {
                    if Some(hi) != self.category && Some(hi) != self.emotion {
                        continue;
                    }
                    let probs = softmax(&logits, head.temperature);
                    let top = self.explain(head, &probs, rows, feats, norm as f32);
                    let ho = Some(HeadOutput { probs, top });
                    if Some(hi) == self.category {
                        out.category = ho;
                    } else {
                        out.emotion = ho;
                    }
                }
            }
        }
        out
    }

    /// The spans that pushed the winning label most.
    fn explain(
        &self,
        head: &Head,
        probs: &[f32],
        rows: &[u8],
        feats: &[Feat],
        norm: f32,
    ) -> Vec<(usize, usize, f32)> {
        let Some(win) = argmax(probs) else {
            return Vec::new();
        };
        let k = head.outputs() as f32;
        let contribution = |bucket: u32| -> f32 {
            let base = bucket as usize * self.width + head.col;
            let Some(row) = rows.get(base..base + head.outputs()) else {
                return 0.0;
            };
            let mut mean = 0.0f32;
            for (w, s) in row.iter().zip(&head.scale) {
                mean += f32::from(*w as i8) * s;
            }
            let own = row
                .get(win)
                .map_or(0.0, |w| f32::from(*w as i8) * head.scale[win]);
            (own - mean / k) * norm
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
            let c = contribution(f.bucket);
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
        best.iter().copied().filter(|b| b.2 > 0.0).collect()
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

/// Softmax of `logits / temperature`.
pub(crate) fn softmax(logits: &[f32], temperature: f32) -> Vec<f32> {
    let t = if temperature > 0.0 { temperature } else { 1.0 };
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut p: Vec<f32> = logits.iter().map(|&l| ((l - max) / t).exp()).collect();
    let sum: f32 = p.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        for x in &mut p {
            *x /= sum;
        }
    }
    p
}

/// The embedded default models, parsed once on first use (`None` when none are embedded).
pub(crate) fn embedded() -> Result<Option<Arc<ModelSet>>, Error> {
    PARSED.clone()
}

/// The embedded default model set, parsed on first use; `None` when this build embeds none
/// (or, which the test suite rules out, when it fails to parse).
pub fn embedded_model() -> Option<Arc<ModelSet>> {
    embedded().ok().flatten()
}

#[cfg(test)]
mod tests;
