//! The bodies of tactful's fuzz targets, as plain functions.
//!
//! Each `fuzz_targets/<name>.rs` calls the function of the same name here under libFuzzer
//! (`cargo +nightly fuzz run <name>`); the unit tests at the bottom call the same functions
//! over the committed seed corpora (`seeds/<name>/`) on a stable toolchain, so the targets
//! keep compiling and the seeds keep reaching the code they were written for.
//!
//! A target must never panic. Beyond that, each checks what must hold for any input it
//! accepts (the JSON it serializes parses back, a playbook written out reads back equal…).
//! Each returns whether the library accepted the input, which the seed tests check against
//! the seed's name (`ok-*` accepted, `err-*` rejected).
//!
//! Several targets read one input as several fields separated by [`SEP`] (the ASCII record
//! separator, 0x1E), e.g. `customer message SEP draft reply SEP context JSON`.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::io::Read;
use std::sync::OnceLock;
use tactful::model::ModelSet;
use tactful::{Context, Engine, Playbook, Speaker};
use tactful_cli::batch::{self, Limits};

/// Separates the fields of one input.
pub const SEP: u8 = 0x1e;

/// Whether the library accepted an input (returned `Ok`) or refused it with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every call returned `Ok`.
    Accepted,
    /// A call returned an error (a clean refusal, which is fine).
    Rejected,
}

fn outcome<T, E>(r: &Result<T, E>) -> Outcome {
    if r.is_ok() {
        Outcome::Accepted
    } else {
        Outcome::Rejected
    }
}

/// The default engine (embedded playbook and model), built once per process.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .build()
            .expect("the default engine builds")
    })
}

fn fields(data: &[u8]) -> Vec<String> {
    data.split(|&b| b == SEP)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

fn assert_json(json: &str, what: &str) {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
        panic!("{what}: to_json wrote invalid JSON ({e}): {json:?}");
    }
}

/// Parses the context field when there is one: `Ok(None)` when absent, `Err` when invalid.
fn context_field(field: Option<&String>) -> Result<Context, tactful::Error> {
    match field {
        None => Ok(Context::default()),
        Some(json) => Context::from_json(json),
    }
}

/// `text [SEP context JSON]`: the text (UTF-8, lossy) assessed with the context (or the
/// default one); the assessment's JSON must parse.
pub fn assess(data: &[u8]) -> Outcome {
    let f = fields(data);
    let ctx = match context_field(f.get(1)) {
        Ok(c) => c,
        Err(_) => return Outcome::Rejected,
    };
    let r = engine().assess(&f[0], &ctx);
    if let Ok(a) = &r {
        assert_json(&a.to_json(), "assessment");
        // Classify and recommend separately must agree with assess.
        let c = engine()
            .classify(&f[0], &ctx)
            .expect("classify accepts what assess accepted");
        assert_eq!(c.situation, a.situation, "classify and assess disagree");
        engine()
            .recommend(&a.situation, &ctx)
            .expect("recommend accepts what assess produced");
    }
    outcome(&r)
}

/// A context as JSON, then used to assess a fixed message.
pub fn context(data: &[u8]) -> Outcome {
    let json = String::from_utf8_lossy(data);
    let r = Context::from_json(&json).and_then(|ctx| {
        engine().assess(
            "I was charged twice for my order #4411 and nobody answers. Fix it today!",
            &ctx,
        )
    });
    if let Ok(a) = &r {
        assert_json(&a.to_json(), "assessment");
    }
    outcome(&r)
}

/// A playbook accepted by a loader must be written out and read back equal, and build an
/// engine (rules only: the model's categories need not exist in it) that assesses a message.
fn playbook_checks(pb: Playbook) {
    let toml = pb.to_toml();
    let back = Playbook::from_toml_str(&toml)
        .unwrap_or_else(|e| panic!("playbook written as TOML does not read back: {e}\n{toml}"));
    assert_eq!(back, pb, "playbook changed through TOML");
    let json = pb.to_json();
    let back = Playbook::from_json_str(&json)
        .unwrap_or_else(|e| panic!("playbook written as JSON does not read back: {e}\n{json}"));
    assert_eq!(back, pb, "playbook changed through JSON");
    if let Ok(engine) = Engine::builder().playbook(pb).rules_only(true).build() {
        let _ = engine.assess(
            "My parcel never arrived and I want a refund.",
            &Context::default(),
        );
    }
}

