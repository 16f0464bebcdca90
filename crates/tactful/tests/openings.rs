//! The recommendation's own words against the project's own judgement, over every golden case
//! (`tests/golden/assess.jsonl`, `tests/golden/realistic.jsonl`) and every held-out realistic
//! message (`data/situations/test/*.jsonl`):
//!
//! - `openings_pass_the_reply_review`: the opening the recommender writes scores at least
//!   [`MIN_SCORE`] in [`Engine::review_reply`] with the same message and context.
//!
//! `TACTFUL_OPENINGS_REPORT=1 cargo test -p tactful --test openings -- --nocapture` prints
//! every opening with its score and findings.

use std::path::PathBuf;

use serde_json::Value;
use tactful::{Context, Engine};

/// The lowest review score an opening of our own may get.
const MIN_SCORE: u8 = 85;

/// One message with its context, from any of the sets.
struct Message {
    id: String,
    text: String,
    ctx: Context,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_jsonl(path: &PathBuf) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// The golden cases (their `context`) and the held-out realistic messages (their `channel`).
fn messages() -> Vec<Message> {
    let mut out = Vec::new();
    let golden = root().join("tests/golden");
    for name in ["assess.jsonl", "realistic.jsonl"] {
        for v in read_jsonl(&golden.join(name)) {
            let ctx = match v.get("context") {
                Some(c) => Context::from_json(&c.to_string()).expect("golden context"),
                None => Context::default(),
            };
            out.push(Message {
                id: v["id"].as_str().expect("id").to_string(),
                text: v["text"].as_str().expect("text").to_string(),
                ctx,
            });
        }
    }
    let dir = root().join("data/situations/test");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for f in files {
        for v in read_jsonl(&f) {
            let ctx = match v.get("channel").and_then(Value::as_str) {
                Some(c) => Context::from_json(&format!("{{\"channel\":\"{c}\"}}"))
                    .expect("realistic channel"),
                None => Context::default(),
            };
            out.push(Message {
                id: v["id"].as_str().expect("id").to_string(),
                text: v["text"].as_str().expect("text").to_string(),
                ctx,
            });
        }
    }
    out
}

fn report() -> bool {
    std::env::var("TACTFUL_OPENINGS_REPORT").is_ok_and(|v| !v.is_empty())
}

#[test]
fn openings_pass_the_reply_review() {
    let engine = Engine::default();
    let msgs = messages();
    assert!(msgs.len() >= 2500, "only {} messages", msgs.len());
    let mut failures = Vec::new();
    for m in &msgs {
        let a = engine.assess(&m.text, &m.ctx).expect("assess");
        let opening = &a.recommendation.opening;
        let r = engine
            .review_reply(&m.text, opening, &m.ctx)
            .expect("review");
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        let line = format!(
            "{} [{} {:?}] {} {:?} {:?}",
            m.id, a.recommendation.approach, m.ctx.channel, r.score, opening, codes
        );
        if report() {
            println!("{line}");
        }
        if r.score < MIN_SCORE {
            failures.push(line);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} openings score below {MIN_SCORE}:\n{}",
        failures.len(),
        msgs.len(),
        failures.join("\n")
    );
}
