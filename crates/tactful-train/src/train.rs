//! Deterministic SGD for hashed linear models (softmax and least-squares regression).
//!
//! Single-threaded on purpose: the same data and options always give the same bytes.

use tactful::model::internals::{rule_features, FeatureConfig, DENSE, NO_ROW};

/// Texts turned into hashed features once, stored flat.
#[derive(Debug)]
pub struct Featurized {
    pub offsets: Vec<usize>,
    pub buckets: Vec<u32>,
    pub norms: Vec<f32>,
    /// Rule features per text (zeros when the configuration has none).
    pub dense: Vec<[f32; DENSE]>,
    /// Per-bucket feature weight during training (inverse document frequency); empty for 1.
    /// Folded into the exported weights by [`Linear::fold_idf`], so inference is unchanged.
    pub idf: Vec<f32>,
}

/// The feature space a model is trained in: the hash buckets of a [`FeatureConfig`], or only
/// the buckets a vocabulary keeps (each mapped to a row of its own, the rest dropped).
#[derive(Debug, Clone)]
pub struct Space {
    pub config: FeatureConfig,
    /// `map[bucket]` = row, or `u32::MAX` for a bucket the vocabulary does not keep.
    pub map: Option<Vec<u32>>,
    /// Number of weight rows: buckets, or kept buckets.
    pub rows: usize,
}

impl Space {
    /// Every bucket is a row.
    pub fn plain(config: FeatureConfig) -> Space {
        Space {
            config,
            map: None,
            rows: config.buckets(),
        }
    }

    /// Keeps the `keep` buckets that the most texts have (document frequency, ties to the
    /// lower bucket; never a bucket only one text has), in bucket order. Features seen once
    /// are memorised noise, and a table with no collisions among the frequent ones reads
    /// better than one twice the size where every row is shared.
    pub fn select<'a>(
        config: FeatureConfig,
        texts: impl Iterator<Item = &'a str>,
        keep: usize,
    ) -> Space {
        let buckets = config.buckets();
        let mut df = vec![0u32; buckets];
        let mut seen = vec![u32::MAX; buckets];
        for (i, t) in texts.enumerate() {
            config.for_each_feature(t, |b, _, _| {
                if seen[b as usize] != i as u32 {
                    seen[b as usize] = i as u32;
                    df[b as usize] += 1;
                }
            });
        }
        let mut order: Vec<u32> = (0..buckets as u32)
            .filter(|&b| df[b as usize] >= 2)
            .collect();
        order.sort_by(|&a, &b| df[b as usize].cmp(&df[a as usize]).then(a.cmp(&b)));
        // A model file addresses at most 65,535 rows (u16, NO_ROW reserved).
        order.truncate(keep.min(usize::from(NO_ROW)));
        order.sort_unstable();
        let mut map = vec![u32::MAX; buckets];
        for (row, &b) in order.iter().enumerate() {
            map[b as usize] = row as u32;
        }
        Space {
            config,
            rows: order.len(),
            map: Some(map),
        }
    }

    fn row(&self, bucket: u32) -> Option<u32> {
        match &self.map {
            None => Some(bucket),
            Some(m) => Some(m[bucket as usize]).filter(|&r| r != u32::MAX),
        }
    }

    /// The map a model file stores: the row of each bucket as `u16`, [`NO_ROW`] for none
    /// (`None` when every bucket is a row).
    pub fn vocabulary(&self) -> Option<Vec<u16>> {
        self.map.as_ref().map(|m| {
            m.iter()
                .map(|&r| u16::try_from(r).unwrap_or(NO_ROW))
                .collect()
        })
    }
}

