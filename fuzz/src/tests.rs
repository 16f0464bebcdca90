//! The stable-toolchain smoke test: every target's body over its committed seeds.
//!
//! A seed named `ok-*` must be accepted and `err-*` refused (cleanly: no panic); other
//! seeds only must not panic. `write_seeds` (ignored) regenerates the seeds derived from
//! the repository's own data: the golden cases, the default playbook and small models.

use super::*;
use std::fs;
use std::path::{Path, PathBuf};
use tactful::model::internals::{FeatureConfig, HeadKind, HeadSpec, ModelBuilder, DENSE};

/// A target's body.
type Body = fn(&[u8]) -> Outcome;

const TARGETS: [(&str, Body); 8] = [
    ("assess", assess),
    ("context", context),
    ("playbook_toml", playbook_toml),
    ("playbook_json", playbook_json),
    ("model", model),
    ("review", review),
    ("conversation", conversation),
    ("batch_lines", batch_lines),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("seeds").join(target);
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.expect("directory entry").path();
            let name = p
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (name, fs::read(&p).expect("seed file reads"))
        })
        .collect();
    out.sort();
    out
}

/// Runs one target over its seeds; returns (accepted, refused) counts.
fn run(target: &str, f: Body) -> (usize, usize) {
    let mut counts = (0, 0);
    for (name, data) in seeds(target) {
        let got = f(&data);
        if name.starts_with("ok-") {
            assert_eq!(got, Outcome::Accepted, "{target}/{name} should be accepted");
        } else if name.starts_with("err-") {
            assert_eq!(got, Outcome::Rejected, "{target}/{name} should be refused");
        }
        match got {
            Outcome::Accepted => counts.0 += 1,
            Outcome::Rejected => counts.1 += 1,
        }
    }
    counts
}

#[test]
fn every_target_over_its_seeds() {
    for (target, f) in TARGETS {
        let (accepted, refused) = run(target, f);
        // Each corpus reaches both the accepting and the refusing paths.
        assert!(accepted >= 1, "{target}: no seed accepted");
        assert!(refused >= 1, "{target}: no seed refused");
    }
}

#[test]
fn every_target_has_a_fuzz_binary_and_seeds() {
    let manifest = fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml reads");
    for (target, _) in TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{target}\"")),
            "{target}: no [[bin]] in fuzz/Cargo.toml"
        );
        let src = fs::read_to_string(root().join(format!("fuzz_targets/{target}.rs")))
            .expect("target source reads");
        assert!(
            src.contains(&format!("tactful_fuzz::{target}(data)")),
            "{target}"
        );
    }
}

/// The embedded model (2 MB, not copied into the seeds) parses, and one changed byte in
/// its weight table is refused by the checksum and accepted once the checksum is fixed up.
#[test]
fn embedded_model_and_checksum_fix_up() {
    let path = root().join("../crates/tactful/model/tactful.model");
    let bytes = fs::read(&path).expect("the embedded model file reads");
    assert_eq!(model(&bytes), Outcome::Accepted);
    let mut changed = bytes.clone();
    let i = changed.len() - 100;
    changed[i] = changed[i].wrapping_add(1);
    assert!(
        ModelSet::from_bytes(&changed).is_err(),
        "checksum must catch the change"
    );
    assert_eq!(
        model(&changed),
        Outcome::Accepted,
        "accepted after the fix-up"
    );
    assert_eq!(fix_checksum(&bytes).as_deref(), Some(&bytes[..]));
    assert_eq!(fix_checksum(b"short"), None);
}

#[test]
fn fields_split_on_the_record_separator() {
    assert_eq!(fields(b"a\x1eb\x1e"), ["a", "b", ""]);
    assert_eq!(fields(b"\xff"), ["\u{fffd}"]);
}

// ---------------------------------------------------------------------------------------
// Seed generation (run by hand: cargo test --manifest-path fuzz/Cargo.toml
// --no-default-features -- --ignored write_seeds).

