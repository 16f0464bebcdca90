//! Measures the reply review against the project's own labeled (message, reply) pairs.
//!
//! Reads `data/reviews/pairs.jsonl` (see `data/reviews/README.md`): each pair has a customer
//! message, an agent reply, the channel, a hand-given score 0–100 and a verdict (`good` ≥ 75,
//! `acceptable` 50–74, `poor` < 50). Every reply goes through `Engine::review_reply` with a
//! context that only sets the channel, and the review's score is compared with the label:
//! Spearman's ρ (average ranks for ties) and verdict agreement, separately for the `train`
//! and the `test` split. Only train pairs are listed one by one (`--show-train`), so the test
//! split is never read pair by pair while the review is tuned.
//!
//! Run: `cargo run --release -p tactful-train --bin pairs_eval [-- PAIRS.jsonl] [--show-train]`

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Deserialize;
use tactful::{Channel, Context, Engine};
use tactful_train::metrics::spearman;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // every field is parsed so that a malformed line fails loudly
struct Pair {
    id: String,
    split: String,
    channel: Channel,
    message: String,
    reply: String,
    approach: String,
    score: u8,
    verdict: String,
    why: String,
}

const VERDICTS: [&str; 3] = ["good", "acceptable", "poor"];

fn verdict_of(score: u8) -> &'static str {
    if score >= 75 {
        "good"
    } else if score >= 50 {
        "acceptable"
    } else {
        "poor"
    }
}

/// 64-bit FNV-1a: the split is fixed by the message part of the id (`test` when the hash is
/// divisible by 4), so all replies to one message fall in the same split.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn pairs_path() -> PathBuf {
    if let Some(a) = std::env::args().skip(1).find(|a| !a.starts_with("--")) {
        return PathBuf::from(a);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/reviews/pairs.jsonl")
}

struct Scored<'a> {
    pair: &'a Pair,
    ours: u8,
    codes: Vec<String>,
    judged: String,
}

fn report(split: &str, rows: &[&Scored<'_>]) {
    let gold: Vec<f64> = rows.iter().map(|r| f64::from(r.pair.score)).collect();
    let ours: Vec<f64> = rows.iter().map(|r| f64::from(r.ours)).collect();
    let agree = rows
        .iter()
        .filter(|r| verdict_of(r.ours) == r.pair.verdict)
        .count();
    let mae = rows
        .iter()
        .map(|r| (f64::from(r.ours) - f64::from(r.pair.score)).abs())
        .sum::<f64>()
        / rows.len().max(1) as f64;
    // Confusion of verdicts: rows labeled, columns ours (good, acceptable, poor).
    let mut cm = [[0usize; 3]; 3];
    for r in rows {
        let g = VERDICTS.iter().position(|v| *v == r.pair.verdict);
        let p = VERDICTS.iter().position(|v| *v == verdict_of(r.ours));
        if let (Some(g), Some(p)) = (g, p) {
            cm[g][p] += 1;
        }
    }
    println!(
        "| {split} | {} | {:.3} | {:.1} % ({agree}/{}) | {:.1} | {:?} |",
        rows.len(),
        spearman(&ours, &gold),
        100.0 * agree as f64 / rows.len().max(1) as f64,
        rows.len(),
        mae,
        cm
    );
}

fn run() -> Result<(), String> {
    let path = pairs_path();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let p: Pair =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        if !VERDICTS.contains(&p.verdict.as_str()) || verdict_of(p.score) != p.verdict {
            return Err(format!(
                "{}:{}: verdict {:?} does not match score {}",
                path.display(),
                i + 1,
                p.verdict,
                p.score
            ));
        }
        let message_id = p.id.split('.').next().unwrap_or("");
        let expected = if fnv1a(message_id) % 4 == 0 {
            "test"
        } else {
            "train"
        };
        if p.split != expected {
            return Err(format!(
                "{}:{}: split must be {expected:?} (FNV-1a of {message_id:?} mod 4)",
                path.display(),
                i + 1
            ));
        }
        pairs.push(p);
    }
    let engine = Engine::default();
    let mut scored = Vec::new();
    for p in &pairs {
        let ctx = Context::builder()
            .channel(p.channel)
            .build()
            .map_err(|e| e.to_string())?;
        let r = engine
            .review_reply(&p.message, &p.reply, &ctx)
            .map_err(|e| format!("{}: {e}", p.id))?;
        scored.push(Scored {
            pair: p,
            ours: r.score,
            codes: r.findings.iter().map(|f| f.code.to_string()).collect(),
            judged: r.approach.to_string(),
        });
    }
    println!(
        "# reply review against labeled pairs ({})\n",
        path.display()
    );
    println!("| split | pairs | Spearman ρ | verdict agreement | mean abs. error | verdicts (rows labeled, cols ours: good/acceptable/poor) |");
    println!("|---|---|---|---|---|---|");
    for split in ["train", "test"] {
        let rows: Vec<&Scored<'_>> = scored.iter().filter(|s| s.pair.split == split).collect();
        report(split, &rows);
    }
    let all: Vec<&Scored<'_>> = scored.iter().collect();
    report("all", &all);
    if std::env::args().any(|a| a == "--show-train") {
        println!(
            "\ntrain pairs, largest disagreement first (label, ours, judged approach, codes):"
        );
        let mut train: Vec<&Scored<'_>> =
            scored.iter().filter(|s| s.pair.split == "train").collect();
        train.sort_by_key(|s| {
            std::cmp::Reverse((i32::from(s.ours) - i32::from(s.pair.score)).abs())
        });
        for s in train {
            println!(
                "{:>3} {:>3}  {:<28} {:<24} {}  [{}]",
                s.pair.score,
                s.ours,
                s.pair.id,
                s.judged,
                s.codes.join(","),
                s.pair.why
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pairs_eval: {e}");
            ExitCode::FAILURE
        }
    }
}
