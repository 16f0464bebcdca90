//! Measures the reply review against public data — measurement only, nothing is fitted.
//!
//! 1. EPITOME (Sharma et al. 2020), Reddit dev split: the three empathy mechanisms
//!    (emotional reactions, interpretations, explorations; levels 0/1/2) predicted by
//!    `Engine::empathy_mechanisms` against the human labels: accuracy, macro-F1, the
//!    confusion matrix, the same for "any vs none", and Spearman's rho of our total (0..6)
//!    against theirs. The data's license is unclear: it is read here, never shipped or trained on.
//! 2. Bitext customer support, dev split: the reference agent replies (`response`) reviewed
//!    against the customer's message: the score distribution and the most common findings.
//! 3. Speed: mean µs per review of a typical reply (the criterion bench `review` is the
//!    reference; this is a quick cross-check).
//!
//! Run: `cargo run --release -p tactful-train --bin epitome_eval [-- DATASETS_DIR]`
//! (`-- --speed-only` runs only the speed loop, 200,000 reviews, e.g. under `perf stat`)
//! (default: `$TACTFUL_DATASETS`, else `<repo>/../shared/datasets`).

// Confusion-matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serde::Deserialize;
use tactful::{Context, Engine, ReplyReview};
use tactful_train::metrics::spearman;

#[derive(Deserialize)]
struct EpitomeRow {
    text: String,
    label: Labels,
    empathy_total: u8,
}

#[derive(Deserialize)]
struct Labels {
    emotional_reactions: u8,
    interpretations: u8,
    explorations: u8,
}

#[derive(Deserialize)]
struct BitextRow {
    text: String,
    response: String,
}

fn datasets_dir() -> PathBuf {
    if let Some(a) = std::env::args().nth(1).filter(|a| !a.starts_with("--")) {
        return PathBuf::from(a);
    }
    if let Ok(d) = std::env::var("TACTFUL_DATASETS") {
        return PathBuf::from(d);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets")
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &PathBuf) -> Result<Vec<T>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// Accuracy and macro-F1 over the classes that occur in gold or predictions.
fn scores(gold: &[u8], pred: &[u8], classes: &[u8]) -> (f64, f64, Vec<Vec<usize>>) {
    let k = classes.len();
    let mut cm = vec![vec![0usize; k]; k];
    let idx = |v: u8| classes.iter().position(|&c| c == v).unwrap_or(0);
    for (&g, &p) in gold.iter().zip(pred) {
        cm[idx(g)][idx(p)] += 1;
    }
    let n = gold.len().max(1) as f64;
    let acc = (0..k).map(|i| cm[i][i]).sum::<usize>() as f64 / n;
    let mut f1s = Vec::new();
    for i in 0..k {
        let tp = cm[i][i] as f64;
        let gold_i: usize = cm[i].iter().sum();
        let pred_i: usize = (0..k).map(|r| cm[r][i]).sum();
        if gold_i == 0 && pred_i == 0 {
            continue;
        }
        let p = if pred_i == 0 { 0.0 } else { tp / pred_i as f64 };
        let r = if gold_i == 0 { 0.0 } else { tp / gold_i as f64 };
        f1s.push(if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        });
    }
    let f1 = f1s.iter().sum::<f64>() / f1s.len().max(1) as f64;
    (acc, f1, cm)
}

