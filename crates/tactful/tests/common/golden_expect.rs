// Shared by review_golden.rs and conversation_golden.rs (included with `mod`; a
// subdirectory so that cargo does not build it as a test target of its own).
//
// Expectations are `key: value` pairs checked against an observed JSON object:
// `KEY_min` / `KEY_max` compare numbers, `KEY_includes` / `KEY_excludes` check list
// membership, any other key must be equal (a JSON `null` matches a missing or null value).

use serde_json::{Map, Value};

pub fn check(expect: &Map<String, Value>, observed: &Map<String, Value>) -> Vec<String> {
    let mut failures = Vec::new();
    for (k, want) in expect {
        let (base, op) = if let Some(b) = k.strip_suffix("_min") {
            (b, "min")
        } else if let Some(b) = k.strip_suffix("_max") {
            (b, "max")
        } else if let Some(b) = k.strip_suffix("_includes") {
            (b, "includes")
        } else if let Some(b) = k.strip_suffix("_excludes") {
            (b, "excludes")
        } else {
            (k.as_str(), "eq")
        };
        let got = observed.get(base).unwrap_or(&Value::Null);
        let ok = match op {
            "min" => match (got.as_f64(), want.as_f64()) {
                (Some(g), Some(w)) => g >= w,
                _ => false,
            },
            "max" => match (got.as_f64(), want.as_f64()) {
                (Some(g), Some(w)) => g <= w,
                _ => false,
            },
            "includes" | "excludes" => {
                let list = got.as_array().cloned().unwrap_or_default();
                let wanted = want
                    .as_array()
                    .cloned()
                    .unwrap_or_else(|| vec![want.clone()]);
                if op == "includes" {
                    wanted.iter().all(|w| list.contains(w))
                } else {
                    wanted.iter().all(|w| !list.contains(w))
                }
            }
            _ => got == want,
        };
        if !ok {
            failures.push(format!("{k}: expected {want}, got {got}"));
        }
    }
    failures
}

pub fn golden_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden")
        .join(name)
}
