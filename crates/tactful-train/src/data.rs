//! Reading the shared datasets (JSON Lines) into labeled examples.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The 11 built-in categories (DESIGN.md), in the order of the shipped category head.
pub const CATEGORIES: [&str; 11] = [
    "fraud_security",
    "payment_problem",
    "billing_refund",
    "product_defect",
    "delivery",
    "account_access",
    "cancellation",
    "service_complaint",
    "information_request",
    "feedback",
    "other",
];

/// Reads every JSON object of a `.jsonl` file.
pub fn read_jsonl(path: &Path) -> Result<Vec<Value>, String> {
    let f = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        out.push(v);
    }
    Ok(out)
}

/// `$TACTFUL_DATASETS`, else the given default.
pub fn datasets_dir(arg: Option<&str>) -> PathBuf {
    if let Some(a) = arg {
        return PathBuf::from(a);
    }
    if let Ok(d) = std::env::var("TACTFUL_DATASETS") {
        return PathBuf::from(d);
    }
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/datasets"
    ))
}

pub fn text(v: &Value) -> Option<&str> {
    v.get("text")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
}

pub fn str_field<'a>(v: &'a Value, f: &str) -> Option<&'a str> {
    v.get(f).and_then(Value::as_str)
}

/// A text with a label index, and where it comes from.
#[derive(Debug, Clone)]
pub struct Labeled {
    pub text: String,
    pub label: usize,
    pub source: &'static str,
    /// The original fine-grained label (`source:intent`), e.g. `banking77:card_arrival`.
    pub intent: String,
}

fn cat_index(name: &str) -> Option<usize> {
    CATEGORIES.iter().position(|c| *c == name)
}

/// CLINC150 domains whose rows serve as `other`: assistant chit-chat and household tasks.
/// Travel, commute and work requests are left out: customers of an airline, a car dealer or
/// a payroll service write exactly like that, and teaching the model that a flight is
/// `other` would mislabel their complaints.
const OFF_TOPIC: [&str; 6] = [
    "oos",
    "kitchen_and_dining",
    "home",
    "utility",
    "small_talk",
    "meta",
];

/// MultiDoGO dialogue acts that say nothing about an issue ("hi", "bye", "yes", "no").
const DIALOGUE_ACTS: [&str; 5] = [
    "openinggreeting",
    "closinggreeting",
    "confirmation",
    "rejection",
    "outofdomain",
];

/// Category examples of one split from the permissively licensed sets.
///
/// `other` examples: CLINC150 `oos` and the rows of its off-topic domains (not banking or
/// credit cards); MultiDoGO turns whose only intents are greetings, closings, yes/no or
/// out-of-domain acts (alone, such a turn carries no issue). Unmapped in-domain intents
/// (transfers, orders, bill payment, newsletter) are left out: they are neither a known
/// category nor clearly `other`.
pub fn category_examples(
    dir: &Path,
    split: &str,
    other_acts: bool,
) -> Result<Vec<Labeled>, String> {
    let mut out = Vec::new();
    for (name, src) in [
        ("banking77", "banking77"),
        ("clinc150", "clinc150"),
        ("bitext_customer_support", "bitext"),
        ("multidogo", "multidogo"),
    ] {
        let rows = read_jsonl(&dir.join(name).join(format!("{split}.jsonl")))?;
        for v in &rows {
            let Some(t) = text(v) else { continue };
            let label = match str_field(v, "category") {
                Some(c) => cat_index(c),
                None => match src {
                    "clinc150" => {
                        let domain = str_field(v, "domain").unwrap_or("");
                        let off_topic = std::env::var("TACTFUL_OTHER_DOMAINS").ok();
                        let ok = match off_topic.as_deref() {
                            Some(list) => domain == "oos" || list.split(',').any(|d| d == domain),
                            None => OFF_TOPIC.contains(&domain),
                        };
                        if ok {
                            cat_index("other")
                        } else {
                            None
                        }
                    }
                    "multidogo" if other_acts => {
                        let acts = v.get("label").and_then(Value::as_array);
                        let all_acts = acts.is_some_and(|a| {
                            !a.is_empty()
                                && a.iter()
                                    .all(|l| l.as_str().is_some_and(|s| DIALOGUE_ACTS.contains(&s)))
                        });
                        if all_acts {
                            cat_index("other")
                        } else {
                            None
                        }
                    }
                    _ => None,
                },
            };
            if let Some(label) = label {
                let intent = match v.get("label") {
                    Some(serde_json::Value::String(l)) => l.clone(),
                    Some(serde_json::Value::Array(a)) => a
                        .iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join("+"),
                    _ => String::new(),
                };
                out.push(Labeled {
                    text: t.to_string(),
                    label,
                    source: src,
                    intent: format!("{src}:{intent}"),
                });
            }
        }
    }
    Ok(out)
}