impl Featurized {
    pub fn new<'a>(space: &Space, texts: impl Iterator<Item = &'a str>) -> Featurized {
        let config = &space.config;
        let mut f = Featurized {
            offsets: vec![0],
            buckets: Vec::new(),
            norms: Vec::new(),
            dense: Vec::new(),
            idf: Vec::new(),
        };
        for t in texts {
            f.dense.push(if config.rules {
                rule_features(t)
            } else {
                [0.0; DENSE]
            });
            // The norm counts every feature, kept or not, as inference does.
            let n = config.for_each_feature(t, |b, _, _| {
                if let Some(r) = space.row(b) {
                    f.buckets.push(r);
                }
            });
            f.offsets.push(f.buckets.len());
            f.norms
                .push(if n == 0 { 0.0 } else { 1.0 / (n as f32).sqrt() });
        }
        f
    }
    pub fn is_empty(&self) -> bool {
        self.norms.is_empty()
    }
    pub fn len(&self) -> usize {
        self.norms.len()
    }
    pub fn feats(&self, i: usize) -> &[u32] {
        &self.buckets[self.offsets[i]..self.offsets[i + 1]]
    }

    #[inline]
    fn scale(&self, f: u32) -> f32 {
        self.idf.get(f as usize).copied().unwrap_or(1.0)
    }

    /// Smoothed inverse document frequency of every bucket over these texts, normalised so
    /// the median feature occurrence weighs about 1 (rare words count more, "the" less).
    pub fn idf(&self, buckets: usize) -> Vec<f32> {
        let mut df = vec![0u32; buckets];
        let mut seen = vec![u32::MAX; buckets];
        for i in 0..self.len() {
            for &f in self.feats(i) {
                if seen[f as usize] != i as u32 {
                    seen[f as usize] = i as u32;
                    df[f as usize] += 1;
                }
            }
        }
        let n = self.len() as f32;
        let raw: Vec<f32> = df
            .iter()
            .map(|&d| ((n + 1.0) / (d as f32 + 1.0)).ln() + 1.0)
            .collect();
        let mut occ: Vec<f32> = self.buckets.iter().map(|&f| raw[f as usize]).collect();
        occ.sort_by(|a, b| a.total_cmp(b));
        let median = occ.get(occ.len() / 2).copied().unwrap_or(1.0).max(1e-3);
        raw.into_iter().map(|v| v / median).collect()
    }
}

/// A small deterministic PRNG (xorshift64*), so no dependency decides our shuffles.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub epochs: usize,
    pub lr: f32,
    /// L2 penalty applied to the weights touched by each example (lazy, per step).
    pub l2: f32,
    pub seed: u64,
}

/// A trained linear head: weights `buckets × k`, bias `k`.
#[derive(Debug)]
pub struct Linear {
    pub k: usize,
    pub w: Vec<f32>,
    pub b: Vec<f32>,
    /// Dense (rule feature) weights, feature-major: `DENSE × k`.
    pub d: Vec<f32>,
}

impl Linear {
    pub fn logits(&self, x: &Featurized, i: usize, out: &mut [f32]) {
        out.copy_from_slice(&self.b);
        for (di, xv) in x.dense[i].iter().enumerate() {
            for (j, o) in out.iter_mut().enumerate() {
                *o += xv * self.d[di * self.k + j];
            }
        }
        let norm = x.norms[i];
        for &f in x.feats(i) {
            let row = &self.w[f as usize * self.k..(f as usize + 1) * self.k];
            let v = norm * x.scale(f);
            for (o, w) in out.iter_mut().zip(row) {
                *o += w * v;
            }
        }
    }

    /// Multiplies each bucket's row by its training scale, so that inference (which sees
    /// plain binary features) computes what training did.
    pub fn fold_idf(&mut self, idf: &[f32]) {
        if idf.is_empty() {
            return;
        }
        for (row, &s) in self.w.chunks_mut(self.k).zip(idf) {
            for w in row {
                *w *= s;
            }
        }
    }
}

pub fn softmax_in_place(v: &mut [f32], t: f32) {
    let max = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut s = 0.0;
    for x in v.iter_mut() {
        *x = ((*x - max) / t).exp();
        s += *x;
    }
    for x in v.iter_mut() {
        *x /= s;
    }
}

/// Softmax regression on soft targets (`targets[i]` is a distribution over `k`), with a
/// weight per example.
pub fn train_softmax(
    x: &Featurized,
    targets: &[Vec<f32>],
    weights: &[f32],
    k: usize,
    buckets: usize,
    opt: Options,
) -> Linear {
    train_linear(x, targets, weights, k, buckets, opt, false)
}

