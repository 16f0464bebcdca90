//! `tactful-train`: trains and evaluates tactful's models.
//!
//! ```text
//! tactful-train fit  --data ../shared/datasets --out crates/tactful/model/
//! tactful-train fit  --train my.jsonl --label-field intent --out my_model/
//! tactful-train eval --data ../shared/datasets [--write docs/accuracy.md]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tactful::model::internals::{FeatureConfig, HeadKind, HeadSpec, ModelBuilder};
use tactful::model::ModelSet;

use tactful_train::data::{self, text_hash, CATEGORIES};
use tactful_train::train::{self, Featurized, Options, Space};
use tactful_train::{eval, Args};

const USAGE: &str = "usage:
  tactful-train fit  [--data DIR] [--out DIR]           train the shipped models (category, emotion, sentiment)
  tactful-train fit  --train FILE.jsonl --label-field FIELD [--text-field text] --out DIR
                                                        train a category model on your own labels
  tactful-train eval [--data DIR] [--model FILE] [--write FILE.md]
                                                        evaluate the shipped engine on the dev splits
  tactful-train realistic [--data DIR] [--model FILE]   only the realistic yardsticks (twcs_dev, cfpb,
                                                        the corpus's held-out part, the golden cases)
options of fit: --bits N (hash buckets 2^N; 18 for the shipped model, 16 with --train) --keep N (weight rows: the N buckets most texts have; 32768, 0 = every bucket) --no-idf --epochs N --lr X --l2 X --seed N --report
  --social-tokens 0|1 (handles and links as one token each; 1) --stem 0|1 (fold inflections; 0: it cost the out-of-scope check 6 points for no clear gain)
  --balance X (class-balance exponent, example weight ∝ count^-X; 0.25) --balance-<head> X (one head's: category, emotion, stance, urgency, style, approach, empathy)
The datasets directory defaults to $TACTFUL_DATASETS, else ../shared/datasets beside the repository.";

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let result = match raw.first().map(String::as_str) {
        Some("fit") => Args::parse(&raw[1..]).and_then(|a| fit(&a)),
        Some("eval") => Args::parse(&raw[1..]).and_then(|a| eval::run(&a)),
        Some("speed") => Args::parse(&raw[1..]).and_then(|a| speed(&a)),
        Some("realistic") => Args::parse(&raw[1..]).and_then(|a| eval::realistic(&a).map(|_| ())),
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

/// The hyper-parameters of the shipped model set (chosen on the dev splits of the public
/// sets and on the corpus's own train part; never on twcs_dev rows).
struct Shipped {
    config: FeatureConfig,
    /// The feature space the heads train in (set by `fit` once the texts are known).
    space: Space,
    /// Keep only this many feature rows (0: every bucket is a row).
    keep: usize,
    category: Options,
    emotion: Options,
    stance: Options,
    urgency: Options,
    style: Options,
    approach: Options,
    empathy: Options,
    flags: Options,
    sentiment: Options,
    /// Class-balance exponent: example weight ∝ count(label)^-balance.
    balance: f32,
    /// Per-head exponents (`--balance-emotion 0`…) overriding `balance`.
    head_balance: std::collections::BTreeMap<&'static str, f32>,
    /// Weight of a public-set row relative to a realistic one (chatbot one-liners and
    /// Reddit comments are not how customers write to a company).
    public_weight: f32,
    /// Weight of a CFPB narrative relative to a realistic message.
    cfpb_weight: f32,
    /// Extra weight of `other` rows from the public sets (off-topic assistant queries).
    other_weight: f32,
    /// Weight features by inverse document frequency while training (folded into the
    /// exported weights).
    idf: bool,
}

impl Shipped {
    fn from_args(a: &Args) -> Result<Shipped, String> {
        let config = FeatureConfig {
            bits: a.num("bits", 18u8)?,
            char_min: a.num("char-min", 0u8)?,
            char_max: a.num("char-max", 4u8)?,
            bigrams: a.num("bigrams", 1u8)? == 1,
            rules: a.num("rules", 1u8)? == 1,
            social_tokens: a.num("social-tokens", 1u8)? == 1,
            stem: a.num("stem", 0u8)? == 1,
        };
        config.validate()?;
        let seed = a.num("seed", 20_261_126u64)?;
        let opt =
            |prefix: &str, epochs: usize, lr: f32, l2: f32, k: u64| -> Result<Options, String> {
                Ok(Options {
                    epochs: a.num(&format!("{prefix}epochs"), epochs)?,
                    lr: a.num(&format!("{prefix}lr"), lr)?,
                    l2: a.num(&format!("{prefix}l2"), l2)?,
                    seed: seed + k,
                })
            };
        Ok(Shipped {
            config,
            space: Space::plain(config),
            keep: a.num("keep", 32_768usize)?,
            category: opt("", 12, 0.5, 0.0, 0)?,
            emotion: opt("emo-", 12, 0.3, 0.0, 1)?,
            stance: opt("stance-", 12, 0.3, 0.0, 3)?,
            urgency: opt("urg-", 12, 0.3, 0.0, 4)?,
            style: opt("style-", 12, 0.3, 0.0, 5)?,
            approach: opt("approach-", 12, 0.3, 0.0, 7)?,
            empathy: opt("empathy-", 12, 0.3, 0.0, 8)?,
            flags: opt("flags-", 12, 0.3, 0.0, 6)?,
            sentiment: opt("sent-", 15, 0.1, 1e-2, 2)?,
            balance: a.num("balance", 0.25f32)?,
            head_balance: {
                let mut m = std::collections::BTreeMap::new();
                for h in [
                    "category", "emotion", "stance", "urgency", "style", "approach", "empathy",
                ] {
                    if a.get(&format!("balance-{h}")).is_some() {
                        m.insert(h, a.num(&format!("balance-{h}"), 0.25f32)?);
                    }
                }
                m
            },
            public_weight: a.num("public-weight", 0.25f32)?,
            cfpb_weight: a.num("cfpb-weight", 0.5f32)?,
            other_weight: a.num("other-weight", 2.0f32)?,
            idf: !a.has("no-idf"),
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
fn fit_softmax_head(d: HeadData<'_>, space: &Space, opt: Options) -> HeadSpec {
    fit_softmax_head_idf(d, space, opt, false)
}

/// With `idf`, features are weighted by their inverse document frequency in training (TF-IDF
/// style) and the weights are folded back so inference reads plain binary features.
fn fit_softmax_head_idf(d: HeadData<'_>, space: &Space, opt: Options, idf: bool) -> HeadSpec {
    let k = d.labels.len();
    let buckets = space.rows;
    let config = &space.config;
    let mut x_all = Featurized::new(space, d.texts.iter().copied());
    let idf = if idf { x_all.idf(buckets) } else { Vec::new() };
    x_all.idf = idf.clone();
    let held: Vec<bool> = d.texts.iter().map(|t| text_hash(t) % 10 == 0).collect();
    let tr: Vec<usize> = (0..d.texts.len()).filter(|&i| !held[i]).collect();
    let mut x_tr = Featurized::new(space, tr.iter().map(|&i| d.texts[i]));
    x_tr.idf = idf.clone();
    let t_tr: Vec<Vec<f32>> = tr.iter().map(|&i| d.targets[i].clone()).collect();
    let w_tr: Vec<f32> = tr.iter().map(|&i| d.weights[i]).collect();
    let m = train::train_softmax(&x_tr, &t_tr, &w_tr, k, buckets, opt);
    let ho: Vec<usize> = (0..d.texts.len())
        .filter(|&i| held[i] && d.hard[i].is_some())
        .collect();
    let mut x_ho = Featurized::new(space, ho.iter().map(|&i| d.texts[i]));
    x_ho.idf = idf.clone();
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
    let mut m = train::train_softmax(&x_all, &d.targets, &d.weights, k, buckets, opt);
    m.fold_idf(&idf);
    HeadSpec {
        name: d.name.into(),
        kind: HeadKind::Softmax,
        labels: d.labels,
        groups: d.groups,
        group_of: d.group_of,
        temperature,
        bias: m.b,
        dense: if config.rules { m.d } else { Vec::new() },
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
    let mut s = Shipped::from_args(a)?;
    let started = std::time::Instant::now();

    // The realistic rows: the project's corpus (train part only) and the seed it grew from.
    let mut real = data::corpus("train")?;
    real.extend(data::situations(
        &dir.join("realistic_seed").join("train.jsonl"),
        "realistic_seed",
    )?);
    eprintln!("realistic rows: {}", real.len());
    let public = data::category_examples(&dir, "train", true)?;
    let cfpb = data::cfpb(&dir, "train")?;
    let emo = data::emotion_examples(&dir, "train")?;
    let sent = data::sentiment_examples(&dir, "train")?;
    if s.keep > 0 {
        let texts = real
            .iter()
            .map(|r| r.text.as_str())
            .chain(public.iter().map(|e| e.text.as_str()))
            .chain(cfpb.iter().map(|(t, _)| t.as_str()))
            .chain(emo.iter().map(|e| e.0.as_str()))
            .chain(sent.iter().map(|e| e.0.as_str()));
        s.space = Space::select(s.config, texts, s.keep);
        eprintln!(
            "vocabulary: {} feature rows of {}",
            s.space.rows,
            s.config.buckets()
        );
    }

    eprintln!("category head");
    let mut rows: Vec<Row<'_>> = real
        .iter()
        .filter(|r| !r.category.is_empty())
        .map(|r| Row::soft(&r.text, &r.category, 1.0))
        .collect();
    for e in &public {
        let w = s.public_weight * if e.label == 10 { s.other_weight } else { 1.0 };
        rows.push(Row::soft(&e.text, std::slice::from_ref(&e.label), w));
    }
    for (t, l) in &cfpb {
        rows.push(Row::soft(t, std::slice::from_ref(l), s.cfpb_weight));
    }
    let labels: Vec<String> = CATEGORIES.iter().map(|c| c.to_string()).collect();
    let category = fit_rows("category", labels, rows, &s, s.category);

    eprintln!("emotion head");
    let mut rows: Vec<Row<'_>> = real
        .iter()
        .filter(|r| !r.emotion.is_empty())
        .map(|r| Row::soft(&r.text, &r.emotion, 1.0))
        .collect();
    for e in &emo {
        rows.push(Row {
            text: &e.0,
            target: Target::Dist(e.1.to_vec()),
            hard: if e.2 {
                e.1.iter().position(|&v| v > 0.5)
            } else {
                None
            },
            weight: s.public_weight,
        });
    }
    let labels = tactful::Emotion::ALL
        .iter()
        .map(|e| e.as_str().to_string())
        .collect();
    let emotion = fit_rows("emotion", labels, rows, &s, s.emotion);

    // Heads only the realistic rows label: one per field, over its vocabulary.
    let names = |all: &[&str]| -> Vec<String> { all.iter().map(|n| n.to_string()).collect() };
    let stances: Vec<&str> = tactful::Stance::ALL.iter().map(|x| x.as_str()).collect();
    let urgencies: Vec<&str> = tactful::Urgency::ALL.iter().map(|x| x.as_str()).collect();
    let styles: Vec<&str> = tactful::Style::ALL.iter().map(|x| x.as_str()).collect();
    let stance = fit_realistic(
        "stance",
        names(&stances),
        &real,
        |r| &r.stance,
        &s,
        s.stance,
    );
    let urgency = fit_realistic(
        "urgency",
        names(&urgencies),
        &real,
        |r| &r.urgency,
        &s,
        s.urgency,
    );
    let style = fit_realistic("style", names(&styles), &real, |r| &r.style, &s, s.style);
    // The expert's call read straight from the text (with the rule cues among the inputs):
    // the recommender weighs it against what the readings imply.
    let approaches: Vec<&str> = tactful::Approach::ALL.iter().map(|x| x.as_str()).collect();
    let empathies: Vec<&str> = tactful::Empathy::ALL.iter().map(|x| x.as_str()).collect();
    let approach_ix: Vec<Vec<usize>> = real
        .iter()
        .map(|r| data::indices(&r.approach, &approaches))
        .collect();
    let empathy_ix: Vec<Vec<usize>> = real
        .iter()
        .map(|r| data::indices(&r.empathy, &empathies))
        .collect();
    let approach = fit_realistic_by(
        "approach",
        names(&approaches),
        &real,
        |i| &approach_ix[i],
        &s,
        s.approach,
    );
    let empathy = fit_realistic_by(
        "empathy",
        names(&empathies),
        &real,
        |i| &empathy_ix[i],
        &s,
        s.empathy,
    );

    eprintln!("flags head");
    let flags = fit_flags(&real, &s);

    eprintln!("sentiment head");
    let x = Featurized::new(&s.space, sent.iter().map(|e| e.0.as_str()));
    let y: Vec<f32> = sent.iter().map(|e| e.1).collect();
    let w = vec![1.0; y.len()];
    let m = train::train_regression(&x, &y, &w, s.space.rows, s.sentiment);
    let sentiment = HeadSpec {
        name: "sentiment".into(),
        kind: HeadKind::Regression,
        labels: vec![],
        groups: vec![],
        group_of: vec![],
        temperature: 1.0,
        bias: m.b,
        dense: if s.config.rules { m.d } else { Vec::new() },
        weights: m.w,
    };

    let mut builder = ModelBuilder::new(s.config);
    if let Some(map) = s.space.vocabulary() {
        builder = builder.vocabulary(map);
    }
    let bytes = builder
        .head(category)
        .head(emotion)
        .head(stance)
        .head(urgency)
        .head(style)
        .head(approach)
        .head(empathy)
        .head(flags)
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

/// The flags the model reads from the text: the ones cue lists and category attributes get
/// wrong most (who is vulnerable, whether an earlier contact is said, sarcasm, a threat to
/// leave, a real security threat). Independent yes/no outputs. (`money_at_risk` and
/// `company_at_fault` stay with the category attributes: the corpus labels them too sparsely
/// for a model to learn.)
const MODEL_FLAGS: [&str; 5] = [
    "vulnerable",
    "repeat_contact",
    "sarcasm",
    "churn_threat",
    "security",
];

fn fit_flags(real: &[data::Situation], s: &Shipped) -> HeadSpec {
    let k = MODEL_FLAGS.len();
    let targets: Vec<Vec<f32>> = real
        .iter()
        .map(|r| {
            MODEL_FLAGS
                .iter()
                .map(|f| f32::from(u8::from(r.flags.iter().any(|x| x == f))))
                .collect()
        })
        .collect();
    // Positives are rare: an example weighs more for each flag it carries, so a flag is
    // said when the text supports it rather than never.
    let pos: Vec<f32> = (0..k)
        .map(|j| targets.iter().filter(|t| t[j] > 0.5).count().max(1) as f32)
        .collect();
    let n = real.len().max(1) as f32;
    let weights: Vec<f32> = targets
        .iter()
        .map(|t| {
            1.0 + (0..k)
                .filter(|&j| t[j] > 0.5)
                .map(|j| (n / pos[j]).sqrt() - 1.0)
                .sum::<f32>()
        })
        .collect();
    let x = Featurized::new(&s.space, real.iter().map(|r| r.text.as_str()));
    eprintln!("  {} rows, positives {:?}", real.len(), pos);
    let m = train::train_logistic(&x, &targets, &weights, k, s.space.rows, s.flags);
    HeadSpec {
        name: "flags".into(),
        kind: HeadKind::Logistic,
        labels: MODEL_FLAGS.iter().map(|f| f.to_string()).collect(),
        groups: vec![],
        group_of: vec![],
        temperature: 1.0,
        bias: m.b,
        dense: if s.config.rules { m.d } else { Vec::new() },
        weights: m.w,
    }
}

/// What a row teaches a softmax head.
enum Target {
    /// Accepted answers, first choice first: the first takes 3/4 of the mass when there are
    /// two or more, the rest share the remainder.
    Accepted(Vec<usize>),
    /// A distribution over the labels (GoEmotions' multi-label rows).
    Dist(Vec<f32>),
}

/// One training row of a softmax head.
struct Row<'a> {
    text: &'a str,
    target: Target,
    /// The single gold label for calibration, when there is one.
    hard: Option<usize>,
    weight: f32,
}

impl<'a> Row<'a> {
    fn soft(text: &'a str, accepted: &[usize], weight: f32) -> Row<'a> {
        Row {
            text,
            target: Target::Accepted(accepted.to_vec()),
            hard: accepted.first().copied(),
            weight,
        }
    }

    fn distribution(&self, k: usize) -> Vec<f32> {
        match &self.target {
            Target::Dist(d) => d.clone(),
            Target::Accepted(a) => {
                let mut t = vec![0.0; k];
                for (i, &l) in a.iter().enumerate() {
                    t[l] += match (a.len(), i) {
                        (1, _) => 1.0,
                        (_, 0) => 0.75,
                        (n, _) => 0.25 / (n - 1) as f32,
                    };
                }
                t
            }
        }
    }
}

/// A softmax head trained on the realistic rows that label `field`.
/// [`fit_realistic`] with the labels given per row index.
fn fit_realistic_by<'a>(
    name: &str,
    labels: Vec<String>,
    real: &[data::Situation],
    field: impl Fn(usize) -> &'a Vec<usize>,
    s: &Shipped,
    opt: Options,
) -> HeadSpec {
    eprintln!("{name} head");
    let rows: Vec<Row<'_>> = real
        .iter()
        .enumerate()
        .filter(|(i, _)| !field(*i).is_empty())
        .map(|(i, r)| Row::soft(&r.text, field(i), 1.0))
        .collect();
    fit_rows(name, labels, rows, s, opt)
}

fn fit_realistic(
    name: &str,
    labels: Vec<String>,
    real: &[data::Situation],
    field: impl Fn(&data::Situation) -> &Vec<usize>,
    s: &Shipped,
    opt: Options,
) -> HeadSpec {
    fit_realistic_by(name, labels, real, |i| field(&real[i]), s, opt)
}

/// Balances classes (by the main answer), spreads accepted answers into distributions and
/// fits a calibrated softmax head.
fn fit_rows(
    name: &str,
    labels: Vec<String>,
    rows: Vec<Row<'_>>,
    s: &Shipped,
    opt: Options,
) -> HeadSpec {
    let k = labels.len();
    let targets: Vec<Vec<f32>> = rows.iter().map(|r| r.distribution(k)).collect();
    let main: Vec<usize> = targets.iter().map(|t| argmax_f(t)).collect();
    let exponent = s.head_balance.get(name).copied().unwrap_or(s.balance);
    let balance = balance_weights(&main, k, exponent);
    eprintln!("  {} rows", rows.len());
    fit_softmax_head_idf(
        HeadData {
            name,
            labels,
            groups: vec![],
            group_of: vec![],
            texts: rows.iter().map(|r| r.text).collect(),
            targets,
            hard: rows.iter().map(|r| r.hard).collect(),
            weights: rows
                .iter()
                .zip(&balance)
                .map(|(r, b)| r.weight * b)
                .collect(),
        },
        &s.space,
        opt,
        s.idf,
    )
}

fn argmax_f(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
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
        &Space::plain(config),
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

/// `tactful-train speed [--model FILE]`: best-of-31 time of `ModelSet::predict` and of
/// `Engine::assess` on an 80-byte message (a rough check; criterion benches are in benches/).
fn speed(a: &Args) -> Result<(), String> {
    // Cold start first, while nothing embedded has been parsed yet in this process.
    let t = std::time::Instant::now();
    tactful::Engine::preload().map_err(|e| e.to_string())?;
    let preload = t.elapsed();
    let engine = tactful::Engine::default();
    let first = engine.assess("My card was stolen", &tactful::Context::default());
    let cold = t.elapsed();
    drop((engine, first));
    println!(
        "cold start: preload {:.2} ms, first assess done at {:.2} ms",
        preload.as_secs_f64() * 1e3,
        cold.as_secs_f64() * 1e3
    );
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
