// The shape of `data/signals.toml`, shared by `build.rs` (which turns the file into static
// tables) and the lexicon tests' run-time reference parser: both `include!` this file so the
// two readings of the file cannot drift apart. Needs `BTreeMap` and `Deserialize` in scope.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalsFile {
    negators: Vec<String>,
    contrast: Vec<String>,
    intensifiers: Vec<String>,
    diminishers: Vec<String>,
    valence: BTreeMap<String, f32>,
    phrase_valence: BTreeMap<String, f32>,
    emoji: BTreeMap<String, f32>,
    signals: BTreeMap<String, Vec<String>>,
    word_classes: WordClasses,
    emotion: BTreeMap<String, BTreeMap<String, f32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordClasses {
    date: Vec<String>,
    time_unit: Vec<String>,
    currency: Vec<String>,
    reference: Vec<String>,
}