/// Independent logistic regressions (one sigmoid per output, `targets[i][j]` in 0..1): the
/// multi-label flags head. `weights[i]` scales example `i`; positives of output `j` are
/// weighted by the caller (rare flags need their positives up-weighted).
pub fn train_logistic(
    x: &Featurized,
    targets: &[Vec<f32>],
    weights: &[f32],
    k: usize,
    buckets: usize,
    opt: Options,
) -> Linear {
    train_linear(x, targets, weights, k, buckets, opt, true)
}

fn train_linear(
    x: &Featurized,
    targets: &[Vec<f32>],
    weights: &[f32],
    k: usize,
    buckets: usize,
    opt: Options,
    logistic: bool,
) -> Linear {
    let mut m = Linear {
        k,
        w: vec![0.0; buckets * k],
        b: vec![0.0; k],
        d: vec![0.0; DENSE * k],
    };
    let mut order: Vec<usize> = (0..x.len()).collect();
    let mut rng = Rng::new(opt.seed);
    let total = (opt.epochs * order.len()).max(1) as f32;
    let mut step = 0usize;
    let mut p = vec![0.0f32; k];
    for _ in 0..opt.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let lr = opt.lr * (1.0 - step as f32 / total).max(0.05);
            step += 1;
            m.logits(x, i, &mut p);
            if logistic {
                for v in p.iter_mut() {
                    *v = 1.0 / (1.0 + (-*v).exp());
                }
            } else {
                softmax_in_place(&mut p, 1.0);
            }
            let sw = weights[i];
            for (pj, tj) in p.iter_mut().zip(&targets[i]) {
                *pj = (*pj - tj) * sw;
            }
            for (b, g) in m.b.iter_mut().zip(&p) {
                *b -= lr * g;
            }
            for (di, xv) in x.dense[i].iter().enumerate() {
                for (j, g) in p.iter().enumerate() {
                    m.d[di * k + j] -= lr * g * xv;
                }
            }
            let norm = x.norms[i];
            let decay = 1.0 - lr * opt.l2;
            for &f in x.feats(i) {
                let row = &mut m.w[f as usize * k..(f as usize + 1) * k];
                let v = norm * x.scale(f);
                for (w, g) in row.iter_mut().zip(&p) {
                    *w = *w * decay - lr * g * v;
                }
            }
        }
    }
    m
}

