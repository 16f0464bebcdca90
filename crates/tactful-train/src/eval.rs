//! Evaluation on the dev splits: the model alone (`fit --report`) and the shipped engine
//! (`eval`), with majority-class and rules-only baselines.

use std::fmt::Write as _;
use std::path::Path;

use tactful::model::ModelSet;
use tactful::{Context, Emotion, Engine};

use crate::data::{self, CATEGORIES};
use crate::metrics::{ece, pearson, Report};
use crate::Args;

/// Datasets with a mapped `category` on their dev split, and whether they are trained on.
pub const CATEGORY_SETS: [(&str, bool); 5] = [
    ("banking77", true),
    ("clinc150", true),
    ("bitext_customer_support", true),
    ("multidogo", true),
    ("airline_tweets", false),
];

fn cat_index(name: &str) -> Option<usize> {
    CATEGORIES.iter().position(|c| *c == name)
}

/// (text, gold category index) of the mapped dev rows of a dataset.
pub fn category_dev(dir: &Path, set: &str) -> Result<Vec<(String, usize)>, String> {
    let rows = data::read_jsonl(&dir.join(set).join("dev.jsonl"))?;
    Ok(rows
        .iter()
        .filter_map(|v| {
            let t = data::text(v)?;
            let c = cat_index(data::str_field(v, "category")?)?;
            Some((t.to_string(), c))
        })
        .collect())
}

/// CLINC150 out-of-scope dev texts.
pub fn clinc_oos_dev(dir: &Path) -> Result<Vec<String>, String> {
    let rows = data::read_jsonl(&dir.join("clinc150").join("dev.jsonl"))?;
    Ok(rows
        .iter()
        .filter(|v| data::str_field(v, "label") == Some("oos"))
        .filter_map(|v| data::text(v).map(str::to_string))
        .collect())
}

fn argmax(v: &[f32]) -> usize {
    let mut b = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[b] {
            b = i;
        }
    }
    b
}

fn cat_labels() -> Vec<String> {
    CATEGORIES.iter().map(|c| c.to_string()).collect()
}

fn emo_labels() -> Vec<String> {
    Emotion::ALL
        .iter()
        .map(|e| e.as_str().to_string())
        .collect()
}

/// The headline figures, shared by `fit --report`, `eval` and the regression test.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// (dataset, rows, accuracy, macro-F1)
    pub category: Vec<(String, usize, f64, f64)>,
    pub oos_other_rate: f64,
    pub category_ece: f64,
    pub emotion_macro_f1: f64,
    pub emotion_accuracy: f64,
    pub emotion_ece: f64,
    pub emotion_rows: usize,
    /// (subset, rows, r)
    pub sentiment: Vec<(String, usize, f64)>,
}

fn r4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Figures {
    /// The figures as recorded in `accuracy.json` (rounded to 4 decimals).
    pub fn to_json(&self) -> serde_json::Value {
        let mut cat = serde_json::Map::new();
        for (s, n, acc, f1) in &self.category {
            cat.insert(
                s.clone(),
                serde_json::json!({"rows": n, "accuracy": r4(*acc), "macro_f1": r4(*f1)}),
            );
        }
        let mut sent = serde_json::Map::new();
        for (s, n, r) in &self.sentiment {
            sent.insert(
                s.clone(),
                serde_json::json!({"rows": n, "pearson_r": r4(*r)}),
            );
        }
        let mut o = serde_json::json!({
            "category": cat,
            "clinc_oos_other_rate": r4(self.oos_other_rate),
            "emotion": {"rows": self.emotion_rows, "accuracy": r4(self.emotion_accuracy),
                        "macro_f1": r4(self.emotion_macro_f1), "ece": r4(self.emotion_ece)},
            "sentiment": sent,
        });
        if self.category_ece.is_finite() {
            o["category_ece"] = serde_json::json!(r4(self.category_ece));
        }
        o
    }

    /// `(name, value)` of every higher-is-better figure, for the regression test.
    pub fn checked(&self) -> Vec<(String, f64)> {
        let mut v = Vec::new();
        for (s, _, acc, f1) in &self.category {
            v.push((format!("category.{s}.accuracy"), *acc));
            v.push((format!("category.{s}.macro_f1"), *f1));
        }
        v.push(("clinc_oos_other_rate".into(), self.oos_other_rate));
        v.push(("emotion.macro_f1".into(), self.emotion_macro_f1));
        v.push(("emotion.accuracy".into(), self.emotion_accuracy));
        for (s, _, r) in &self.sentiment {
            v.push((format!("sentiment.{s}.pearson_r"), *r));
        }
        v
    }
}

