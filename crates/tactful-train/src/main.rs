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
        Some("speed") => Args::parse(&raw[1..]).and_then(|a| speed(&a)),
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
            bits: a.num("bits", 14u8)?,
            char_min: a.num("char-min", 3u8)?,
            char_max: a.num("char-max", 4u8)?,
            bigrams: a.num("bigrams", 1u8)? == 1,
            lexicon: a.num("lexicon", 1u8)? == 1,
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
                l2: a.num("emo-l2", 1e-3f32)?,
                seed: seed + 1,
            },
            sentiment: Options {
                epochs: a.num("sent-epochs", 15usize)?,
                lr: a.num("sent-lr", 0.1f32)?,
                l2: a.num("sent-l2", 1e-2f32)?,
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

/// What a softmax head is trained on.
struct HeadData<'a> {
    name: &'a str,
    labels: Vec<String>,
    /// Output groups and the group of each label (empty: no grouping).
    groups: Vec<String>,
    group_of: Vec<u16>,
    texts: Vec<&'a str>,
    /// Distribution over `labels` per text.
    targets: Vec<Vec<f32>>,
    /// The gold output (group when grouped) for calibration, when the row has a single one.
    hard: Vec<Option<usize>>,
    weights: Vec<f32>,
}

/// Trains a calibrated softmax head: fit on 90 %, temperature on the held-out 10 %, then
/// refit on everything with the same options and keep that temperature.
fn fit_softmax_head(d: HeadData<'_>, config: &FeatureConfig, opt: Options) -> HeadSpec {
    let k = d.labels.len();
    let buckets = config.buckets();
    let held: Vec<bool> = d.texts.iter().map(|t| text_hash(t) % 10 == 0).collect();
    let tr: Vec<usize> = (0..d.texts.len()).filter(|&i| !held[i]).collect();
    let x_tr = Featurized::new(config, tr.iter().map(|&i| d.texts[i]));
    let t_tr: Vec<Vec<f32>> = tr.iter().map(|&i| d.targets[i].clone()).collect();
    let w_tr: Vec<f32> = tr.iter().map(|&i| d.weights[i]).collect();
    let m = train::train_softmax(&x_tr, &t_tr, &w_tr, k, buckets, opt);
    let ho: Vec<usize> = (0..d.texts.len())
        .filter(|&i| held[i] && d.hard[i].is_some())
        .collect();
    let x_ho = Featurized::new(config, ho.iter().map(|&i| d.texts[i]));
    let mut logits = Vec::new();
    for j in 0..ho.len() {
        let mut l = vec![0.0; k];
        m.logits(&x_ho, j, &mut l);
        logits.push(l);
    }
    let y: Vec<usize> = ho.iter().filter_map(|&i| d.hard[i]).collect();
    let group_of: Option<&[u16]> = if d.groups.is_empty() {
        None
    } else {
        Some(&d.group_of)
    };
    let temperature = train::fit_temperature(&logits, &y, group_of);
    eprintln!(
        "  {}: temperature {temperature:.3} from {} held-out rows",
        d.name,
        ho.len()
    );
    let x_all = Featurized::new(config, d.texts.iter().copied());
    let m = train::train_softmax(&x_all, &d.targets, &d.weights, k, buckets, opt);
    HeadSpec {
        name: d.name.into(),
        kind: HeadKind::Softmax,
        labels: d.labels,
        groups: d.groups,
        group_of: d.group_of,
        temperature,
        bias: m.b,
        dense: if config.lexicon { m.d } else { Vec::new() },
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
    // Fine labels: the datasets' own intents (all `other` rows share one), grouped into
    // the 11 categories.
    let mut fine: Vec<String> = Vec::new();
    let mut group_of: Vec<u16> = Vec::new();
    let mut y = Vec::with_capacity(cat.len());
    for e in &cat {
        let key = if CATEGORIES[e.label] == "other" {
            "other".to_string()
        } else {
            e.intent.clone()
        };
        let i = match fine.iter().position(|f| *f == key) {
            Some(i) => i,
            None => {
                fine.push(key);
                group_of.push(e.label as u16);
                fine.len() - 1
            }
        };
        y.push(i);
    }
    eprintln!("  {} rows, {} intents", cat.len(), fine.len());
    let nf = fine.len();
    let category = fit_softmax_head(
        HeadData {
            name: "category",
            labels: fine,
            groups: CATEGORIES.iter().map(|c| c.to_string()).collect(),
            group_of,
            texts: cat.iter().map(|e| e.text.as_str()).collect(),
            targets: y.iter().map(|&l| one_hot(l, nf)).collect(),
            hard: labels.iter().map(|&l| Some(l)).collect(),
            weights: weights.clone(),
        },
        &s.config,
        s.category,
    );

    if a.has("fine") {
        return fine_experiment(a, &s, &cat, &weights, &dir);
    }
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
    if let Some(only) = a.get("only") {
        return only_head(only, &s, &dir);
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
        HeadData {
            name: "emotion",
            labels: tactful::Emotion::ALL
                .iter()
                .map(|e| e.as_str().to_string())
                .collect(),
            groups: vec![],
            group_of: vec![],
            texts,
            targets,
            hard,
            weights,
        },
        &s.config,
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
        groups: vec![],
        group_of: vec![],
        temperature: 1.0,
        bias: m.b,
        dense: if s.config.lexicon { m.d } else { Vec::new() },
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
        bits: a.num("bits", 16u8)?,
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
        HeadData {
            name: "category",
            labels,
            groups: vec![],
            group_of: vec![],
            texts,
            targets,
            hard,
            weights,
        },
        &config,
        opt,
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

/// Experiment: softmax over fine-grained intents, summed into categories.
fn fine_experiment(
    a: &Args,
    s: &Shipped,
    cat: &[data::Labeled],
    weights: &[f32],
    dir: &Path,
) -> Result<(), String> {
    let mut fine: Vec<String> = Vec::new();
    let mut fine_cat: Vec<usize> = Vec::new();
    let mut y = Vec::new();
    for e in cat {
        // Rare fine labels (multi-intent turns) fold into their category.
        let key = if e.label == 10 {
            "other".to_string()
        } else {
            e.intent.clone()
        };
        let i = match fine.iter().position(|f| *f == key) {
            Some(i) => i,
            None => {
                fine.push(key);
                fine_cat.push(e.label);
                fine.len() - 1
            }
        };
        y.push(i);
    }
    let k = fine.len();
    eprintln!("{k} fine labels");
    let x = Featurized::new(&s.config, cat.iter().map(|e| e.text.as_str()));
    let targets: Vec<Vec<f32>> = y.iter().map(|&l| one_hot(l, k)).collect();
    let _ = a;
    let m = train::train_softmax(&x, &targets, weights, k, s.config.buckets(), s.category);
    for set in [
        "banking77",
        "clinc150",
        "bitext_customer_support",
        "multidogo",
        "airline_tweets",
    ] {
        let rows = eval::category_dev(dir, set)?;
        let xd = Featurized::new(&s.config, rows.iter().map(|r| r.0.as_str()));
        let mut r = metrics::Report::new(CATEGORIES.iter().map(|c| c.to_string()).collect());
        let mut l = vec![0.0; k];
        for (i, (_, g)) in rows.iter().enumerate() {
            m.logits(&xd, i, &mut l);
            train::softmax_in_place(&mut l, 1.0);
            let mut p = [0f32; 11];
            for (j, v) in l.iter().enumerate() {
                p[fine_cat[j]] += v;
            }
            let mut b = 0;
            for j in 0..11 {
                if p[j] > p[b] {
                    b = j;
                }
            }
            r.add(*g, b);
        }
        println!("{set:<26} macro-F1 {:.4}", r.macro_f1());
    }
    Ok(())
}

/// `tactful-train speed [--model FILE]`: best-of-31 time of `ModelSet::predict` and of
/// `Engine::assess` on an 80-byte message (a rough check; criterion benches are in benches/).
fn speed(a: &Args) -> Result<(), String> {
    let model = match a.get("model") {
        Some(p) => std::sync::Arc::new(
            ModelSet::from_bytes(&std::fs::read(p).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?,
        ),
        None => tactful::model::embedded_model().ok_or("no embedded model")?,
    };
    let text = "Someone used my card abroad and took $900 from my account, please block it now!";
    let time = |f: &dyn Fn()| -> f64 {
        let mut v = Vec::new();
        for _ in 0..31 {
            let t = std::time::Instant::now();
            for _ in 0..2000 {
                f();
            }
            v.push(t.elapsed().as_secs_f64() / 2000.0 * 1e6);
        }
        v.sort_by(|a, b| a.total_cmp(b));
        v[0]
    };
    let m = time(&|| {
        std::hint::black_box(model.predict(std::hint::black_box(text)));
    });
    println!("model.predict ({} bytes): {m:.3} µs", text.len());
    let engine = tactful::Engine::default();
    let rules = tactful::Engine::builder()
        .rules_only(true)
        .build()
        .map_err(|e| e.to_string())?;
    let ctx = tactful::Context::default();
    let e = time(&|| {
        let _ = std::hint::black_box(engine.assess(std::hint::black_box(text), &ctx));
    });
    let r = time(&|| {
        let _ = std::hint::black_box(rules.assess(std::hint::black_box(text), &ctx));
    });
    println!("engine.assess: {e:.3} µs (rules only: {r:.3} µs)");
    Ok(())
}

/// Experiment: train one of the emotion / sentiment heads alone and score it on dev.
fn only_head(which: &str, s: &Shipped, dir: &Path) -> Result<(), String> {
    if which == "sentiment" {
        let sent = data::sentiment_examples(dir, "train")?;
        let x = Featurized::new(&s.config, sent.iter().map(|e| e.0.as_str()));
        let y: Vec<f32> = sent.iter().map(|e| e.1).collect();
        let m =
            train::train_regression(&x, &y, &vec![1.0; y.len()], s.config.buckets(), s.sentiment);
        let dev = data::sentiment_examples(dir, "dev")?;
        let xd = Featurized::new(&s.config, dev.iter().map(|e| e.0.as_str()));
        for subset in [
            "tweets",
            "movie_reviews",
            "amazon_reviews",
            "nyt_editorials",
        ] {
            let (mut p, mut g) = (Vec::new(), Vec::new());
            for (i, e) in dev.iter().enumerate() {
                if e.2 == subset {
                    let mut o = [0.0];
                    m.logits(&xd, i, &mut o);
                    p.push(o[0].clamp(-1.0, 1.0));
                    g.push(e.1);
                }
            }
            print!("{subset} {:.4}  ", metrics::pearson(&p, &g));
        }
        println!("dense {:?}", m.d);
        return Ok(());
    }
    let emo = data::emotion_examples(dir, "train")?;
    let x = Featurized::new(&s.config, emo.iter().map(|e| e.0.as_str()));
    let targets: Vec<Vec<f32>> = emo.iter().map(|e| e.1.to_vec()).collect();
    let main_label: Vec<usize> = emo
        .iter()
        .map(|e| (0..7).fold(0, |b, j| if e.1[j] > e.1[b] { j } else { b }))
        .collect();
    let mut w = balance_weights(&main_label, 7, s.emo_balance);
    if which == "emotion-single" {
        for (wi, e) in w.iter_mut().zip(&emo) {
            if !e.2 {
                *wi = 0.0;
            }
        }
    }
    let m = train::train_softmax(&x, &targets, &w, 7, s.config.buckets(), s.emotion);
    let dev = data::emotion_examples(dir, "dev")?;
    let xd = Featurized::new(&s.config, dev.iter().map(|e| e.0.as_str()));
    let mut r = metrics::Report::new(
        tactful::Emotion::ALL
            .iter()
            .map(|e| e.as_str().to_string())
            .collect(),
    );
    let mut l = vec![0.0; 7];
    for (i, e) in dev.iter().enumerate() {
        if !e.2 {
            continue;
        }
        m.logits(&xd, i, &mut l);
        let p = (0..7).fold(0, |b, j| if l[j] > l[b] { j } else { b });
        let g = (0..7).fold(0, |b, j| if e.1[j] > e.1[b] { j } else { b });
        r.add(g, p);
    }
    println!(
        "emotion macro-F1 {:.4} acc {:.4}",
        r.macro_f1(),
        r.accuracy()
    );
    if std::env::var_os("TACTFUL_DETAIL").is_some() {
        print!("{}", r.detail());
    }
    Ok(())
}