/// A playbook as TOML (UTF-8, lossy).
pub fn playbook_toml(data: &[u8]) -> Outcome {
    let r = Playbook::from_toml_str(&String::from_utf8_lossy(data));
    let o = outcome(&r);
    if let Ok(pb) = r {
        playbook_checks(pb);
    }
    o
}

/// A playbook as JSON (UTF-8, lossy).
pub fn playbook_json(data: &[u8]) -> Outcome {
    let r = Playbook::from_json_str(&String::from_utf8_lossy(data));
    let o = outcome(&r);
    if let Ok(pb) = r {
        playbook_checks(pb);
    }
    o
}

/// FNV-1a 64, the model file's checksum (`crates/tactful/src/situation/model/format.rs`).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The input with its last 8 bytes replaced by the checksum of the rest, so that mutations
/// get past the checksum into the parser (`None` when there are not 8 bytes).
pub fn fix_checksum(data: &[u8]) -> Option<Vec<u8>> {
    let body = data.len().checked_sub(8)?;
    let mut v = data.to_vec();
    let sum = fnv1a64(&v[..body]);
    v[body..].copy_from_slice(&sum.to_le_bytes());
    Some(v)
}

/// Model bytes, parsed as given and again with the checksum fixed up; a model that parses
/// predicts, and builds an engine (with the default playbook) when its categories exist
/// there, which then assesses.
pub fn model(data: &[u8]) -> Outcome {
    let raw = ModelSet::from_bytes(data);
    let mut o = outcome(&raw);
    if let Some(fixed) = fix_checksum(data) {
        let r = ModelSet::from_bytes(&fixed);
        if let Ok(m) = &r {
            let out = m.predict("I was charged twice, refund me now!!! 😡 #4411");
            let _ = format!("{out:?}");
            let _ = m.predict("");
            if let Ok(engine) = Engine::builder().model_bytes(fixed).build() {
                let a = engine
                    .assess(
                        "Where is my parcel? It was due on Monday.",
                        &Context::default(),
                    )
                    .expect("an engine with a model assesses a plain message");
                assert_json(&a.to_json(), "assessment");
            }
        }
        if raw.is_err() {
            o = outcome(&r);
        }
    }
    o
}

/// `customer message SEP draft reply [SEP context JSON]`: the draft reviewed against the
/// message; the review's JSON must parse and its score stay within 0..=100.
pub fn review(data: &[u8]) -> Outcome {
    let f = fields(data);
    let (Some(customer), Some(draft)) = (f.first(), f.get(1)) else {
        // One field: the empathy mechanisms of a text alone.
        return outcome(&engine().empathy_mechanisms(&f[0]));
    };
    let ctx = match context_field(f.get(2)) {
        Ok(c) => c,
        Err(_) => return Outcome::Rejected,
    };
    let r = engine().review_reply(customer, draft, &ctx);
    if let Ok(rev) = &r {
        assert!(rev.score <= 100, "review score {} above 100", rev.score);
        assert_json(&rev.to_json(), "review");
    }
    outcome(&r)
}

/// Turns separated by [`SEP`]: each starts with `c` (customer) or `a` (agent; anything else
/// is a customer turn), optionally `@<seconds> ` as its timestamp, then the text. Every turn
/// is pushed; a refused turn must leave the conversation as it was. `Accepted` when every
/// turn was accepted.
pub fn conversation(data: &[u8]) -> Outcome {
    let mut conv = tactful::Conversation::new(engine().clone(), Context::default());
    let mut o = Outcome::Accepted;
    for turn in fields(data) {
        let (speaker, rest) = match turn.as_bytes().first() {
            Some(b'a') => (Speaker::Agent, &turn[1..]),
            Some(b'c') => (Speaker::Customer, &turn[1..]),
            _ => (Speaker::Customer, &turn[..]),
        };
        let (ts, text) = match rest.strip_prefix('@').and_then(|r| r.split_once(' ')) {
            Some((n, text)) => match n.parse::<u64>() {
                Ok(n) => (Some(n), text),
                Err(_) => (None, rest),
            },
            None => (None, rest),
        };
        let before = conv.state().to_json();
        match conv.push(speaker, text, ts) {
            Ok(view) => assert_json(&view.to_json(), "turn view"),
            Err(_) => {
                assert_eq!(
                    conv.state().to_json(),
                    before,
                    "a refused turn changed the state"
                );
                o = Outcome::Rejected;
            }
        }
    }
    assert_json(&conv.state().to_json(), "conversation state");
    o
}

