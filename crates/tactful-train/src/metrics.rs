//! Accuracy, macro-F1, per-label precision/recall/F1, confusion matrices, ECE, Pearson r.

/// Classification results over a label set (`labels[i]` names index `i`).
#[derive(Debug, Clone)]
pub struct Report {
    pub labels: Vec<String>,
    /// `confusion[gold][pred]`.
    pub confusion: Vec<Vec<usize>>,
    pub rows: usize,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

impl Report {
    pub fn new(labels: Vec<String>) -> Report {
        let n = labels.len();
        Report {
            labels,
            confusion: vec![vec![0; n]; n],
            rows: 0,
        }
    }

    pub fn add(&mut self, gold: usize, pred: usize) {
        self.confusion[gold][pred] += 1;
        self.rows += 1;
    }

    pub fn accuracy(&self) -> f64 {
        let ok: usize = (0..self.labels.len()).map(|i| self.confusion[i][i]).sum();
        ok as f64 / self.rows.max(1) as f64
    }

    pub fn prf(&self, i: usize) -> Prf {
        let tp = self.confusion[i][i] as f64;
        let support: usize = self.confusion[i].iter().sum();
        let predicted: usize = self.confusion.iter().map(|r| r[i]).sum();
        let precision = if predicted == 0 {
            0.0
        } else {
            tp / predicted as f64
        };
        let recall = if support == 0 {
            0.0
        } else {
            tp / support as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
            support,
        }
    }

    /// Labels that occur in the gold data.
    pub fn gold_labels(&self) -> Vec<usize> {
        (0..self.labels.len())
            .filter(|&i| self.confusion[i].iter().sum::<usize>() > 0)
            .collect()
    }

    /// Macro-F1 over the labels present in the gold data (predictions of other labels count
    /// as misses of the gold label; they do not add zero-F1 classes of their own).
    pub fn macro_f1(&self) -> f64 {
        let g = self.gold_labels();
        if g.is_empty() {
            return 0.0;
        }
        g.iter().map(|&i| self.prf(i).f1).sum::<f64>() / g.len() as f64
    }

    /// Per-label table and confusion matrix (gold rows, predicted columns; only labels that
    /// occur as gold or prediction).
    pub fn detail(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let used: Vec<usize> = (0..self.labels.len())
            .filter(|&i| {
                self.confusion[i].iter().sum::<usize>() > 0
                    || self.confusion.iter().any(|r| r[i] > 0)
            })
            .collect();
        let _ = writeln!(
            s,
            "    {:<22} {:>9} {:>7} {:>7} {:>8}",
            "label", "precision", "recall", "f1", "support"
        );
        for &i in &used {
            let p = self.prf(i);
            let _ = writeln!(
                s,
                "    {:<22} {:>9.3} {:>7.3} {:>7.3} {:>8}",
                self.labels[i], p.precision, p.recall, p.f1, p.support
            );
        }
        let _ = writeln!(s, "    confusion (rows = gold, columns = predicted):");
        let short: Vec<String> = used
            .iter()
            .map(|&i| self.labels[i].chars().take(6).collect())
            .collect();
        let _ = write!(s, "    {:<22}", "");
        for h in &short {
            let _ = write!(s, " {h:>6}");
        }
        let _ = writeln!(s);
        for &g in &used {
            let _ = write!(s, "    {:<22}", self.labels[g]);
            for &p in &used {
                let _ = write!(s, " {:>6}", self.confusion[g][p]);
            }
            let _ = writeln!(s);
        }
        s
    }
}

/// Expected calibration error of top-label confidence (15 equal-width bins).
pub fn ece(conf_correct: &[(f32, bool)]) -> f64 {
    const BINS: usize = 15;
    let mut n = [0usize; BINS];
    let mut conf = [0f64; BINS];
    let mut acc = [0f64; BINS];
    for &(c, ok) in conf_correct {
        let b = ((c.clamp(0.0, 1.0) * BINS as f32) as usize).min(BINS - 1);
        n[b] += 1;
        conf[b] += f64::from(c);
        acc[b] += if ok { 1.0 } else { 0.0 };
    }
    let total = conf_correct.len().max(1) as f64;
    (0..BINS)
        .filter(|&b| n[b] > 0)
        .map(|b| (n[b] as f64 / total) * ((acc[b] - conf[b]) / n[b] as f64).abs())
        .sum()
}

pub fn pearson(x: &[f32], y: &[f32]) -> f64 {
    let n = x.len().min(y.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mx = x.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let my = y.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        let (a, b) = (f64::from(a) - mx, f64::from(b) - my);
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Ranks of `v` from 1, ties sharing their average rank.
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &t in &idx[i..=j] {
            r[t] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rho with average ranks for ties (Pearson of the ranks).
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    if va == 0.0 || vb == 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}