/// Looks up a dotted path (`category.banking77.macro_f1`) in a recorded figures object.
pub fn recorded(v: &serde_json::Value, path: &str) -> Option<f64> {
    path.split('.').try_fold(v, |cur, p| cur.get(p))?.as_f64()
}

/// Scores the model alone (argmax; abstain at `abstain` for the oos rate).
pub fn model_only(model: &ModelSet, dir: &Path) -> Result<Figures, String> {
    let mut fig = Figures::default();
    let mut calib = Vec::new();
    let pos = |l: &str| model.category_labels().iter().position(|x| x == l);
    for (set, _) in CATEGORY_SETS {
        let rows = category_dev(dir, set)?;
        let mut r = Report::new(cat_labels());
        for (t, g) in &rows {
            let Some(c) = model.predict(t).category else {
                continue;
            };
            let p = argmax(&c.probs);
            let pred = cat_index(&model.category_labels()[p]).unwrap_or(10);
            r.add(*g, pred);
            if set != "airline_tweets" {
                calib.push((c.probs[p], pred == *g));
            }
        }
        println!(
            "{set:<26} rows {:>5}  acc {:.4}  macro-F1 {:.4}",
            r.rows,
            r.accuracy(),
            r.macro_f1()
        );
        if std::env::var_os("TACTFUL_DETAIL").is_some() {
            print!("{}", r.detail());
        }
        fig.category
            .push((set.to_string(), r.rows, r.accuracy(), r.macro_f1()));
    }
    let oos = clinc_oos_dev(dir)?;
    let other = pos("other");
    let hit = oos
        .iter()
        .filter(|t| {
            model.predict(t).category.is_some_and(|c| {
                let p = argmax(&c.probs);
                Some(p) == other || c.probs[p] < 0.40
            })
        })
        .count();
    fig.oos_other_rate = hit as f64 / oos.len().max(1) as f64;
    fig.category_ece = ece(&calib);
    println!(
        "clinc150 oos → other/abstain(0.40): {:.3} of {}   category ECE {:.4}",
        fig.oos_other_rate,
        oos.len(),
        fig.category_ece
    );
    let emo = data::emotion_examples(dir, "dev")?;
    let mut r = Report::new(emo_labels());
    let mut calib = Vec::new();
    for (t, dist, single) in &emo {
        if !single {
            continue;
        }
        let g = argmax(dist);
        if let Some(e) = model.predict(t).emotion {
            let p = argmax(&e.probs);
            r.add(g, p);
            calib.push((e.probs[p], p == g));
        }
    }
    fig.emotion_macro_f1 = r.macro_f1();
    fig.emotion_accuracy = r.accuracy();
    fig.emotion_ece = ece(&calib);
    fig.emotion_rows = r.rows;
    println!(
        "goemotions 7-way (single-label) rows {}  acc {:.4}  macro-F1 {:.4}  ECE {:.4}",
        r.rows, fig.emotion_accuracy, fig.emotion_macro_f1, fig.emotion_ece
    );
    fig.sentiment = sentiment_by_subset(dir, |t| model.predict(t).sentiment.unwrap_or(0.0))?;
    for (s, n, rr) in &fig.sentiment {
        println!("vader {s:<16} rows {n:>5}  r {rr:.4}");
    }
    Ok(fig)
}

fn sentiment_by_subset(
    dir: &Path,
    f: impl Fn(&str) -> f32,
) -> Result<Vec<(String, usize, f64)>, String> {
    let rows = data::sentiment_examples(dir, "dev")?;
    let mut out = Vec::new();
    for subset in [
        "tweets",
        "movie_reviews",
        "amazon_reviews",
        "nyt_editorials",
    ] {
        let (mut p, mut g) = (Vec::new(), Vec::new());
        for (t, y, s) in &rows {
            if s == subset {
                p.push(f(t));
                g.push(*y);
            }
        }
        out.push((subset.to_string(), p.len(), pearson(&p, &g)));
    }
    Ok(out)
}