/// The engine `batch_lines` uses: a small input limit (256 bytes), so that texts over the
/// limit and lines over the line cap ([`BATCH_LIMITS`]) are within libFuzzer's reach.
pub fn batch_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .max_input_bytes(256)
            .build()
            .expect("the batch engine builds")
    })
}

/// Small chunks (3 lines, 200 bytes) so that inputs span several; lines over 256 + 256 bytes
/// are over the cap.
pub const BATCH_LIMITS: Limits = Limits {
    chunk: 3,
    chunk_bytes: 200,
    line_slack: 256,
};

/// The members of one JSON object in order, values as written (duplicates kept).
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Members, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = m.next_entry::<String, Box<RawValue>>()? {
                    v.push(entry);
                }
                Ok(Members(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// `tactful batch` over one input file: the bytes go through the CLI's own line handling
/// (`tactful_cli::batch`: byte-order mark, capped line reading, chunks, one row per line),
/// read through a small buffer whose size depends on the input, so lines and the mark span
/// several reads. Checks: exactly one output line per non-blank input line, each a JSON
/// object with an assessment or an error naming its line; an id given once in a line that
/// is a JSON object comes back byte for byte; an over-long line is an error row. `Accepted`
/// when every row is an assessment.
pub fn batch_lines(data: &[u8]) -> Outcome {
    let engine = batch_engine();
    let mut reader = std::io::BufReader::with_capacity(1 + data.len() % 7, data);
    let (bom, not_bom) = batch::read_bom(&mut reader).expect("memory reads");
    let mut reader = std::io::Cursor::new(not_bom).chain(reader);
    let mut out = Vec::new();
    let sum = batch::assess_stream(engine, &mut reader, &mut out, BATCH_LIMITS, &mut |_, _| {})
        .expect("memory reads and writes");
    assert!(sum.stopped.is_none(), "reading memory stopped");

    // What the rows must be, from the input alone.
    let body = if bom { &data[3..] } else { data };
    assert_eq!(bom, data.starts_with(b"\xEF\xBB\xBF"), "byte-order mark");
    let cap = engine.max_input_bytes() + BATCH_LIMITS.line_slack;
    let mut lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    if body.ends_with(b"\n") || body.is_empty() {
        lines.pop();
    }
    let expected: Vec<(usize, &[u8])> = lines
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| l.len() > cap || !l.iter().all(u8::is_ascii_whitespace))
        .collect();

    let text = std::str::from_utf8(&out).expect("rows are UTF-8");
    let rows: Vec<&str> = text.split_terminator('\n').collect();
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "last row unterminated"
    );
    assert_eq!(rows.len(), expected.len(), "one row per non-blank line");
    assert_eq!(sum.rows, rows.len() as u64);
    let mut errors = 0;
    for (row, (line_no, line)) in rows.iter().zip(&expected) {
        let members = serde_json::from_str::<Members>(row)
            .unwrap_or_else(|e| panic!("row of line {line_no} is not a JSON object ({e}): {row}"))
            .0;
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        let is_error = match keys[..] {
            ["id", "assessment"] => false,
            ["id", "line", "error"] => true,
            _ => panic!("line {line_no}: unexpected row shape {keys:?}"),
        };
        if is_error {
            errors += 1;
            assert_eq!(members[1].1.get(), line_no.to_string(), "line number");
            let msg: String = serde_json::from_str(members[2].1.get()).expect("error is a string");
            assert!(msg.starts_with(&format!("line {line_no}: ")), "{msg}");
        }
        let got_id = members[0].1.get();
        if line.len() > cap {
            assert!(
                is_error && got_id == "null",
                "over-long line {line_no}: {row}"
            );
            continue;
        }
        // The id as written, when the line is one JSON object with one `id`.
        let given = std::str::from_utf8(line)
            .ok()
            .and_then(|l| serde_json::from_str::<Members>(l).ok())
            .and_then(|m| {
                let mut ids = m.0.into_iter().filter(|(k, _)| k == "id");
                match (ids.next(), ids.next()) {
                    (Some((_, v)), None) => Some(v),
                    _ => None,
                }
            });
        if let Some(id) = given {
            assert_eq!(got_id, id.get(), "line {line_no}: the id changed");
        }
    }
    assert_eq!(sum.errors, errors, "error count");
    if errors == 0 {
        Outcome::Accepted
    } else {
        Outcome::Rejected
    }
}

#[cfg(test)]
mod tests;
