//! The model file format, version 2 (all integers little-endian):
//!
//! ```text
//! magic      8 bytes  "TACTMDL\0"
//! version    u32      2
//! features   u8 bits, u8 text options (bit 0 word bigrams, bit 1 social tokens, bit 2
//!            stemming, bit 3 vocabulary; version-2 files written before bits 1-3 existed
//!            have 0 or 1), u8 char_min, u8 char_max, u8 rules (0|1)
//! n_heads    u32      1..=16
//! per head:
//!   name        str   (u16 byte length + UTF-8)
//!   kind        u8    0 = softmax classifier, 1 = regression, 2 = logistic (one independent
//!                     yes/no probability per label: flags)
//!   n_labels    u32   softmax: 2..=4096 distinct labels; logistic: 1..=4096; regression: 0
//!   labels      str × n_labels
//!   n_groups    u32   0, or (softmax only) 2..=4096: the labels are fine-grained sub-labels
//!                     (e.g. intents) and the head's outputs are groups (categories)
//!   groups      str × n_groups
//!   group_of    u16 × n_labels (when n_groups > 0): the group of each label
//!   temperature f32   > 0 (softmax calibration; 1 for regression)
//!   bias        f32 × outputs
//!   scale       f32 × outputs (weight of one i8 step)
//!   dense       f32 × (DENSE × outputs) when rules = 1: weights of the dense rule
//!               features ([`super::rule_features`]), feature-major
//! when the vocabulary bit is set:
//!   n_rows   u32      1..=65535 weight rows
//!   map      u16 × 2^bits: the row of each hash bucket, 0xFFFF for a bucket with none
//!            (its features are ignored)
//! table_len  u64      rows × (sum of outputs); rows = n_rows, or 2^bits without a vocabulary
//! table      i8 × table_len, row-major: one row per bucket (or vocabulary row), heads'
//!            columns side by side
//! checksum   u64      FNV-1a 64 of every byte before it
//! ```
//!
//! Known head names: `category`, `emotion`, `stance`, `urgency`, `style` (softmax heads; the
//! last four with the labels of [`crate::Emotion::ALL`], [`crate::Stance::ALL`],
//! [`crate::Urgency::ALL`] and [`crate::Style::ALL`] in that order), `flags` (logistic, labels
//! that are [`crate::Flag`] names) and `sentiment` (regression). Other heads are kept but
//! unused, so newer files with extra heads still load.

use super::{FeatureConfig, Head};
use crate::{Approach, Emotion, Empathy, Error, Stance, Style, Urgency};

/// The file magic.
pub const MAGIC: &[u8; 8] = b"TACTMDL\0";
/// The format version this crate reads and writes.
pub const VERSION: u32 = 2;
const MAX_HEADS: u32 = 16;
const MAX_LABELS: u32 = 4096;

/// What a head computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadKind {
    /// A softmax over labels.
    Softmax,
    /// One real value (sentiment valence, clamped to −1..1 at inference).
    Regression,
    /// One independent probability per label (a sigmoid each): multi-label yes/no answers
    /// such as flags.
    Logistic,
}

/// A head with full-precision weights, as the trainer produces it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadSpec {
    /// `category`, `emotion`, `sentiment`, or a name of your own (ignored at inference).
    pub name: String,
    /// Softmax or regression.
    pub kind: HeadKind,
    /// Output labels (empty for a regression head).
    pub labels: Vec<String>,
    /// When not empty, the head's outputs: each label belongs to one group
    /// (`group_of[label]`), and a group's probability is the sum of its labels'. Training on
    /// fine labels (intents) and answering in groups (categories) separates categories
    /// that are unions of very different requests better than a flat softmax.
    pub groups: Vec<String>,
    /// The group index of each label (same length as `labels` when `groups` is not empty).
    pub group_of: Vec<u16>,
    /// Softmax temperature (calibration); 1.0 means none.
    pub temperature: f32,
    /// One bias per output.
    pub bias: Vec<f32>,
    /// `buckets × outputs` weights, row-major (bucket-major).
    pub weights: Vec<f32>,
    /// Weights of the dense rule features, `DENSE × outputs` feature-major (empty when the
    /// feature configuration has `rules: false`).
    pub dense: Vec<f32>,
}