fn golden(name: &str) -> Vec<serde_json::Value> {
    let p = root().join("../tests/golden").join(name);
    fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("golden line is JSON"))
        .collect()
}

fn put(target: &str, name: &str, data: &[u8]) {
    let dir = root().join("seeds").join(target);
    fs::create_dir_all(&dir).expect("seed dir");
    fs::write(dir.join(name), data).expect("seed writes");
}

fn join(parts: &[&str]) -> Vec<u8> {
    parts.join("\u{1e}").into_bytes()
}

fn head(name: &str, kind: HeadKind, labels: &[&str], config: FeatureConfig) -> HeadSpec {
    let outputs = if kind == HeadKind::Regression {
        1
    } else {
        labels.len()
    };
    let n = config.buckets() * outputs;
    HeadSpec {
        name: name.into(),
        kind,
        labels: labels.iter().map(|s| s.to_string()).collect(),
        groups: vec![],
        group_of: vec![],
        temperature: 1.0,
        bias: (0..outputs).map(|i| i as f32 * 0.1).collect(),
        // Small deterministic weights so that every i8 value range is exercised.
        weights: (0..n)
            .map(|i| ((i * 37 % 255) as f32 - 127.0) / 64.0)
            .collect(),
        dense: if config.rules {
            (0..DENSE * outputs)
                .map(|i| ((i % 7) as f32 - 3.0) / 10.0)
                .collect()
        } else {
            vec![]
        },
    }
}