/// GoEmotions rows as (text, distribution over the 7 emotions); rows without a mapped
/// emotion are skipped. Multi-label rows spread their mass evenly.
pub fn emotion_examples(dir: &Path, split: &str) -> Result<Vec<(String, [f32; 7], bool)>, String> {
    let names: Vec<&str> = tactful::Emotion::ALL.iter().map(|e| e.as_str()).collect();
    let rows = read_jsonl(&dir.join("goemotions").join(format!("{split}.jsonl")))?;
    let mut out = Vec::new();
    for v in &rows {
        let Some(t) = text(v) else { continue };
        let Some(list) = v.get("emotions").and_then(Value::as_array) else {
            continue;
        };
        let idx: Vec<usize> = list
            .iter()
            .filter_map(|e| e.as_str().and_then(|s| names.iter().position(|n| *n == s)))
            .collect();
        if idx.is_empty() {
            continue;
        }
        let mut dist = [0f32; 7];
        for &i in &idx {
            dist[i] += 1.0 / idx.len() as f32;
        }
        out.push((t.to_string(), dist, idx.len() == 1));
    }
    Ok(out)
}

/// VADER ground truth rows: (text, valence −1..1, subset).
pub fn sentiment_examples(dir: &Path, split: &str) -> Result<Vec<(String, f32, String)>, String> {
    let rows = read_jsonl(
        &dir.join("vader_ground_truth")
            .join(format!("{split}.jsonl")),
    )?;
    let mut out = Vec::new();
    for v in &rows {
        let (Some(t), Some(l)) = (text(v), v.get("label").and_then(Value::as_f64)) else {
            continue;
        };
        let subset = str_field(v, "subset").unwrap_or("unknown").to_string();
        out.push((t.to_string(), (l / 4.0) as f32, subset));
    }
    Ok(out)
}

/// Rows `(text, label)` and the sorted label set.
pub type Generic = (Vec<(String, String)>, Vec<String>);

/// A user's JSONL: `text_field` + `label_field` (string labels). Returns examples and the
/// label set (sorted, so the output order is stable).
pub fn generic_examples(
    path: &Path,
    text_field: &str,
    label_field: &str,
) -> Result<Generic, String> {
    let rows = read_jsonl(path)?;
    let mut out = Vec::new();
    let mut labels = BTreeMap::new();
    for (i, v) in rows.iter().enumerate() {
        let t = v.get(text_field).and_then(Value::as_str);
        let l = match v.get(label_field) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        match (t, l) {
            (Some(t), Some(l)) if !t.trim().is_empty() && !l.is_empty() => {
                *labels.entry(l.clone()).or_insert(0usize) += 1;
                out.push((t.to_string(), l));
            }
            _ => {
                if i < 3 {
                    eprintln!(
                        "note: {}: row {} has no `{text_field}` or `{label_field}`; skipped",
                        path.display(),
                        i + 1
                    );
                }
            }
        }
    }
    Ok((out, labels.into_keys().collect()))
}

