//! Property tests: whatever the text and context, `assess` never panics, returns only documented
//! errors, and its output keeps the invariants of DESIGN.md (probabilities that sum to 1, values
//! in range, evidence spans that point into the input, determinism, batch == single).
//!
//! Kept fast on purpose (256 cases each, small strings): the whole file runs in seconds in a debug
//! build. The two large-input tests only check that a result comes back; speed is measured by the
//! criterion benchmark, never asserted here.

use std::collections::BTreeSet;

use proptest::prelude::*;
use tactful::{Assessment, Channel, Context, Emotion, Engine, Error, PastFeedback, Relationship};

/// Every check on one assessment of `text`; returns a description of the first broken invariant.
fn invariants(engine: &Engine, text: &str, a: &Assessment) -> Result<(), String> {
    const EPS: f64 = 1e-6;
    let s = &a.situation;
    let in_unit = |x: f64| (0.0..=1.0).contains(&x);

    // Category: a distribution over exactly the playbook's categories.
    let cats = &s.category.scores;
    let names: BTreeSet<&str> = engine
        .playbook()
        .categories
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let scored: BTreeSet<&str> = cats.iter().map(|(l, _)| l.as_ref()).collect();
    if scored != names || cats.len() != names.len() {
        return Err(format!(
            "category scores {scored:?} are not the playbook's categories {names:?}"
        ));
    }
    if (cats.total() - 1.0).abs() > EPS {
        return Err(format!("category scores sum to {}", cats.total()));
    }
    if let Some((l, p)) = cats.iter().find(|(_, p)| !in_unit(*p)) {
        return Err(format!("category score {l} = {p} outside 0..=1"));
    }
    if !names.contains(&*s.category.label) {
        return Err(format!(
            "category label {} is not a playbook category",
            s.category.label
        ));
    }
    if (s.category.confidence - cats.get(&s.category.label)).abs() > EPS {
        return Err(format!(
            "category confidence {} != score of {} ({})",
            s.category.confidence,
            s.category.label,
            cats.get(&s.category.label)
        ));
    }

    // Emotion: a distribution over the seven emotions.
    let emo = &s.emotion.scores;
    let labels: BTreeSet<Emotion> = emo.iter().map(|(e, _)| *e).collect();
    if emo.len() != Emotion::ALL.len() || labels.len() != Emotion::ALL.len() {
        return Err(format!("emotion scores cover {labels:?}"));
    }
    if (emo.total() - 1.0).abs() > EPS {
        return Err(format!("emotion scores sum to {}", emo.total()));
    }
    if let Some((l, p)) = emo.iter().find(|(_, p)| !in_unit(*p)) {
        return Err(format!("emotion score {l} = {p} outside 0..=1"));
    }
    if (s.emotion.confidence - emo.get(s.emotion.label.as_str())).abs() > EPS {
        return Err(format!(
            "emotion confidence {} != score of {}",
            s.emotion.confidence, s.emotion.label
        ));
    }
    if !in_unit(s.emotion.intensity) {
        return Err(format!(
            "emotion intensity {} outside 0..=1",
            s.emotion.intensity
        ));
    }

    // Scalars.
    if !(-1.0..=1.0).contains(&s.sentiment) {
        return Err(format!("sentiment {} outside -1..=1", s.sentiment));
    }
    if !in_unit(s.escalation_risk) || !in_unit(s.churn_risk) {
        return Err(format!(
            "risks outside 0..=1: escalation {} churn {}",
            s.escalation_risk, s.churn_risk
        ));
    }
    // Flags are documented to come in code order, each once.
    if s.flags.windows(2).any(|w| w[0].code() >= w[1].code()) {
        return Err(format!("flags not in strict code order: {:?}", s.flags));
    }

    // Evidence: byte spans into the text as given.
    let max = engine.playbook().thresholds.max_evidence;
    if a.evidence.len() > max {
        return Err(format!(
            "{} evidence spans, the playbook allows {max}",
            a.evidence.len()
        ));
    }
    for ev in &a.evidence {
        let span = (ev.start <= ev.end && ev.end <= text.len())
            .then(|| text.get(ev.start..ev.end))
            .flatten();
        match span {
            Some(t) if t == ev.text => {}
            Some(t) => {
                return Err(format!(
                    "evidence {} {}..{}: text {:?} != input slice {:?}",
                    ev.signal, ev.start, ev.end, ev.text, t
                ))
            }
            None => {
                return Err(format!(
                    "evidence {} {}..{} is out of bounds or off a char boundary (len {})",
                    ev.signal,
                    ev.start,
                    ev.end,
                    text.len()
                ))
            }
        }
        if ev
            .signal
            .as_str()
            .parse::<tactful::EvidenceSignal>()
            .as_ref()
            != Ok(&ev.signal)
        {
            return Err(format!("evidence signal {} does not parse back", ev.signal));
        }
    }
    if a.recommendation.opening.trim().is_empty() {
        return Err("empty opening line".into());
    }
    Ok(())
}

