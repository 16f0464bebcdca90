//! Training and evaluation of tactful's models (the library behind the `tactful-train`
//! binary and its accuracy-regression test).

pub mod data;
pub mod eval;
pub mod metrics;
pub mod realistic;
pub mod train;

use std::collections::BTreeMap;

/// Parsed `--key value` flags.
#[derive(Debug)]
pub struct Args {
    flags: BTreeMap<String, String>,
    switches: Vec<String>,
}

impl Args {
    pub fn parse(raw: &[String]) -> Result<Args, String> {
        let mut flags = BTreeMap::new();
        let mut switches = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            let a = &raw[i];
            let Some(key) = a.strip_prefix("--") else {
                return Err(format!("unexpected argument `{a}`"));
            };
            if matches!(key, "report" | "help" | "detail" | "no-idf") {
                switches.push(key.to_string());
                i += 1;
                continue;
            }
            let v = raw
                .get(i + 1)
                .ok_or_else(|| format!("--{key} needs a value"))?;
            flags.insert(key.to_string(), v.clone());
            i += 2;
        }
        Ok(Args { flags, switches })
    }
    pub fn get(&self, k: &str) -> Option<&str> {
        self.flags.get(k).map(String::as_str)
    }
    pub fn num<T: std::str::FromStr>(&self, k: &str, default: T) -> Result<T, String> {
        match self.get(k) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{k}: `{v}` is not a valid number")),
        }
    }
    pub fn has(&self, k: &str) -> bool {
        self.switches.iter().any(|s| s == k)
    }
}