/// Deterministic hash of a text (FNV-1a), for held-out slices.
pub fn text_hash(t: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in t.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One realistic message labeled by the team-lead guideline (`data/situations`,
/// `realistic_seed`, `twcs_dev`): every field is a list of accepted answers, first choice
/// first (empty where the annotators disagreed).
#[derive(Debug, Clone, Default)]
pub struct Situation {
    pub id: String,
    pub text: String,
    pub channel: String,
    pub category: Vec<usize>,
    pub emotion: Vec<usize>,
    pub stance: Vec<usize>,
    pub urgency: Vec<usize>,
    pub style: Vec<usize>,
    pub approach: Vec<String>,
    pub empathy: Vec<String>,
    /// Flags the labels require (`flags`, or `flags_both` for twcs_dev).
    pub flags: Vec<String>,
    /// Flags any annotator gave (`flags_either`; equal to `flags` elsewhere).
    pub flags_either: Vec<String>,
    pub source: &'static str,
}

fn list(v: &Value, field: &str) -> Vec<String> {
    match v.get(field) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The positions in `vocab` of the known `names`, in order.
pub fn indices(names: &[String], vocab: &[&str]) -> Vec<usize> {
    names
        .iter()
        .filter_map(|n| vocab.iter().position(|v| v == n))
        .collect()
}

/// Reads guideline-labeled rows from a JSON Lines file.
pub fn situations(path: &Path, source: &'static str) -> Result<Vec<Situation>, String> {
    let emotions: Vec<&str> = tactful::Emotion::ALL.iter().map(|e| e.as_str()).collect();
    let stances: Vec<&str> = tactful::Stance::ALL.iter().map(|e| e.as_str()).collect();
    let urgencies: Vec<&str> = tactful::Urgency::ALL.iter().map(|e| e.as_str()).collect();
    let styles: Vec<&str> = tactful::Style::ALL.iter().map(|e| e.as_str()).collect();
    let mut out = Vec::new();
    for v in read_jsonl(path)? {
        let Some(t) = text(&v) else { continue };
        let flags = if v.get("flags_both").is_some() {
            list(&v, "flags_both")
        } else {
            list(&v, "flags")
        };
        let flags_either = if v.get("flags_either").is_some() {
            list(&v, "flags_either")
        } else {
            flags.clone()
        };
        out.push(Situation {
            id: str_field(&v, "id").unwrap_or("").to_string(),
            text: t.to_string(),
            channel: str_field(&v, "channel").unwrap_or("").to_string(),
            category: indices(&list(&v, "category"), &CATEGORIES),
            emotion: indices(&list(&v, "emotion"), &emotions),
            stance: indices(&list(&v, "stance"), &stances),
            urgency: indices(&list(&v, "urgency"), &urgencies),
            style: indices(&list(&v, "style"), &styles),
            approach: list(&v, "approach"),
            empathy: list(&v, "empathy"),
            flags,
            flags_either,
            source,
        });
    }
    Ok(out)
}

/// The project's own corpus directory (`data/situations` at the repository root).
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/situations"
    ))
}

/// The project's realistic corpus: `data/situations/train/*.jsonl` (or `test/` for the
/// fixed held-out part, never trained on), in file-name order.
pub fn corpus(split: &str) -> Result<Vec<Situation>, String> {
    let dir = corpus_dir().join(split);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect(),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    files.sort();
    let mut out = Vec::new();
    for f in files {
        out.extend(situations(&f, "corpus")?);
    }
    Ok(out)
}

/// CFPB complaint narratives with a mapped category.
pub fn cfpb(dir: &Path, split: &str) -> Result<Vec<(String, usize)>, String> {
    let rows = read_jsonl(&dir.join("cfpb_complaints").join(format!("{split}.jsonl")))?;
    Ok(rows
        .iter()
        .filter_map(|v| Some((text(v)?.to_string(), cat_index(str_field(v, "category")?)?)))
        .collect())
}