fn percentile(sorted: &[u8], p: f64) -> u8 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn run() -> Result<(), String> {
    let engine = Engine::default();
    if std::env::args().any(|a| a == "--speed-only") {
        // For `perf stat -e task-clock`: CPU time per review on a loaded machine.
        return speed(&engine, 200_000);
    }
    let dir = datasets_dir();
    println!("# tactful reply review — measured on public data\n");
    println!("datasets: {}\n", dir.display());

    // --- EPITOME -------------------------------------------------------------------------
    let rows: Vec<EpitomeRow> = read_jsonl(&dir.join("epitome_reddit/dev.jsonl"))?;
    let mut gold: [Vec<u8>; 3] = Default::default();
    let mut pred: [Vec<u8>; 3] = Default::default();
    let (mut gt, mut pt) = (Vec::new(), Vec::new());
    for r in &rows {
        let e: tactful::EmpathyMechanisms = engine.empathy_mechanisms(&r.text).unwrap_or_default();
        let g = [
            r.label.emotional_reactions,
            r.label.interpretations,
            r.label.explorations,
        ];
        let p = [
            e.emotional_reactions.level,
            e.interpretations.level,
            e.explorations.level,
        ];
        for k in 0..3 {
            gold[k].push(g[k]);
            pred[k].push(p[k]);
        }
        gt.push(f64::from(r.empathy_total));
        pt.push(f64::from(e.total()));
    }
    println!("## EPITOME Reddit dev ({} responses)\n", rows.len());
    println!("| mechanism | accuracy (0/1/2) | macro-F1 (0/1/2) | accuracy (any vs none) | F1 of \"any\" |");
    println!("|---|---|---|---|---|");
    let names = ["emotional_reactions", "interpretations", "explorations"];
    let mut matrices = Vec::new();
    for k in 0..3 {
        let (acc, f1, cm) = scores(&gold[k], &pred[k], &[0, 1, 2]);
        let gb: Vec<u8> = gold[k].iter().map(|&x| u8::from(x > 0)).collect();
        let pb: Vec<u8> = pred[k].iter().map(|&x| u8::from(x > 0)).collect();
        let (bacc, _, bcm) = scores(&gb, &pb, &[0, 1]);
        let tp = bcm[1][1] as f64;
        let p = tp / (bcm[0][1] + bcm[1][1]).max(1) as f64;
        let r = tp / (bcm[1][0] + bcm[1][1]).max(1) as f64;
        let f1_any = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        println!(
            "| {} | {:.1} % | {:.3} | {:.1} % | {:.3} |",
            names[k],
            acc * 100.0,
            f1,
            bacc * 100.0,
            f1_any
        );
        matrices.push(cm);
    }
    println!(
        "\nSpearman rho, our total (0..6) vs EPITOME's total: {:.3}\n",
        spearman(&pt, &gt)
    );
    for (k, cm) in matrices.iter().enumerate() {
        println!(
            "confusion {} (rows gold 0/1/2, columns predicted 0/1/2): {:?}",
            names[k], cm
        );
    }

    // --- Bitext --------------------------------------------------------------------------
    let bitext: Vec<BitextRow> = read_jsonl(&dir.join("bitext_customer_support/dev.jsonl"))?;
    let ctx = Context::default();
    let mut scores_v = Vec::new();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = 0;
    let mut reviews: Vec<ReplyReview> = Vec::new();
    for r in &bitext {
        match engine.review_reply(&r.text, &r.response, &ctx) {
            Ok(rv) => {
                scores_v.push(rv.score);
                let mut seen: Vec<&str> = rv.findings.iter().map(|f| f.code.as_str()).collect();
                seen.sort_unstable();
                seen.dedup();
                for c in seen {
                    *codes.entry(c.to_string()).or_default() += 1;
                }
                reviews.push(rv);
            }
            Err(_) => errors += 1,
        }
    }
    let mut sorted = scores_v.clone();
    sorted.sort_unstable();
    let n = sorted.len().max(1) as f64;
    let mean = sorted.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let share = |t: u8| sorted.iter().filter(|&&x| x >= t).count() as f64 / n * 100.0;
    println!(
        "\n## Bitext reference replies, dev ({} replies, {} errors)\n",
        bitext.len(),
        errors
    );
    println!(
        "score: mean {:.1}, min {}, p10 {}, p25 {}, median {}, p75 {}, p90 {}, max {}",
        mean,
        percentile(&sorted, 0.0),
        percentile(&sorted, 0.10),
        percentile(&sorted, 0.25),
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.75),
        percentile(&sorted, 0.90),
        percentile(&sorted, 1.0)
    );
    println!(
        "share scoring >= 80: {:.1} %, >= 70: {:.1} %, < 50: {:.1} %",
        share(80),
        share(70),
        100.0 - share(50)
    );
    let mut hist = [0usize; 10];
    for &s in &sorted {
        hist[(usize::from(s) / 10).min(9)] += 1;
    }
    println!("histogram (0-9, 10-19, …, 90-100): {hist:?}");
    let mut by_count: Vec<(String, usize)> = codes.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("\nreplies with each finding:");
    for (c, k) in by_count.iter().take(15) {
        println!("  {c:<30} {k:>4}  ({:.1} %)", *k as f64 / n * 100.0);
    }
    let approaches: BTreeMap<String, usize> = reviews.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.approach.to_string()).or_default() += 1;
        m
    });
    println!("\njudged against: {approaches:?}");

    speed(&engine, 20_000)
}

fn speed(engine: &Engine, iters: u32) -> Result<(), String> {
    let ctx = Context::default();
    let a = engine
        .assess(
            "My order #88812 arrived broken and I need it for my daughter's birthday on Saturday.",
            &ctx,
        )
        .map_err(|e| e.to_string())?;
    let draft = "I'm so sorry your order arrived broken, especially with the birthday coming up. \
                 I've just sent a replacement by express delivery; it will arrive by Friday, and \
                 you don't need to return the broken one.";
    let t = Instant::now();
    let mut sink = 0u64;
    for _ in 0..iters {
        if let Ok(r) = engine.review_reply_for(&a, draft, &ctx) {
            sink += u64::from(r.score);
        }
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(iters);
    println!(
        "\n## Speed\n\nreview_reply_for, {}-word reply: {:.2} µs per review ({} iterations, checksum {})",
        draft.split_whitespace().count(),
        us,
        iters,
        sink
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("epitome_eval: {e}");
            ExitCode::from(2)
        }
    }
}