#[test]
#[ignore = "writes the seed corpora; run by hand after changing a generator"]
fn write_seeds() {
    // assess: golden messages with their contexts, and a few shapes of our own.
    for (i, case) in golden("assess.jsonl").iter().step_by(12).enumerate() {
        let text = case["text"].as_str().expect("text");
        let ctx = case.get("context").map(|c| c.to_string());
        let data = match &ctx {
            Some(c) => join(&[text, c]),
            None => text.as_bytes().to_vec(),
        };
        put("assess", &format!("ok-golden-{i:02}"), &data);
        if let Some(c) = ctx {
            put("context", &format!("ok-golden-{i:02}"), c.as_bytes());
        }
    }
    put(
        "assess",
        "ok-emoji-rtl",
        "😡😡 لم يصل طلبي!!! #4411 $1$1 e\u{301}\u{301}".as_bytes(),
    );
    put("assess", "ok-invalid-utf8", b"refund \xff\xfe me \xc3( now");
    put("assess", "err-empty", b"");
    put("assess", "err-blank", b" \n\t ");
    put(
        "assess",
        "err-bad-context",
        &join(&["Where is my order?", r#"{"channel":"fax"}"#]),
    );
    put(
        "context",
        "ok-every-field",
        br#"{"channel":"phone","customer_name":"Ana","prior_contacts":3,"past_feedback":{"nps":2},"relationship":"high_value","policy_conflict":true,"allowed_alternatives":["store credit"],"max_gesture":"10% discount"}"#,
    );
    put("context", "ok-empty-object", b"{}");
    put("context", "err-unknown-field", br#"{"chanel":"chat"}"#);
    put(
        "context",
        "err-csat-range",
        br#"{"past_feedback":{"csat":9}}"#,
    );
    put("context", "err-not-json", b"channel=chat");

    // playbooks: the default one in both formats, and refusals.
    let default = Playbook::default_playbook().expect("default playbook");
    put(
        "playbook_toml",
        "ok-default",
        Playbook::default_toml().as_bytes(),
    );
    put("playbook_json", "ok-default", default.to_json().as_bytes());
    put("playbook_toml", "err-empty", b"");
    put(
        "playbook_toml",
        "err-unknown-field",
        format!("{}\nbogus = 1\n", Playbook::default_toml()).as_bytes(),
    );
    put("playbook_json", "err-empty-object", b"{}");
    put(
        "playbook_json",
        "err-version",
        default
            .to_json()
            .replacen("\"version\": 1", "\"version\": 99", 1)
            .as_bytes(),
    );

    // models: two small ones built with the public writer, and refusals.
    let tiny = FeatureConfig {
        bits: 10,
        rules: false,
        char_min: 0,
        ..FeatureConfig::default()
    };
    let bytes = ModelBuilder::new(tiny)
        .head(head(
            "category",
            HeadKind::Softmax,
            &["billing_refund", "other"],
            tiny,
        ))
        .head(head("sentiment", HeadKind::Regression, &[], tiny))
        .to_bytes()
        .expect("tiny model writes");
    put("model", "ok-tiny", &bytes);
    let mut changed = bytes.clone();
    changed[bytes.len() - 100] ^= 0x55;
    put("model", "ok-table-byte-changed", &changed);
    put("model", "err-truncated", &bytes[..bytes.len() / 2]);
    put("model", "err-not-a-model", b"not a model at all");
    let small = FeatureConfig {
        bits: 10,
        ..FeatureConfig::default()
    };
    let emotions: Vec<&str> = tactful::Emotion::ALL.iter().map(|e| e.as_ref()).collect();
    let bytes = ModelBuilder::new(small)
        .head(head(
            "category",
            HeadKind::Softmax,
            &["delivery", "billing_refund", "other"],
            small,
        ))
        .head(head("emotion", HeadKind::Softmax, &emotions, small))
        .head(head(
            "flags",
            HeadKind::Logistic,
            &["vulnerable", "churn_threat"],
            small,
        ))
        .head(head("sentiment", HeadKind::Regression, &[], small))
        .to_bytes()
        .expect("small model writes");
    put("model", "ok-small-with-rules", &bytes);
    // A vocabulary: every fourth of 1,024 buckets has one of 256 rows, the rest none.
    let rows = FeatureConfig { bits: 8, ..tiny };
    let map: Vec<u16> = (0..tiny.buckets())
        .map(|b| {
            if b % 4 == 0 {
                (b / 4) as u16
            } else {
                tactful::model::internals::NO_ROW
            }
        })
        .collect();
    let bytes = ModelBuilder::new(tiny)
        .vocabulary(map)
        .head(head(
            "category",
            HeadKind::Softmax,
            &["billing_refund", "other"],
            rows,
        ))
        .head(head("sentiment", HeadKind::Regression, &[], rows))
        .to_bytes()
        .expect("vocabulary model writes");
    put("model", "ok-vocabulary", &bytes);
    // Its first map entry names a row past the table (refused once the checksum is fixed up).
    let mut changed = bytes.clone();
    let map_at = bytes.len() - 8 - 256 * 3 - 8 - 2 * 1024;
    changed[map_at..map_at + 2].copy_from_slice(&300u16.to_le_bytes());
    put("model", "err-vocabulary-row-past-the-table", &changed);

    // review: golden customer messages and drafts.
    for (i, case) in golden("reviews.jsonl").iter().step_by(6).enumerate() {
        let customer = case["customer"].as_str().expect("customer");
        let reply = case["reply"].as_str().expect("reply");
        let data = match case.get("context") {
            Some(c) => join(&[customer, reply, &c.to_string()]),
            None => join(&[customer, reply]),
        };
        put("review", &format!("ok-golden-{i:02}"), &data);
    }
    put(
        "review",
        "ok-mechanisms-only",
        b"I'm so sorry. That must be scary. How are you holding up?",
    );
    put(
        "review",
        "err-empty-draft",
        &join(&["My parcel is late.", ""]),
    );

    // conversation: golden conversations as c/a turns with rising timestamps.
    for (i, case) in golden("conversations.jsonl").iter().step_by(4).enumerate() {
        let turns: Vec<String> = case["turns"]
            .as_array()
            .expect("turns")
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let s = if t["speaker"] == "agent" { 'a' } else { 'c' };
                format!(
                    "{s}@{} {}",
                    1000 + 30 * k,
                    t["text"].as_str().expect("text")
                )
            })
            .collect();
        let refs: Vec<&str> = turns.iter().map(String::as_str).collect();
        // A golden case may hold a blank turn, which must be refused.
        let blank = case["turns"]
            .as_array()
            .expect("turns")
            .iter()
            .any(|t| t["text"].as_str().is_some_and(|s| s.trim().is_empty()));
        let kind = if blank { "err" } else { "ok" };
        put(
            "conversation",
            &format!("{kind}-golden-{i:02}"),
            &join(&refs),
        );
    }
    put(
        "conversation",
        "err-time-goes-back",
        &join(&["c@100 My order is late.", "a@50 Sorry, checking now."]),
    );
    put("conversation", "err-empty-turn", &join(&["cHello?", "c"]));

    // batch_lines: golden messages as batch lines (the short ones: the batch engine's input
    // limit is 256 bytes), and the shapes of issue 13.
    let short: Vec<String> = golden("assess.jsonl")
        .iter()
        .filter(|c| c["text"].as_str().is_some_and(|t| t.len() <= 200))
        .step_by(10)
        .take(8)
        .map(|c| {
            let mut line = serde_json::json!({"id": c["id"], "text": c["text"]});
            if let Some(ctx) = c.get("context") {
                line["context"] = ctx.clone();
            }
            line.to_string()
        })
        .collect();
    put(
        "batch_lines",
        "ok-golden",
        (short.join("\n") + "\n").as_bytes(),
    );
    put("batch_lines", "ok-empty", b"");
    put(
        "batch_lines",
        "ok-bom-crlf-blank-lines",
        b"\xEF\xBB\xBF{\"id\": 1, \"text\": \"Someone stole my card!\"}\r\n\r\n  \t\n{\"text\": \"Where is my parcel?\"}",
    );
    put(
        "batch_lines",
        "ok-ids-as-written",
        concat!(
            "{\"id\": 123456789012345678901234567890, \"text\": \"My card was stolen\"}\n",
            "{\"id\": 1.50, \"text\": \"Where is my parcel?\"}\n",
            "{\"id\": \"caf\\u00e9 \\\"7\\\"\", \"text\": \"Thanks, all fixed!\"}\n",
            "{\"id\": {\"a\": [1, 2]}, \"text\": \"hello\", \"context\": null}\n",
            "{\"id\" : -0e-0 , \"text\": \"refund me\", \"context\": {\"channel\": \"chat\"}}\n",
        )
        .as_bytes(),
    );
    put(
        "batch_lines",
        "err-issue-13-shapes",
        concat!(
            "[1, \"My card was stolen\", {}]\n",
            "{\"id\": \"no-text\", \"context\": {\"channel\": \"chat\"}}\n",
            "{\"id\": 3, \"text\": \"\"}\n",
            "{\"id\": 4, \"text\": 42}\n",
            "{\"id\": 5, \"text\": \"hi\", \"context\": {\"colour\": \"red\"}}\n",
            "{\"id\": 6, \"text\": \"unterminated\n",
            "{\"id\": 7, \"id\": 8, \"text\": \"two ids\"}\n",
            "\"just a string\"\n",
        )
        .as_bytes(),
    );
    put(
        "batch_lines",
        "err-invalid-utf8",
        b"{\"id\": 1, \"text\": \"caf\xff\"}\n{\"id\": 2, \"text\": \"fine\"}\n",
    );
    let long = format!(
        "{{\"id\": 1, \"text\": \"{}\"}}\n{{\"id\": 2, \"text\": \"{}\"}}\n{{\"id\": 3, \"text\": \"ok\"}}",
        "a ".repeat(150),
        "b ".repeat(300)
    );
    put("batch_lines", "err-over-limits", long.as_bytes());
    put(
        "batch_lines",
        "err-split-bom",
        b"\xEF\xBB{\"id\": 1, \"text\": \"hi\"}\n",
    );
}
