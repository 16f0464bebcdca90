//! Accuracy regression: the embedded model, scored on the dev splits of the shared datasets,
//! must not fall more than one point below the figures recorded in `accuracy.json`
//! (written by `tactful-train eval --record crates/tactful-train/accuracy.json`).
//!
//! The datasets live beside the repository (`../shared/datasets`, or `$TACTFUL_DATASETS`);
//! CI has them. Without any of them the test prints `SKIPPED: <dataset>` for every dev set and
//! a summary line saying nothing was measured, and passes, since there is nothing to measure.
//! With only some of them it fails: the evaluation reads every dev set in one pass, and a
//! half-present dataset directory would otherwise hide a regression on the sets it has.

use std::path::{Path, PathBuf};

use tactful_train::{data, eval};

/// Every dev set `eval::model_only` reads: (dataset, file, what it measures).
fn dev_sets(dir: &Path) -> Vec<(&'static str, PathBuf, &'static str)> {
    let mut sets: Vec<(&'static str, PathBuf, &'static str)> = eval::CATEGORY_SETS
        .iter()
        .map(|&(set, _)| (set, dir.join(set).join("dev.jsonl"), "category"))
        .collect();
    sets.push((
        "clinc150 (oos)",
        dir.join("clinc150").join("dev.jsonl"),
        "out-of-scope rate",
    ));
    sets.push((
        "goemotions",
        dir.join("goemotions").join("dev.jsonl"),
        "emotion",
    ));
    sets.push((
        "vader_ground_truth",
        dir.join("vader_ground_truth").join("dev.jsonl"),
        "sentiment",
    ));
    sets
}

#[test]
fn dev_figures_do_not_regress() {
    let dir = data::datasets_dir(None);
    let sets = dev_sets(&dir);
    let (present, missing): (Vec<_>, Vec<_>) = sets.iter().partition(|(_, p, _)| p.exists());
    for (name, path, what) in &missing {
        eprintln!(
            "SKIPPED: {name} ({what}): no dev set at {} (set TACTFUL_DATASETS)",
            path.display()
        );
    }
    let names =
        |v: &[&(&str, PathBuf, &str)]| v.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ");
    if present.is_empty() {
        eprintln!(
            "accuracy: measured nothing; skipped all {} dev sets: {}",
            missing.len(),
            names(&missing)
        );
        return;
    }
    assert!(
        missing.is_empty(),
        "accuracy: the datasets at {} are incomplete: present {}; missing {}",
        dir.display(),
        names(&present),
        names(&missing)
    );
    let model = tactful::model::embedded_model().expect("the crate embeds a model");
    let figures = eval::model_only(&model, &dir).expect("dev splits readable");
    let recorded: serde_json::Value =
        serde_json::from_str(include_str!("../accuracy.json")).unwrap();
    let recorded = &recorded["model"];
    let mut failures = Vec::new();
    let checked = figures.checked();
    assert!(checked.len() >= 15, "too few figures measured: {checked:?}");
    for (name, now) in &checked {
        let now = *now;
        let Some(then) = eval::recorded(recorded, name) else {
            failures.push(format!(
                "{name}: measured {now:.4}, not recorded in accuracy.json"
            ));
            continue;
        };
        if now < then - 0.01 {
            failures.push(format!("{name}: {now:.4} < recorded {then:.4} − 0.01"));
        }
    }
    eprintln!(
        "accuracy: measured {} figures on every dev set ({}); skipped none",
        checked.len(),
        names(&present)
    );
    assert!(
        failures.is_empty(),
        "accuracy regressed:\n{}",
        failures.join("\n")
    );
}