impl HeadSpec {
    /// Number of outputs: labels for a softmax, 1 for a regression.
    pub fn outputs(&self) -> usize {
        match self.kind {
            HeadKind::Softmax | HeadKind::Logistic => self.labels.len(),
            HeadKind::Regression => 1,
        }
    }
}

/// Writes model files. Weights are quantized to i8 with one scale per output column.
///
/// ```
/// use tactful::model::internals::{FeatureConfig, HeadKind, HeadSpec, ModelBuilder};
/// use tactful::model::ModelSet;
/// let config = FeatureConfig { bits: 10, ..FeatureConfig::default() };
/// let labels = vec!["billing_refund".to_string(), "other".to_string()];
/// let head = HeadSpec {
///     name: "category".into(),
///     kind: HeadKind::Softmax,
///     labels,
///     groups: vec![],
///     group_of: vec![],
///     temperature: 1.0,
///     bias: vec![0.0, 0.0],
///     weights: vec![0.0; config.buckets() * 2],
///     dense: vec![0.0; tactful::model::internals::DENSE * 2],
/// };
/// let bytes = ModelBuilder::new(config).head(head).to_bytes()?;
/// let model = ModelSet::from_bytes(&bytes)?;
/// assert_eq!(model.category_labels(), ["billing_refund", "other"]);
/// # Ok::<(), tactful::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ModelBuilder {
    config: FeatureConfig,
    heads: Vec<HeadSpec>,
    vocabulary: Option<Vec<u16>>,
}

/// The "no row" value of a vocabulary map.
pub const NO_ROW: u16 = u16::MAX;

impl ModelBuilder {
    /// A model with this featurizer and no heads yet.
    pub fn new(config: FeatureConfig) -> ModelBuilder {
        ModelBuilder {
            config,
            heads: Vec::new(),
            vocabulary: None,
        }
    }

    /// Keeps weights only for the hash buckets a vocabulary keeps: `map[bucket]` is the
    /// bucket's weight row, or [`NO_ROW`] when its features are to be ignored. `map` has one
    /// entry per bucket ([`FeatureConfig::buckets`]); the heads' `weights` then hold
    /// `rows × outputs` values, where `rows` is the largest row in `map` plus one (at most
    /// 65,535). A table with a row for each of the few thousand features that matter, and
    /// none for the rest, is smaller than a plain one and has no collisions among them.
    pub fn vocabulary(mut self, map: Vec<u16>) -> ModelBuilder {
        self.vocabulary = Some(map);
        self
    }

    /// Adds a head.
    pub fn head(mut self, head: HeadSpec) -> ModelBuilder {
        self.heads.push(head);
        self
    }

