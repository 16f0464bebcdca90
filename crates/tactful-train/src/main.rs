//! `tactful-train`: trains and evaluates tactful's models.
//!
//! ```text
//! tactful-train fit  --data ../shared/datasets --out crates/tactful/model/
//! tactful-train fit  --train my.jsonl --label-field intent --out my_model/
//! tactful-train eval --data ../shared/datasets [--write docs/accuracy.md]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tactful::model::{FeatureConfig, HeadKind, HeadSpec, ModelBuilder, ModelSet};

use tactful_train::data::{self, text_hash, CATEGORIES};
use tactful_train::train::{self, Featurized, Options};
use tactful_train::{eval, metrics, Args};

const USAGE: &str = "usage:
  tactful-train fit  [--data DIR] [--out DIR]           train the shipped models (category, emotion, sentiment)
  tactful-train fit  --train FILE.jsonl --label-field FIELD [--text-field text] --out DIR
                                                        train a category model on your own labels
  tactful-train eval [--data DIR] [--model FILE] [--write FILE.md]
                                                        evaluate the shipped engine on the dev splits
options of fit: --bits N (hash buckets 2^N, default 17) --epochs N --lr X --l2 X --seed N --report
The datasets directory defaults to $TACTFUL_DATASETS, else ../shared/datasets beside the repository.";

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let result = match raw.first().map(String::as_str) {
        Some("fit") => Args::parse(&raw[1..]).and_then(|a| fit(&a)),
        Some("eval") => Args::parse(&raw[1..]).and_then(|a| eval::run(&a)),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tactful-train: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The hyper-parameters of the shipped model set (chosen on the dev splits).
struct Shipped {
    config: FeatureConfig,
    category: Options,
    emotion: Options,
    sentiment: Options,
    /// Class-balance exponent: example weight ∝ count(label)^-balance.
    cat_balance: f32,
    emo_balance: f32,
}

impl Shipped {
    fn from_args(a: &Args) -> Result<Shipped, String> {
        let config = FeatureConfig {
            bits: a.num("bits", 17u8)?,
            char_min: a.num("char-min", 3u8)?,
            char_max: a.num("char-max", 4u8)?,
            bigrams: a.num("bigrams", 1u8)? == 1,
        };
        config.validate()?;
        let seed = a.num("seed", 20_261_126u64)?;
        Ok(Shipped {
            config,
            category: Options {
                epochs: a.num("epochs", 20usize)?,
                lr: a.num("lr", 1.0f32)?,
                l2: a.num("l2", 0.0f32)?,
                seed,
            },
            emotion: Options {
                epochs: a.num("emo-epochs", 8usize)?,
                lr: a.num("emo-lr", 0.3f32)?,
                l2: a.num("emo-l2", 1e-4f32)?,
                seed: seed + 1,
            },
            sentiment: Options {
                epochs: a.num("sent-epochs", 15usize)?,
                lr: a.num("sent-lr", 0.1f32)?,
                l2: a.num("sent-l2", 1e-4f32)?,
                seed: seed + 2,
            },
            cat_balance: a.num("cat-balance", 0.5f32)?,
            emo_balance: a.num("emo-balance", 0.5f32)?,
        })
    }
}

fn balance_weights(labels: &[usize], k: usize, exponent: f32) -> Vec<f32> {
    let mut count = vec![0usize; k];
    for &l in labels {
        count[l] += 1;
    }
    let raw: Vec<f32> = labels
        .iter()
        .map(|&l| (count[l] as f32).powf(-exponent))
        .collect();
    let mean = raw.iter().sum::<f32>() / raw.len().max(1) as f32;
    raw.iter().map(|w| w / mean).collect()
}

fn one_hot(l: usize, k: usize) -> Vec<f32> {
    let mut v = vec![0.0; k];
    v[l] = 1.0;
    v
}

/// Trains a calibrated softmax head: fit on 90 %, temperature on the held-out 10 %, then
/// refit on everything with the same options and keep that temperature.
#[allow(clippy::too_many_arguments)] // one call site per head; a struct would only rename them
fn fit_softmax_head(
    name: &str,
    labels: Vec<String>,
    config: &FeatureConfig,
    texts: &[&str],
    targets: &[Vec<f32>],
    hard: &[Option<usize>],
    weights: &[f32],
    opt: Options,
) -> HeadSpec {
    let k = labels.len();
    let buckets = config.buckets();
    let held: Vec<bool> = texts.iter().map(|t| text_hash(t) % 10 == 0).collect();
    let pick =
        |keep: bool| -> Vec<usize> { (0..texts.len()).filter(|&i| held[i] != keep).collect() };
    let tr = pick(true);
    let x_tr = Featurized::new(config, tr.iter().map(|&i| texts[i]));
    let t_tr: Vec<Vec<f32>> = tr.iter().map(|&i| targets[i].clone()).collect();
    let w_tr: Vec<f32> = tr.iter().map(|&i| weights[i]).collect();
    let m = train::train_softmax(&x_tr, &t_tr, &w_tr, k, buckets, opt);
    let ho: Vec<usize> = (0..texts.len())
        .filter(|&i| held[i] && hard[i].is_some())
        .collect();
    let x_ho = Featurized::new(config, ho.iter().map(|&i| texts[i]));
    let mut logits = Vec::new();
    for j in 0..ho.len() {
        let mut l = vec![0.0; k];
        m.logits(&x_ho, j, &mut l);
        logits.push(l);
    }
    let y: Vec<usize> = ho.iter().filter_map(|&i| hard[i]).collect();
    let temperature = train::fit_temperature(&logits, &y);
    eprintln!(
        "  {name}: temperature {temperature:.3} from {} held-out rows",
        ho.len()
    );
    let x_all = Featurized::new(config, texts.iter().copied());
    let m = train::train_softmax(&x_all, targets, weights, k, buckets, opt);
    HeadSpec {
        name: name.into(),
        kind: HeadKind::Softmax,
        labels,
        temperature,
        bias: m.b,
        weights: m.w,
    }
}

fn fit(a: &Args) -> Result<(), String> {
    if a.has("help") {
        println!("{USAGE}");
        return Ok(());
    }
    if let Some(train_file) = a.get("train") {
        return fit_generic(a, Path::new(train_file));
    }
    let dir = data::datasets_dir(a.get("data"));
    let out_dir = PathBuf::from(a.get("out").unwrap_or("crates/tactful/model"));
    let s = Shipped::from_args(a)?;
    let started = std::time::Instant::now();

    eprintln!("category head: reading {}", dir.display());
    let mut cat = data::category_examples(&dir, "train", !a.has("no-acts"))?;
    if let Some(only) = a.get("cat-sources") {
        cat.retain(|e| only.split(',').any(|s| s == e.source));
    }
    let k = CATEGORIES.len();
    let labels: Vec<usize> = cat.iter().map(|e| e.label).collect();
    let mut weights = balance_weights(&labels, k, s.cat_balance);
    let other_weight: f32 = a.num("other-weight", 0.3f32)?;
    for (w, &l) in weights.iter_mut().zip(&labels) {
        if CATEGORIES[l] == "other" {
            *w *= other_weight;
        }
    }
    let texts: Vec<&str> = cat.iter().map(|e| e.text.as_str()).collect();
    let targets: Vec<Vec<f32>> = labels.iter().map(|&l| one_hot(l, k)).collect();
    let hard: Vec<Option<usize>> = labels.iter().map(|&l| Some(l)).collect();
    eprintln!("  {} rows", cat.len());
    let category = fit_softmax_head(
        "category",
        CATEGORIES.iter().map(|c| c.to_string()).collect(),
        &s.config,
        &texts,
        &targets,
        &hard,
        &weights,
        s.category,
    );

    if a.has("cat-only") {
        let model = ModelSet::from_bytes(
            &ModelBuilder::new(s.config)
                .head(category)
                .to_bytes()
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        for set in [
            "banking77",
            "clinc150",
            "bitext_customer_support",
            "multidogo",
            "airline_tweets",
        ] {
            let rows = eval::category_dev(&dir, set)?;
            let mut r = metrics::Report::new(CATEGORIES.iter().map(|c| c.to_string()).collect());
            for (t, g) in &rows {
                if let Some(c) = model.predict(t).category {
                    let mut b = 0;
                    for (i, &x) in c.probs.iter().enumerate() {
                        if x > c.probs[b] {
                            b = i;
                        }
                    }
                    r.add(*g, b);
                }
            }
            println!("{set:<26} macro-F1 {:.4}", r.macro_f1());
            if std::env::var("TACTFUL_DETAIL").is_ok_and(|d| d == set) {
                print!("{}", r.detail());
            }
        }
        let oos = eval::clinc_oos_dev(&dir)?;
        let hit = oos
            .iter()
            .filter(|t| {
                model.predict(t).category.is_some_and(|c| {
                    let m = c.probs.iter().copied().fold(0.0, f32::max);
                    m < 0.4 || c.probs[10] == m
                })
            })
            .count();
        println!("oos → other/abstain {:.3}", hit as f64 / oos.len() as f64);
        return Ok(());
    }
    eprintln!("emotion head");
    let emo = data::emotion_examples(&dir, "train")?;
    let texts: Vec<&str> = emo.iter().map(|e| e.0.as_str()).collect();
    let targets: Vec<Vec<f32>> = emo.iter().map(|e| e.1.to_vec()).collect();
    let hard: Vec<Option<usize>> = emo
        .iter()
        .map(|e| {
            if e.2 {
                e.1.iter().position(|&v| v > 0.5)
            } else {
                None
            }
        })
        .collect();
    let main_label: Vec<usize> = emo
        .iter()
        .map(|e| {
            let mut best = 0;
            for j in 0..7 {
                if e.1[j] > e.1[best] {
                    best = j;
                }
            }
            best
        })
        .collect();
    let weights = balance_weights(&main_label, 7, s.emo_balance);
    eprintln!("  {} rows", emo.len());
    let emotion = fit_softmax_head(
        "emotion",
        tactful::Emotion::ALL
            .iter()
            .map(|e| e.as_str().to_string())
            .collect(),
        &s.config,
        &texts,
        &targets,
        &hard,
        &weights,
        s.emotion,
    );

    eprintln!("sentiment head");
    let sent = data::sentiment_examples(&dir, "train")?;
    let x = Featurized::new(&s.config, sent.iter().map(|e| e.0.as_str()));
    let y: Vec<f32> = sent.iter().map(|e| e.1).collect();
    let w = vec![1.0; y.len()];
    let m = train::train_regression(&x, &y, &w, s.config.buckets(), s.sentiment);
    let sentiment = HeadSpec {
        name: "sentiment".into(),
        kind: HeadKind::Regression,
        labels: vec![],
        temperature: 1.0,
        bias: m.b,
        weights: m.w,
    };

    let bytes = ModelBuilder::new(s.config)
        .head(category)
        .head(emotion)
        .head(sentiment)
        .to_bytes()
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let path = out_dir.join("tactful.model");
    std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1}s",
        path.display(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    if a.has("report") {
        let model = ModelSet::from_bytes(&bytes).map_err(|e| e.to_string())?;
        eval::model_only(&model, &dir)?;
    }
    Ok(())
}

fn fit_generic(a: &Args, path: &Path) -> Result<(), String> {
    let label_field = a
        .get("label-field")
        .ok_or("--label-field is required with --train")?;
    let text_field = a.get("text-field").unwrap_or("text");
    let out_dir = PathBuf::from(a.get("out").ok_or("--out is required")?);
    let (rows, labels) = data::generic_examples(path, text_field, label_field)?;
    if labels.len() < 2 {
        return Err(format!(
            "{} has {} distinct labels in `{label_field}`; a category model needs at least 2",
            path.display(),
            labels.len()
        ));
    }
    let config = FeatureConfig {
        bits: a.num("bits", 17u8)?,
        ..FeatureConfig::default()
    };
    config.validate()?;
    let opt = Options {
        epochs: a.num("epochs", 12usize)?,
        lr: a.num("lr", 0.5f32)?,
        l2: a.num("l2", 0.0f32)?,
        seed: a.num("seed", 20_261_126u64)?,
    };
    let k = labels.len();
    let idx: Vec<usize> = rows
        .iter()
        .map(|(_, l)| labels.iter().position(|x| x == l).unwrap_or(0))
        .collect();
    let texts: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let targets: Vec<Vec<f32>> = idx.iter().map(|&l| one_hot(l, k)).collect();
    let hard: Vec<Option<usize>> = idx.iter().map(|&l| Some(l)).collect();
    let weights = balance_weights(&idx, k, a.num("balance", 0.5f32)?);
    eprintln!("{} rows, {k} labels: {}", rows.len(), labels.join(", "));
    let head = fit_softmax_head(
        "category", labels, &config, &texts, &targets, &hard, &weights, opt,
    );
    let bytes = ModelBuilder::new(config)
        .head(head)
        .to_bytes()
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let out = out_dir.join("tactful.model");
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    if let Some(dev) = a.get("dev") {
        let model = ModelSet::from_bytes(&bytes).map_err(|e| e.to_string())?;
        eval::generic_dev(&model, Path::new(dev), text_field, label_field)?;
    }
    Ok(())
}