/// `fit --train … --dev FILE`: accuracy of a custom model on the user's dev file.
pub fn generic_dev(
    model: &ModelSet,
    path: &Path,
    text_field: &str,
    label_field: &str,
) -> Result<(), String> {
    let (rows, _) = data::generic_examples(path, text_field, label_field)?;
    let labels = model.category_labels().to_vec();
    let mut r = Report::new(labels.clone());
    let mut unknown = 0;
    for (t, l) in &rows {
        let Some(g) = labels.iter().position(|x| x == l) else {
            unknown += 1;
            continue;
        };
        if let Some(c) = model.predict(t).category {
            r.add(g, argmax(&c.probs));
        }
    }
    println!(
        "{}: rows {}  accuracy {:.4}  macro-F1 {:.4}{}",
        path.display(),
        r.rows,
        r.accuracy(),
        r.macro_f1(),
        if unknown > 0 {
            format!("  ({unknown} rows with labels unseen in training skipped)")
        } else {
            String::new()
        }
    );
    print!("{}", r.detail());
    Ok(())
}

/// `tactful-train eval`.
pub fn run(a: &Args) -> Result<(), String> {
    let dir = data::datasets_dir(a.get("data"));
    let (engine, rules) = engines(a)?;
    let ctx = Context::default();
    let mut md = String::new();
    let _ = writeln!(
        md,
        "<!-- written by `tactful-train eval`; do not edit by hand -->"
    );
    let _ = writeln!(
        md,
        "Realistic yardsticks: agreement with the team-lead labels (`../shared/labeling.md`), \
         a prediction being right when it is one of the accepted answers; twcs_dev with the \
         context `{{\"channel\": \"social\"}}` as its README says, the others with each \
         row's own channel. The corpus's held-out part and the golden cases were never trained on.\n"
    );
    md.push_str(&realistic(a)?);
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "Dev splits, `cargo run --release -p tactful-train -- eval --data ../shared/datasets`. \
         \"engine\" is `Engine::default().classify` (one model reading the words with every rule \
         cue as its inputs; `other` when it reads the message as off-topic); macro-F1 is over the categories present in each set's gold labels. \
         Embedded model: {} bytes.\n",
        tactful::model::embedded_model().map_or(0, |m| m.size_bytes())
    );
    let _ = writeln!(
        md,
        "| dev set | rows | engine accuracy | engine macro-F1 | rules-only macro-F1 | majority macro-F1 |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    let mut engine_cat = serde_json::Map::new();
    for (set, trained) in CATEGORY_SETS {
        let rows = category_dev(&dir, set)?;
        let mut full = Report::new(cat_labels());
        let mut base = Report::new(cat_labels());
        let mut maj = Report::new(cat_labels());
        let mut count = [0usize; 11];
        for (_, g) in &rows {
            count[*g] += 1;
        }
        let majority = argmax(&count.map(|c| c as f32));
        for (t, g) in &rows {
            let label = |e: &Engine| {
                e.classify(t, &ctx)
                    .ok()
                    .and_then(|c| cat_index(&c.situation.category.label))
                    .unwrap_or(10)
            };
            full.add(*g, label(&engine));
            base.add(*g, label(&rules));
            maj.add(*g, majority);
        }
        println!(
            "== {set} (dev{}) rows {}",
            if trained { "" } else { ", never trained on" },
            full.rows
        );
        for (name, r) in [("engine", &full), ("rules-only", &base), ("majority", &maj)] {
            println!(
                "  {name:<11} accuracy {:.4}  macro-F1 {:.4}",
                r.accuracy(),
                r.macro_f1()
            );
        }
        println!("  engine per label:");
        print!("{}", full.detail());
        println!("  rules-only per label:");
        print!("{}", base.detail());
        engine_cat.insert(
            set.into(),
            serde_json::json!({"rows": full.rows, "accuracy": r4(full.accuracy()), "macro_f1": r4(full.macro_f1())}),
        );
        let _ = writeln!(
            md,
            "| {set}{} | {} | {:.3} | **{:.3}** | {:.3} | {:.3} |",
            if trained { "" } else { " (never trained on)" },
            full.rows,
            full.accuracy(),
            full.macro_f1(),
            base.macro_f1(),
            maj.macro_f1()
        );
    }
    // Out-of-scope CLINC rows: the engine abstains (or says `other`) — the playbook threshold
    // is applied inside the engine, so `other` is the only thing to count.
    let oos = clinc_oos_dev(&dir)?;
    let oos_rate = |e: &Engine| {
        oos.iter()
            .filter(|t| {
                e.classify(t, &ctx)
                    .is_ok_and(|c| &*c.situation.category.label == "other")
            })
            .count() as f64
            / oos.len().max(1) as f64
    };
    let (oos_engine, oos_rules) = (oos_rate(&engine), oos_rate(&rules));
    println!("== clinc150 out-of-scope (dev) rows {}: engine → other {oos_engine:.3}; rules-only {oos_rules:.3}", oos.len());

    let emo = data::emotion_examples(&dir, "dev")?;
    let mut er = Report::new(emo_labels());
    let mut eb = Report::new(emo_labels());
    let mut em = Report::new(emo_labels());
    let mut calib = Vec::new();
    for (t, dist, single) in &emo {
        if !single {
            continue;
        }
        let g = argmax(dist);
        let e = |en: &Engine| en.classify(t, &ctx).ok().map(|c| c.situation.emotion);
        if let Some(x) = e(&engine) {
            let p = x.label.code() as usize;
            er.add(g, p);
            calib.push((x.confidence as f32, p == g));
        }
        if let Some(x) = e(&rules) {
            eb.add(g, x.label.code() as usize);
        }
        em.add(g, Emotion::Positive.code() as usize);
    }
    println!("== goemotions 7-way, single-label dev rows {}", er.rows);
    for (name, r) in [("engine", &er), ("rules-only", &eb), ("majority", &em)] {
        println!(
            "  {name:<11} accuracy {:.4}  macro-F1 {:.4}",
            r.accuracy(),
            r.macro_f1()
        );
    }
    print!("{}", er.detail());
    let emo_ece = ece(&calib);
    println!("  engine emotion ECE {emo_ece:.4}");

    let sent = |e: &Engine| {
        sentiment_by_subset(&dir, |t| {
            e.classify(t, &ctx)
                .map_or(0.0, |c| c.situation.sentiment as f32)
        })
    };
    let (se, sr) = (sent(&engine)?, sent(&rules)?);
    println!("== sentiment (VADER human ratings, dev): Pearson r");
    for ((s, n, r), (_, _, rb)) in se.iter().zip(&sr) {
        println!("  {s:<16} rows {n:>5}  engine {r:.4}  rules-only {rb:.4}");
    }

    let _ = writeln!(md);
    let _ = writeln!(md, "| other measures (dev) | rows | engine | rules-only |");
    let _ = writeln!(md, "|---|---:|---:|---:|");
    let _ = writeln!(
        md,
        "| CLINC150 out-of-scope → `other` (or abstain) | {} | {oos_engine:.3} | {oos_rules:.3} |",
        oos.len()
    );
    let _ = writeln!(
        md,
        "| GoEmotions 7-way macro-F1 (single-label rows) | {} | {:.3} | {:.3} |",
        er.rows,
        er.macro_f1(),
        eb.macro_f1()
    );
    for ((s, n, r), (_, _, rb)) in se.iter().zip(&sr) {
        let _ = writeln!(
            md,
            "| sentiment Pearson r, VADER {s} | {n} | {r:.3} | {rb:.3} |"
        );
    }
    let _ = writeln!(
        md,
        "| emotion expected calibration error | {} | {emo_ece:.3} | |",
        er.rows
    );

    let model = model_of(a)?;
    let mut record = serde_json::Map::new();
    if let Some(m) = model {
        println!("== the model alone (argmax of each head, no rules, no abstention except the oos rate at 0.40)");
        let f = model_only(&m, &dir)?;
        let _ = writeln!(md, "| category expected calibration error, model alone (pooled trained dev sets) | | {:.3} | |", f.category_ece);
        record.insert("model".into(), f.to_json());
    }
    let engine_fig = Figures {
        category: Vec::new(),
        oos_other_rate: oos_engine,
        category_ece: f64::NAN,
        emotion_macro_f1: er.macro_f1(),
        emotion_accuracy: er.accuracy(),
        emotion_ece: emo_ece,
        emotion_rows: er.rows,
        sentiment: se.clone(),
    };
    let mut ej = engine_fig.to_json();
    if let Some(o) = ej.as_object_mut() {
        o.insert("category".into(), serde_json::Value::Object(engine_cat));
    }
    record.insert("engine".into(), ej);
    if let Some(path) = a.get("record") {
        let text = serde_json::to_string_pretty(&serde_json::Value::Object(record))
            .map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{path}: {e}"))?;
        println!("wrote {path}");
    }
    if let Some(path) = a.get("write") {
        std::fs::write(path, &md).map_err(|e| format!("{path}: {e}"))?;
        println!("wrote {path}");
    }
    Ok(())
}