/// Least squares onto `y`, with a weight per example.
pub fn train_regression(
    x: &Featurized,
    y: &[f32],
    weights: &[f32],
    buckets: usize,
    opt: Options,
) -> Linear {
    let mut m = Linear {
        k: 1,
        w: vec![0.0; buckets],
        b: vec![0.0],
        d: vec![0.0; DENSE],
    };
    m.b[0] = y.iter().sum::<f32>() / y.len().max(1) as f32;
    // The rule features first, alone (a few passes of SGD on the dense inputs + bias): the
    // hashed n-grams then learn what the lexicon misses, under their own L2 penalty.
    if x.dense.iter().any(|d| d.iter().any(|&v| v != 0.0)) {
        for _ in 0..30 {
            for i in 0..x.len() {
                let mut o = m.b[0];
                for (di, xv) in x.dense[i].iter().enumerate() {
                    o += xv * m.d[di];
                }
                let g = (o - y[i]) * weights[i];
                m.b[0] -= 0.01 * g;
                for (di, xv) in x.dense[i].iter().enumerate() {
                    m.d[di] -= 0.01 * g * xv;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..x.len()).collect();
    let mut rng = Rng::new(opt.seed);
    let total = (opt.epochs * order.len()).max(1) as f32;
    let mut step = 0usize;
    let mut out = [0.0f32];
    for _ in 0..opt.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let lr = opt.lr * (1.0 - step as f32 / total).max(0.05);
            step += 1;
            m.logits(x, i, &mut out);
            let g = (out[0] - y[i]) * weights[i];
            m.b[0] -= lr * g * 0.1;
            for (di, xv) in x.dense[i].iter().enumerate() {
                m.d[di] -= lr * g * xv;
            }
            let norm = x.norms[i];
            let decay = 1.0 - lr * opt.l2;
            for &f in x.feats(i) {
                let w = &mut m.w[f as usize];
                *w = *w * decay - lr * g * norm;
            }
        }
    }
    m
}

/// The temperature minimising the negative log-likelihood of `labels` (golden-section search
/// on log T), from held-out logits.
/// With `group_of`, `labels` are groups and a group's probability is the sum of its labels'.
pub fn fit_temperature(logits: &[Vec<f32>], labels: &[usize], group_of: Option<&[u16]>) -> f32 {
    let nll = |t: f32| -> f64 {
        let mut s = 0.0f64;
        let mut p = Vec::new();
        for (l, &y) in logits.iter().zip(labels) {
            p.clear();
            p.extend_from_slice(l);
            softmax_in_place(&mut p, t);
            let py: f32 = match group_of {
                None => p[y],
                Some(g) => p
                    .iter()
                    .zip(g)
                    .filter(|(_, &gi)| gi as usize == y)
                    .map(|(v, _)| v)
                    .sum(),
            };
            s -= f64::from(py.max(1e-9)).ln();
        }
        s
    };
    // Bounded below: on a held-out slice the model gets all right, the likelihood keeps
    // rising as T → 0 and would turn every answer into a certainty.
    let (mut a, mut b) = ((0.3f32).ln(), (10.0f32).ln());
    let g = 0.618_034f32;
    for _ in 0..60 {
        let c = b - g * (b - a);
        let d = a + g * (b - a);
        if nll(c.exp()) < nll(d.exp()) {
            b = d;
        } else {
            a = c;
        }
    }
    ((a + b) / 2.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> FeatureConfig {
        FeatureConfig {
            bits: 12,
            bigrams: false,
            char_min: 0,
            char_max: 0,
            rules: false,
            ..FeatureConfig::default()
        }
    }

    fn bucket(word: &str) -> u32 {
        let mut b = Vec::new();
        config().for_each_feature(word, |x, _, _| b.push(x));
        assert_eq!(b.len(), 1, "{word}");
        b[0]
    }

    #[test]
    fn select_keeps_the_most_shared_features_in_bucket_order() {
        // "card" in 4 texts, "stolen" in 3, "refund" in 2, "zebra" in 1.
        let texts = [
            "card stolen refund zebra",
            "card stolen refund",
            "card stolen",
            "card",
        ];
        let (card, stolen, refund, zebra) = (
            bucket("card"),
            bucket("stolen"),
            bucket("refund"),
            bucket("zebra"),
        );
        assert_eq!(
            [card, stolen, refund, zebra]
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            4,
            "the test words must not collide"
        );
        let all = Space::select(config(), texts.iter().copied(), 10);
        // A feature only one text has is never kept.
        assert_eq!(all.rows, 3);
        let map = all.map.as_ref().unwrap();
        assert_eq!(map[zebra as usize], u32::MAX);
        // Rows follow bucket order.
        let mut kept = [card, stolen, refund];
        kept.sort_unstable();
        for (row, b) in kept.iter().enumerate() {
            assert_eq!(map[*b as usize], row as u32);
        }
        // With room for two, the two most shared stay.
        let two = Space::select(config(), texts.iter().copied(), 2);
        assert_eq!(two.rows, 2);
        let map = two.map.as_ref().unwrap();
        assert_eq!(map[refund as usize], u32::MAX);
        assert_ne!(map[card as usize], u32::MAX);
        assert_ne!(map[stolen as usize], u32::MAX);
        let v = two.vocabulary().unwrap();
        assert_eq!(v.len(), config().buckets());
        assert_eq!(v.iter().filter(|&&r| r != NO_ROW).count(), 2);
        // Featurizing drops what the vocabulary does not keep, but the norm counts it.
        let x = Featurized::new(&two, ["refund card"].into_iter());
        assert_eq!(x.feats(0), [map[card as usize]]);
        assert!((x.norms[0] - 1.0 / 2f32.sqrt()).abs() < 1e-6);
    }
}