    /// Quantizes and serializes; checks what the parser will check.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let bad = |m: String| Error::InvalidModel(m);
        self.config.validate().map_err(bad)?;
        if self.heads.is_empty() || self.heads.len() > MAX_HEADS as usize {
            return Err(bad(format!(
                "{} heads; expected 1..={MAX_HEADS}",
                self.heads.len()
            )));
        }
        let rows = match &self.vocabulary {
            None => self.config.buckets(),
            Some(map) => {
                if map.len() != self.config.buckets() {
                    return Err(bad(format!(
                        "vocabulary map of {} entries for {} buckets",
                        map.len(),
                        self.config.buckets()
                    )));
                }
                map.iter()
                    .filter(|&&r| r != NO_ROW)
                    .max()
                    .map_or(0, |&r| usize::from(r) + 1)
            }
        };
        if rows == 0 {
            return Err(bad("the vocabulary keeps no bucket".into()));
        }
        let buckets = rows;
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&[
            self.config.bits,
            u8::from(self.config.bigrams)
                | u8::from(self.config.social_tokens) << 1
                | u8::from(self.config.stem) << 2
                | u8::from(self.vocabulary.is_some()) << 3,
            self.config.char_min,
            self.config.char_max,
            u8::from(self.config.rules),
        ]);
        out.extend_from_slice(&(self.heads.len() as u32).to_le_bytes());
        let mut scales = Vec::new();
        for h in &self.heads {
            let k = h.outputs();
            if h.bias.len() != k || h.weights.len() != buckets * k {
                return Err(bad(format!(
                    "head `{}`: {} biases and {} weights for {k} outputs and {buckets} buckets",
                    h.name,
                    h.bias.len(),
                    h.weights.len()
                )));
            }
            put_str(&mut out, &h.name)?;
            out.push(match h.kind {
                HeadKind::Softmax => 0,
                HeadKind::Regression => 1,
                HeadKind::Logistic => 2,
            });
            let labels: &[String] = if h.kind != HeadKind::Regression {
                &h.labels
            } else {
                &[]
            };
            out.extend_from_slice(&(labels.len() as u32).to_le_bytes());
            for l in labels {
                put_str(&mut out, l)?;
            }
            let grouped = h.kind == HeadKind::Softmax && !h.groups.is_empty();
            if grouped && h.group_of.len() != h.labels.len() {
                return Err(bad(format!(
                    "head `{}`: {} group indices for {} labels",
                    h.name,
                    h.group_of.len(),
                    h.labels.len()
                )));
            }
            let groups: &[String] = if grouped { &h.groups } else { &[] };
            out.extend_from_slice(&(groups.len() as u32).to_le_bytes());
            for g in groups {
                put_str(&mut out, g)?;
            }
            if grouped {
                for g in &h.group_of {
                    out.extend_from_slice(&g.to_le_bytes());
                }
            }
            out.extend_from_slice(&h.temperature.to_le_bytes());
            for b in &h.bias {
                out.extend_from_slice(&b.to_le_bytes());
            }
            let mut s = vec![0f32; k];
            for row in h.weights.chunks_exact(k) {
                for (m, w) in s.iter_mut().zip(row) {
                    *m = m.max(w.abs());
                }
            }
            for m in &mut s {
                *m = if *m > 0.0 && m.is_finite() {
                    *m / 127.0
                } else {
                    1.0
                };
                out.extend_from_slice(&m.to_le_bytes());
            }
            scales.push(s);
            let n_dense = if self.config.rules {
                super::features::DENSE * k
            } else {
                0
            };
            if h.dense.len() != n_dense {
                return Err(bad(format!(
                    "head `{}`: {} dense weights; expected {n_dense}",
                    h.name,
                    h.dense.len()
                )));
            }
            for d in &h.dense {
                out.extend_from_slice(&d.to_le_bytes());
            }
        }
        if let Some(map) = &self.vocabulary {
            out.extend_from_slice(&(rows as u32).to_le_bytes());
            for r in map {
                out.extend_from_slice(&r.to_le_bytes());
            }
        }
        let width: usize = self.heads.iter().map(HeadSpec::outputs).sum();
        out.extend_from_slice(&((buckets * width) as u64).to_le_bytes());
        out.reserve(buckets * width + 8);
        for b in 0..buckets {
            for (h, s) in self.heads.iter().zip(&scales) {
                let k = h.outputs();
                for (j, w) in h.weights[b * k..(b + 1) * k].iter().enumerate() {
                    let q = (w / s[j]).round().clamp(-127.0, 127.0) as i8;
                    out.push(q as u8);
                }
            }
        }
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        // The parser is the one authority on validity.
        parse(&out)?;
        Ok(out)
    }
}

/// FNV-1a 64 over the bytes.
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    crate::text::fnv1a(crate::text::FNV_START, bytes)
}

fn put_str(out: &mut Vec<u8>, s: &str) -> Result<(), Error> {
    let len = u16::try_from(s.len())
        .map_err(|_| Error::InvalidModel(format!("name too long: {s:.40}…")))?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

/// The validated header of a file.
pub(crate) struct Parsed {
    pub(crate) config: FeatureConfig,
    pub(crate) heads: Vec<Head>,
    pub(crate) width: usize,
    pub(crate) offset: usize,
    /// Byte offset of the vocabulary map (`u16` per bucket), when the file has one.
    pub(crate) map: Option<usize>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

fn err(m: impl Into<String>) -> Error {
    Error::InvalidModel(m.into())
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        match end {
            Some(e) => {
                let s = &self.bytes[self.pos..e];
                self.pos = e;
                Ok(s)
            }
            None => Err(err(format!(
                "truncated file while reading {what} at byte {}",
                self.pos
            ))),
        }
    }
    fn u8(&mut self, what: &str) -> Result<u8, Error> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, Error> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32, Error> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self, what: &str) -> Result<u64, Error> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn f32(&mut self, what: &str) -> Result<f32, Error> {
        let v = f32::from_bits(self.u32(what)?);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(err(format!("{what} is not a finite number")))
        }
    }
    fn str(&mut self, what: &str) -> Result<String, Error> {
        let n = self.u16(what)? as usize;
        let b = self.take(n, what)?;
        std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| err(format!("{what} is not UTF-8")))
    }
}