/// Assesses `text` and checks the error contract and every invariant.
fn check_text(engine: &Engine, text: &str, ctx: &Context) -> Result<(), TestCaseError> {
    match engine.assess(text, ctx) {
        Ok(a) => {
            prop_assert!(
                !text.trim().is_empty(),
                "whitespace-only text {text:?} gave an assessment"
            );
            if let Err(msg) = invariants(engine, text, &a) {
                return Err(TestCaseError::fail(format!("{msg}\n  text: {text:?}")));
            }
            // Deterministic: the same input twice gives the identical assessment.
            let again = engine.assess(text, ctx);
            prop_assert_eq!(again.as_ref(), Ok(&a), "not deterministic for {:?}", text);
        }
        Err(Error::EmptyInput) => {
            prop_assert!(text.trim().is_empty(), "EmptyInput for non-blank {text:?}");
        }
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "undocumented error {} ({}) for {text:?}",
                e.code(),
                e
            )))
        }
    }
    Ok(())
}

/// Pieces that stress the text pipeline: service vocabulary that fires cues, negation, contrast,
/// capitals, punctuation runs, emoji (with ZWJ and skin tones), emoticons, money, ids, dates,
/// control characters, RTL and bidi marks, combining marks, zero-width characters and scripts
/// other than Latin.
fn piece() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "my card was stolen",
        "charged twice",
        "refund",
        "not",
        "never",
        "no problem",
        "not bad",
        "but",
        "however",
        "kindly",
        "pls",
        "lawyer",
        "chargeback",
        "ombudsman",
        "twitter",
        "cancel",
        "switching to",
        "third time",
        "still",
        "again",
        "nobody called back",
        "passed away",
        "chemo",
        "lost my job",
        "great, just great",
        "thanks for nothing",
        "thank you",
        "fucking",
        "idiots",
        "manager",
        "WHERE IS MY ORDER",
        "!!!",
        "???",
        "?!",
        "...",
        "😡",
        "😍",
        "🙏🏽",
        "👨‍👩‍👧",
        "🏳️‍🌈",
        ":)",
        ":(",
        ":-/",
        "$1,899.99",
        "€84,20",
        "£0.5",
        "#A-448120",
        "order 55321-B",
        "03/11/2026",
        "Nov 4",
        "12:30pm",
        "\0",
        "\u{7}",
        "\r\n",
        "\t",
        "\u{1b}[31m",
        "\u{200b}",
        "\u{200d}",
        "\u{feff}",
        "\u{200f}",
        "\u{202e}",
        "\u{2066}",
        "e\u{301}",
        "a\u{308}\u{308}\u{308}",
        "\u{fe0f}",
        "مرحبا",
        "שלום",
        "你好",
        "こんにちは",
        "Привет",
        "ß",
        "İ",
        "ﬁ",
        "\u{fffd}",
        "\u{10ffff}",
        " ",
        "\u{3000}",
        "\u{a0}",
        "'",
        "\"",
        "\\",
        "-",
        "n't",
        "don't",
        "isn't",
        "NOT",
        "CAN'T",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        4 => fixed,
        1 => "[a-zA-Z]{1,12}",
        1 => "\\PC{1,6}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Texts assembled from [`piece`]s with random separators.
