//! Accuracy regression: the embedded model, scored on the dev splits of the shared datasets,
//! must not fall more than one point below the figures recorded in `accuracy.json`
//! (written by `tactful-train eval --record crates/tactful-train/accuracy.json`).
//!
//! The datasets live beside the repository (`../shared/datasets`, or `$TACTFUL_DATASETS`);
//! CI has them. Without them the test says so and passes, since there is nothing to measure.

use tactful_train::{data, eval};

#[test]
fn dev_figures_do_not_regress() {
    let dir = data::datasets_dir(None);
    if !dir.join("banking77").join("dev.jsonl").exists() {
        eprintln!(
            "SKIPPED: no datasets at {} (set TACTFUL_DATASETS)",
            dir.display()
        );
        return;
    }
    let model = tactful::model::embedded_model().expect("the crate embeds a model");
    let figures = eval::model_only(&model, &dir).expect("dev splits readable");
    let recorded: serde_json::Value =
        serde_json::from_str(include_str!("../accuracy.json")).unwrap();
    let recorded = &recorded["model"];
    let mut failures = Vec::new();
    let checked = figures.checked();
    assert!(checked.len() >= 15, "too few figures measured: {checked:?}");
    for (name, now) in checked {
        let Some(then) = eval::recorded(recorded, &name) else {
            failures.push(format!(
                "{name}: measured {now:.4}, not recorded in accuracy.json"
            ));
            continue;
        };
        if now < then - 0.01 {
            failures.push(format!("{name}: {now:.4} < recorded {then:.4} − 0.01"));
        }
    }
    assert!(
        failures.is_empty(),
        "accuracy regressed:\n{}",
        failures.join("\n")
    );
}
