//! Writes what the Rust engine answers for each case of the given JSON Lines files, in a form
//! a C99 program can read without a JSON parser. tests/c/run.sh runs it at test time; the C and
//! C++ suites then assess the same texts through the C ABI and must get the same answers.
//!
//! One line per case, tab-separated:
//! `id  hex(text)  hex(context JSON or empty)  category emotion urgency stance style approach
//!  empathy  hex(full assessment JSON)`. Hex keeps tabs, newlines and NULs out of the framing.
//!
//! Usage: `cargo run --release -p tactful-ffi --example golden_reference -- FILE.jsonl... > ref.tsv`

use std::fmt::Write as _;
use std::io::Write as _;

fn hex(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = tactful_core::Engine::builder().build()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            eprintln!("golden_reference: skipping missing {file}");
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let case: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{file}:{}: {e}", n + 1))?;
            let id = case["id"].as_str().unwrap_or("").replace(['\t', '\n'], " ");
            let text = case["text"]
                .as_str()
                .ok_or_else(|| format!("{file}:{}: no text", n + 1))?;
            let ctx_json = case
                .get("context")
                .map(|c| c.to_string())
                .unwrap_or_default();
            let ctx = if ctx_json.is_empty() {
                tactful_core::Context::default()
            } else {
                tactful_core::Context::from_json(&ctx_json)?
            };
            let a = engine.assess(text, &ctx)?;
            let s = &a.situation;
            let r = &a.recommendation;
            writeln!(
                out,
                "{id}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                hex(text),
                hex(&ctx_json),
                s.category.label,
                s.emotion.label,
                s.urgency,
                s.stance,
                s.style,
                r.approach,
                r.empathy,
                hex(&a.to_json()),
            )?;
        }
    }
    Ok(())
}