fn service_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            piece(),
            prop::sample::select(vec![" ", " ", "", ", ", ". ", "\n", "!"]),
        ),
        0..24,
    )
    .prop_map(|parts| {
        parts.into_iter().fold(String::new(), |mut s, (p, sep)| {
            s.push_str(&p);
            s.push_str(sep);
            s
        })
    })
}

/// Any valid context.
fn context() -> impl Strategy<Value = Context> {
    (
        prop::option::of(prop::sample::select(Channel::ALL.to_vec())),
        prop::option::of("\\PC{0,24}"),
        0u32..6,
        prop::option::of(prop_oneof![
            (1u8..=5).prop_map(PastFeedback::Csat),
            (0u8..=10).prop_map(PastFeedback::Nps),
            Just(PastFeedback::Positive),
            Just(PastFeedback::Negative),
        ]),
        prop::option::of(prop::sample::select(vec![
            Relationship::New,
            Relationship::Established,
            Relationship::HighValue,
        ])),
        any::<bool>(),
        prop::collection::vec("[a-z ]{1,16}", 0..3),
        prop::option::of("[a-z0-9% ]{1,16}"),
    )
        .prop_map(
            |(channel, name, prior, feedback, relationship, conflict, alternatives, gesture)| {
                // `Context` is non-exhaustive: default, then assign every field.
                let mut ctx = Context::default();
                ctx.channel = channel;
                ctx.customer_name = name;
                ctx.prior_contacts = prior;
                ctx.past_feedback = feedback;
                ctx.relationship = relationship;
                ctx.policy_conflict = conflict;
                ctx.allowed_alternatives = alternatives;
                ctx.max_gesture = gesture;
                ctx
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Arbitrary Unicode (any scalar value, control characters included).
    #[test]
    fn any_string_keeps_the_invariants(text in any::<String>()) {
        check_text(&Engine::default(), &text, &Context::default())?;
    }

    /// Service-like texts with every hard feature, under any context.
    #[test]
    fn service_text_keeps_the_invariants(text in service_text(), ctx in context()) {
        check_text(&Engine::default(), &text, &ctx)?;
    }

    /// The invariants hold for the rules alone too (no trained models).
    #[test]
    fn rules_only_keeps_the_invariants(text in service_text(), ctx in context()) {
        let engine = Engine::builder().rules_only(true).build().expect("rules-only engine");
        check_text(&engine, &text, &ctx)?;
    }

    /// DESIGN.md: the opening line uses the customer's name when it is known.
    #[test]
    fn opening_uses_the_name(
        text in service_text(),
        ctx in context(),
        name in "[A-Z][a-z]{1,10}( [A-Z][a-z]{1,10})?",
    ) {
        let mut ctx = ctx;
        ctx.customer_name = Some(name.clone());
        if let Ok(a) = Engine::default().assess(&text, &ctx) {
            prop_assert!(
                a.recommendation.opening.contains(&name),
                "opening {:?} lacks the name {:?}", a.recommendation.opening, name
            );
        }
    }

    /// `assess_batch` and `assess_batch_with_contexts` give what `assess` gives, item by item.
    #[test]
    fn batch_equals_single(
        texts in prop::collection::vec(service_text(), 0..6),
        ctx in context(),
    ) {
        let engine = Engine::default();
        let single: Vec<_> = texts.iter().map(|t| engine.assess(t, &ctx)).collect();
        prop_assert_eq!(&engine.assess_batch(&texts, &ctx), &single);
        let items: Vec<(String, Context)> = texts.iter().map(|t| (t.clone(), ctx.clone())).collect();
        prop_assert_eq!(&engine.assess_batch_with_contexts(&items), &single);
    }

    /// `classify` gives the situation and evidence `assess` gives.
    #[test]
    fn classify_matches_assess(text in service_text(), ctx in context()) {
        let engine = Engine::default();
        match (engine.classify(&text, &ctx), engine.assess(&text, &ctx)) {
            (Ok(c), Ok(a)) => {
                prop_assert_eq!(c.situation, a.situation);
                prop_assert_eq!(c.evidence, a.evidence);
            }
            (Err(c), Err(a)) => prop_assert_eq!(c, a),
            (c, a) => prop_assert!(false, "classify {:?} vs assess {:?}", c.is_ok(), a.is_ok()),
        }
    }

    /// The JSON form round-trips through serde to the same assessment.
    #[test]
    fn json_round_trips(text in service_text(), ctx in context()) {
        if let Ok(a) = Engine::default().assess(&text, &ctx) {
            let back: Assessment = serde_json::from_str(&a.to_json())
                .map_err(|e| TestCaseError::fail(format!("{e} for {text:?}")))?;
            prop_assert_eq!(back, a);
        }
    }
}

/// Above the batch threshold the work runs on the thread pool: results must still match the
/// sequential ones, in order, and one bad item must not fail the others.
#[test]
fn large_batch_equals_single_in_order() {
    let engine = Engine::default();
    let golden = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/assess.jsonl"),
    )
    .expect("golden file");
    let mut texts: Vec<String> = golden
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
        .collect();
    assert!(
        texts.len() >= 64,
        "want enough texts to exercise the parallel path"
    );
    texts.insert(7, String::new());
    texts.insert(30, " \n\t ".into());
    let ctx = Context::builder()
        .channel(Channel::Chat)
        .customer_name("Maria")
        .build()
        .expect("context");
    let batch = engine.assess_batch(&texts, &ctx);
    assert_eq!(batch.len(), texts.len());
    for (i, (t, b)) in texts.iter().zip(&batch).enumerate() {
        assert_eq!(b, &engine.assess(t, &ctx), "item {i} differs: {t:?}");
    }
    assert_eq!(batch[7], Err(Error::EmptyInput));
    assert_eq!(batch[30], Err(Error::EmptyInput));
    assert_eq!(batch.iter().filter(|r| r.is_ok()).count(), texts.len() - 2);
}

/// 1 MB of emoji (with ZWJ sequences, skin tones and variation selectors) does not panic, keeps
/// the invariants and is deterministic.
#[test]
fn one_megabyte_of_emoji() {
    let unit = "😡🙏🏽👨‍👩‍👧❤️🔥😍 ";
    let text = unit.repeat(1_000_000 / unit.len() + 1);
    assert!(text.len() >= 1_000_000);
    let engine = Engine::default();
    let ctx = Context::default();
    let a = engine
        .assess(&text, &ctx)
        .expect("1 MB of emoji is a valid input");
    if let Err(msg) = invariants(&engine, &text, &a) {
        panic!("{msg}");
    }
    assert_eq!(engine.assess(&text, &ctx), Ok(a));
}

/// 10 MB of ordinary ASCII service text returns Ok (no timing asserted: see the benchmark).
#[test]
fn ten_megabytes_of_ascii() {
    let unit = "My card was declined again at the store, order #4471 is still not here and I want a refund of $89.99 by Friday. ";
    let text = unit.repeat(10 * 1024 * 1024 / unit.len() + 1);
    assert!(text.len() >= 10 * 1024 * 1024);
    let result = Engine::default().assess(&text, &Context::default());
    assert!(result.is_ok(), "10 MB of ASCII: {:?}", result.err());
}

/// Texts over the engine's limit get the documented error, never a panic or a truncation.
#[test]
fn over_the_limit_is_input_too_large() {
    let engine = Engine::builder()
        .max_input_bytes(1000)
        .build()
        .expect("engine");
    let text = "é".repeat(501); // 1002 bytes
    assert_eq!(
        engine.assess(&text, &Context::default()),
        Err(Error::InputTooLarge {
            len: 1002,
            max: 1000
        })
    );
    assert!(engine.assess(&"é".repeat(500), &Context::default()).is_ok());
}