/// The model of `--model FILE`, else the embedded one.
fn model_of(a: &Args) -> Result<Option<std::sync::Arc<ModelSet>>, String> {
    match a.get("model") {
        Some(p) => {
            let b = std::fs::read(p).map_err(|e| format!("{p}: {e}"))?;
            Ok(Some(std::sync::Arc::new(
                ModelSet::from_bytes(&b).map_err(|e| e.to_string())?,
            )))
        }
        None => Ok(tactful::model::embedded_model()),
    }
}

/// The engine of `--model FILE` (else the embedded one) and the rules alone.
fn engines(a: &Args) -> Result<(Engine, Engine), String> {
    let engine = match a.get("model") {
        Some(m) => Engine::builder()
            .model_path(m)
            .build()
            .map_err(|e| e.to_string())?,
        None => Engine::default(),
    };
    let rules = Engine::builder()
        .rules_only(true)
        .build()
        .map_err(|e| e.to_string())?;
    Ok((engine, rules))
}

/// The realistic yardsticks, engine beside rules-only: twcs_dev (social context, as its
/// README says), the corpus's held-out part, the golden cases and CFPB dev narratives.
/// Returns the Markdown table.
pub fn realistic(a: &Args) -> Result<String, String> {
    use crate::realistic::{agreement, FIELDS};
    use tactful::Channel;
    let dir = data::datasets_dir(a.get("data"));
    let (engine, rules) = engines(a)?;
    let mut md = String::new();
    let _ = write!(md, "| realistic set | rows |");
    for f in FIELDS {
        let _ = write!(md, " {f} |");
    }
    let _ = writeln!(md, " category macro-F1 | vulnerable recall |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut sets: Vec<(&str, Vec<data::Situation>)> = Vec::new();
    let twcs = dir.join("twcs_dev").join("dev.jsonl");
    if twcs.exists() {
        sets.push((
            "twcs_dev (measure only)",
            data::situations(&twcs, "twcs_dev")?,
        ));
    } else {
        println!("SKIPPED twcs_dev: {} not found", twcs.display());
    }
    sets.push((
        "corpus held-out (data/situations/test)",
        data::corpus("test")?,
    ));
    let golden = data::corpus_dir().join("../../tests/golden/realistic.jsonl");
    if golden.exists() {
        sets.push((
            "golden realistic (tests/golden/realistic.jsonl)",
            golden_rows(&golden)?,
        ));
    }
    let model = model_of(a)?;
    for (name, rows) in &sets {
        let e = agreement(&engine, rows, Channel::Social);
        let r = agreement(&rules, rows, Channel::Social);
        println!("== {name}: {} rows", rows.len());
        println!("  engine      {}", e.line());
        println!("  rules-only  {}", r.line());
        if a.has("detail") {
            if let Some(rep) = &e.category {
                print!("{}", rep.detail());
            }
            if let Some(m) = &model {
                let (mut n, mut ok, mut ne, mut oke) = (0, 0, 0, 0);
                for r in rows {
                    let out = m.predict(&r.text);
                    if let (Some(h), false) = (&out.approach, r.approach.is_empty()) {
                        n += 1;
                        ok += usize::from(
                            r.approach
                                .iter()
                                .any(|x| x == tactful::Approach::ALL[argmax(&h.probs)].as_str()),
                        );
                    }
                    if let (Some(h), false) = (&out.empathy, r.empathy.is_empty()) {
                        ne += 1;
                        oke += usize::from(
                            r.empathy
                                .iter()
                                .any(|x| x == tactful::Empathy::ALL[argmax(&h.probs)].as_str()),
                        );
                    }
                }
                println!(
                    "  model alone: approach {:.3} ({n}), empathy {:.3} ({ne})",
                    ok as f64 / n.max(1) as f64,
                    oke as f64 / ne.max(1) as f64
                );
            }
        }
        let _ = writeln!(md, "{}", e.md_row(&format!("{name}, engine")));
        let _ = writeln!(md, "{}", r.md_row(&format!("{name}, rules only")));
    }
    // Calibration of each softmax head on the corpus's held-out part (never trained on):
    // expected calibration error of the top answer's probability, right when accepted.
    if let Some(m) = model {
        let held = data::corpus("test")?;
        let mut cal: [Vec<(f32, bool)>; 5] = Default::default();
        for r in &held {
            let out = m.predict(&r.text);
            let heads = [
                (&out.category, &r.category),
                (&out.emotion, &r.emotion),
                (&out.stance, &r.stance),
                (&out.urgency, &r.urgency),
                (&out.style, &r.style),
            ];
            for (c, (head, gold)) in cal.iter_mut().zip(heads) {
                if let (Some(h), false) = (head, gold.is_empty()) {
                    let best = argmax(&h.probs);
                    c.push((h.probs[best], gold.contains(&best)));
                }
            }
        }
        let names = ["category", "emotion", "stance", "urgency", "style"];
        let line: Vec<String> = names
            .iter()
            .zip(&cal)
            .map(|(n, c)| format!("{n} {:.3}", ece(c)))
            .collect();
        println!(
            "== calibration, model alone, corpus held-out ({} rows): ECE {}",
            held.len(),
            line.join(", ")
        );
        let _ = writeln!(
            md,
            "\nExpected calibration error of each head's top probability, model alone, on the \
             corpus's held-out part ({} rows; 15 bins): {}.",
            held.len(),
            line.join(", ")
        );
    }
    let cfpb = dir.join("cfpb_complaints").join("dev.jsonl");
    if cfpb.exists() {
        let rows = data::cfpb(&dir, "dev")?;
        let ctx = Context::default();
        let mut rep = [Report::new(cat_labels()), Report::new(cat_labels())];
        for (t, g) in &rows {
            for (e, r) in [&engine, &rules].into_iter().zip(rep.iter_mut()) {
                let p = e
                    .classify(t, &ctx)
                    .ok()
                    .and_then(|c| cat_index(&c.situation.category.label))
                    .unwrap_or(10);
                r.add(*g, p);
            }
        }
        println!(
            "== cfpb_complaints dev (mapped rows {}): category macro-F1 engine {:.3}, rules-only {:.3}; accuracy {:.3} / {:.3}",
            rows.len(),
            rep[0].macro_f1(),
            rep[1].macro_f1(),
            rep[0].accuracy(),
            rep[1].accuracy()
        );
        if a.has("detail") {
            print!("{}", rep[0].detail());
        }
        let _ = writeln!(
            md,
            "\n| cfpb_complaints dev, mapped rows | {} | engine macro-F1 **{:.3}** (accuracy {:.3}) | rules only {:.3} |",
            rows.len(),
            rep[0].macro_f1(),
            rep[0].accuracy(),
            rep[1].macro_f1()
        );
    } else {
        println!("SKIPPED cfpb_complaints: {} not found", cfpb.display());
    }
    Ok(md)
}

/// Golden cases (`expect` fields as a string or a list of accepted answers) as rows.
fn golden_rows(path: &Path) -> Result<Vec<data::Situation>, String> {
    let emotions: Vec<&str> = Emotion::ALL.iter().map(|e| e.as_str()).collect();
    let stances: Vec<&str> = tactful::Stance::ALL.iter().map(|e| e.as_str()).collect();
    let urgencies: Vec<&str> = tactful::Urgency::ALL.iter().map(|e| e.as_str()).collect();
    let list = |v: &serde_json::Value, f: &str| -> Vec<String> {
        match v.get(f) {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let idx = |names: Vec<String>, vocab: &[&str]| -> Vec<usize> {
        names
            .iter()
            .filter_map(|n| vocab.iter().position(|v| v == n))
            .collect()
    };
    let mut out = Vec::new();
    for v in data::read_jsonl(path)? {
        let Some(t) = data::text(&v) else { continue };
        let e = v.get("expect").cloned().unwrap_or_default();
        let channel = v
            .get("context")
            .and_then(|c| c.get("channel"))
            .and_then(|c| c.as_str())
            .unwrap_or("")
            .to_string();
        out.push(data::Situation {
            id: data::str_field(&v, "id").unwrap_or("").to_string(),
            text: t.to_string(),
            channel,
            category: idx(list(&e, "category"), &CATEGORIES),
            emotion: idx(list(&e, "emotion"), &emotions),
            stance: idx(list(&e, "stance"), &stances),
            urgency: idx(list(&e, "urgency"), &urgencies),
            style: Vec::new(),
            approach: list(&e, "approach"),
            empathy: list(&e, "empathy"),
            flags: list(&e, "flags"),
            flags_either: list(&e, "flags"),
            source: "golden",
        });
    }
    Ok(out)
}