/// Validates a whole file and returns its header.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, Error> {
    parse_with(bytes, true)
}

/// [`parse`], with the checksum over every byte only when `verify` is set: the embedded
/// model is checked by the test suite, not on every process start (reading 2 MB byte by
/// byte was most of the cold start).
pub(crate) fn parse_with(bytes: &[u8], verify: bool) -> Result<Parsed, Error> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(err("not a tactful model file (bad magic)"));
    }
    if bytes.len() < MAGIC.len() + 4 + 8 {
        return Err(err("truncated file"));
    }
    // The checksum first: any corrupted byte anywhere is reported as such.
    let (body, tail) = bytes.split_at(bytes.len() - 8);
    let mut r = Reader {
        bytes: body,
        pos: MAGIC.len(),
    };
    let version = r.u32("version")?;
    if version != VERSION {
        return Err(err(format!(
            "model format version {version}; this build of tactful reads version {VERSION}"
        )));
    }
    let mut t = [0u8; 8];
    t.copy_from_slice(tail);
    if verify && u64::from_le_bytes(t) != checksum(body) {
        return Err(err("checksum mismatch: the file is corrupt or truncated"));
    }
    let bits = r.u8("feature bits")?;
    let options = r.u8("text options")?;
    if options > 0b1111 {
        return Err(err(format!(
            "text options {options:#04x} has unknown bits; this build knows bits 0-3"
        )));
    }
    let has_vocabulary = options & 8 != 0;
    let config = FeatureConfig {
        bits,
        bigrams: options & 1 != 0,
        social_tokens: options & 2 != 0,
        stem: options & 4 != 0,
        char_min: r.u8("char_min")?,
        char_max: r.u8("char_max")?,
        rules: match r.u8("rules flag")? {
            0 => false,
            1 => true,
            v => return Err(err(format!("rules flag {v} is not 0 or 1"))),
        },
    };
    config.validate().map_err(err)?;
    let n_heads = r.u32("head count")?;
    if n_heads == 0 || n_heads > MAX_HEADS {
        return Err(err(format!("{n_heads} heads; expected 1..={MAX_HEADS}")));
    }
    let mut heads: Vec<Head> = Vec::new();
    let mut col = 0usize;
    for _ in 0..n_heads {
        let name = r.str("head name")?;
        if heads.iter().any(|h| h.name == name) {
            return Err(err(format!("head `{name}` appears twice")));
        }
        let kind = match r.u8("head kind")? {
            0 => HeadKind::Softmax,
            1 => HeadKind::Regression,
            2 => HeadKind::Logistic,
            v => return Err(err(format!("head `{name}`: unknown kind {v}"))),
        };
        let n_labels = r.u32("label count")?;
        match kind {
            HeadKind::Softmax if !(2..=MAX_LABELS).contains(&n_labels) => {
                return Err(err(format!(
                    "head `{name}`: {n_labels} labels; expected 2..={MAX_LABELS}"
                )))
            }
            HeadKind::Logistic if !(1..=MAX_LABELS).contains(&n_labels) => {
                return Err(err(format!(
                    "head `{name}`: {n_labels} labels; expected 1..={MAX_LABELS}"
                )))
            }
            HeadKind::Regression if n_labels != 0 => {
                return Err(err(format!(
                    "regression head `{name}` has {n_labels} labels"
                )))
            }
            _ => {}
        }
        let mut labels: Vec<String> = Vec::with_capacity(n_labels as usize);
        for _ in 0..n_labels {
            let l = r.str("label")?;
            if l.is_empty() || labels.contains(&l) {
                return Err(err(format!("head `{name}`: empty or repeated label `{l}`")));
            }
            labels.push(l);
        }
        let n_groups = r.u32("group count")?;
        if n_groups != 0 && (kind != HeadKind::Softmax || !(2..=MAX_LABELS).contains(&n_groups)) {
            return Err(err(format!(
                "head `{name}`: {n_groups} groups; expected 0 or (softmax) 2..={MAX_LABELS}"
            )));
        }
        let mut groups: Vec<String> = Vec::with_capacity(n_groups as usize);
        for _ in 0..n_groups {
            let g = r.str("group")?;
            if g.is_empty() || groups.contains(&g) {
                return Err(err(format!("head `{name}`: empty or repeated group `{g}`")));
            }
            groups.push(g);
        }
        let mut group_of: Vec<u16> = Vec::new();
        if n_groups > 0 {
            for _ in 0..labels.len() {
                let g = r.u16("group index")?;
                if u32::from(g) >= n_groups {
                    return Err(err(format!("head `{name}`: group index {g} of {n_groups}")));
                }
                group_of.push(g);
            }
        }
        let outputs = if kind == HeadKind::Regression {
            1
        } else {
            labels.len()
        };
        let temperature = r.f32("temperature")?;
        if temperature <= 0.0 {
            return Err(err(format!(
                "head `{name}`: temperature {temperature} must be > 0"
            )));
        }
        let bias = (0..outputs)
            .map(|_| r.f32("bias"))
            .collect::<Result<Vec<_>, _>>()?;
        let scale = (0..outputs)
            .map(|_| r.f32("scale"))
            .collect::<Result<Vec<_>, _>>()?;
        let n_dense = if config.rules {
            super::features::DENSE * outputs
        } else {
            0
        };
        let dense = (0..n_dense)
            .map(|_| r.f32("dense weight"))
            .collect::<Result<Vec<_>, _>>()?;
        match name.as_str() {
            "category" | "emotion" | "stance" | "urgency" | "style" | "approach" | "empathy"
                if kind != HeadKind::Softmax =>
            {
                return Err(err(format!("head `{name}` must be a softmax")))
            }
            "sentiment" if kind != HeadKind::Regression => {
                return Err(err("head `sentiment` must be a regression"))
            }
            "flags" if kind != HeadKind::Logistic => {
                return Err(err("head `flags` must be logistic"))
            }
            "emotion" | "stance" | "urgency" | "style" | "approach" | "empathy" => {
                let expected: Vec<&str> = match name.as_str() {
                    "emotion" => Emotion::ALL.iter().map(|e| e.as_str()).collect(),
                    "approach" => Approach::ALL.iter().map(|e| e.as_str()).collect(),
                    "empathy" => Empathy::ALL.iter().map(|e| e.as_str()).collect(),
                    "stance" => Stance::ALL.iter().map(|e| e.as_str()).collect(),
                    "style" => Style::ALL.iter().map(|e| e.as_str()).collect(),
                    _ => Urgency::ALL.iter().map(|e| e.as_str()).collect(),
                };
                let labels = if groups.is_empty() { &labels } else { &groups };
                if labels
                    .iter()
                    .map(String::as_str)
                    .ne(expected.iter().copied())
                {
                    return Err(err(format!(
                        "{name} head labels {labels:?}; expected {expected:?} in that order"
                    )));
                }
            }
            _ => {}
        }
        heads.push(Head {
            name,
            kind,
            labels,
            groups,
            group_of,
            temperature,
            bias,
            scale,
            dense,
            col,
        });
        col += outputs;
    }
    let width = col;
    let (rows, map) = if has_vocabulary {
        let n_rows = r.u32("vocabulary rows")?;
        if !(1..=u32::from(NO_ROW)).contains(&n_rows) {
            return Err(err(format!(
                "vocabulary of {n_rows} rows; expected 1..={NO_ROW}"
            )));
        }
        let at = r.pos;
        let map = r.take(config.buckets() * 2, "vocabulary map")?;
        // Inference bounds-checks every row it reads, so a bad entry could only misread, never
        // crash; the embedded file (verify off, checked by the tests) skips this pass over
        // 2^bits entries at start-up.
        let bad = if verify {
            map.chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .find(|&v| v != NO_ROW && u32::from(v) >= n_rows)
        } else {
            None
        };
        if let Some(bad) = bad {
            return Err(err(format!("vocabulary map names row {bad} of {n_rows}")));
        }
        (n_rows as usize, Some(at))
    } else {
        (config.buckets(), None)
    };
    let table_len = r.u64("table length")?;
    let expected = (rows as u64).checked_mul(width as u64);
    if Some(table_len) != expected {
        return Err(err(format!(
            "weight table of {table_len} bytes; expected {rows} rows × {width} outputs"
        )));
    }
    let offset = r.pos;
    r.take(table_len as usize, "weight table")?;
    if r.pos != body.len() {
        return Err(err(format!(
            "{} unexpected bytes after the weight table",
            body.len() - r.pos
        )));
    }
    Ok(Parsed {
        config,
        heads,
        width,
        offset,
        map,
    })
}
