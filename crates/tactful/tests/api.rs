use tactful::{Assessment, Engine, Error, Playbook};

#[test]
fn auto_traits() {
    fn check<T: Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    check::<Engine>();
    check::<Assessment>();
    check::<Error>();
    check::<Playbook>();
}

#[test]
fn default_playbook_loads() {
    let pb = Playbook::default_playbook().unwrap();
    assert_eq!(pb.categories.len(), 11);
}

#[test]
fn playbook_errors_name_the_field_and_line() {
    let base = Playbook::default_toml();
    // A syntax error: the line is known, no field.
    let err = Playbook::from_toml_str("version = 1\ncategories = [\n").unwrap_err();
    let msg = err.to_string();
    assert_eq!(err.code(), 12);
    assert!(
        msg.starts_with("invalid playbook: ") && !msg.contains(": :"),
        "{msg}"
    );
    assert!(msg.contains("line"), "{msg}");
    // A bad value: the field path and its line.
    let bad = base.replacen(
        "default_urgency = \"critical\"",
        "default_urgency = \"soon\"",
        1,
    );
    match Playbook::from_toml_str(&bad).unwrap_err() {
        Error::InvalidPlaybook { field, line, .. } => {
            assert_eq!(field, "categories[0].default_urgency");
            assert!(line.is_some());
        }
        other => panic!("{other:?}"),
    }
    // An unknown field is rejected, not dropped.
    let unknown = base.replacen("[thresholds]", "[thresholds]\nabstian = 0.3", 1);
    let msg = Playbook::from_toml_str(&unknown).unwrap_err().to_string();
    assert!(msg.contains("abstian"), "{msg}");
    // JSON too.
    let msg = Playbook::from_json_str("{\"version\": 1, \"colour\": 2}")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("colour"), "{msg}");
}

#[test]
fn context_rejects_unknown_fields_and_bad_ranges() {
    assert_eq!(
        tactful::Context::from_json(r#"{"colour": 1}"#)
            .unwrap_err()
            .code(),
        13
    );
    assert!(tactful::Context::from_json(r#"{"past_feedback": {"csat": 9}}"#).is_err());
    assert!(tactful::Context::from_json(r#"{"past_feedback": {"nps": 9}}"#).is_ok());
    assert!(tactful::Context::from_json(r#"{"past_feedback": "negative"}"#).is_ok());
}

#[test]
fn empty_and_oversized_inputs_are_errors() {
    let e = Engine::builder().max_input_bytes(10).build().unwrap();
    let ctx = tactful::Context::default();
    assert_eq!(e.assess("   \n", &ctx).unwrap_err(), Error::EmptyInput);
    assert!(matches!(
        e.assess("this is longer than ten bytes", &ctx),
        Err(Error::InputTooLarge { max: 10, .. })
    ));
    assert!(Engine::builder().max_input_bytes(0).build().is_err());
}

#[test]
fn a_company_category_is_treated_by_its_attributes() {
    let mut pb = Playbook::default_playbook().unwrap().clone();
    let mut spec = pb.category("fraud_security").unwrap().clone();
    spec.name = "sim_swap".into();
    spec.cues = vec!["sim swap".into(), "ported my number".into()];
    spec.hard_cues = vec!["sim swap".into()];
    pb.categories.insert(0, spec);
    let engine = Engine::builder()
        .playbook(pb)
        .rules_only(true)
        .build()
        .unwrap();
    let a = engine
        .assess(
            "Someone did a SIM swap on my line and now I get no texts from the bank",
            &tactful::Context::default(),
        )
        .unwrap();
    assert_eq!(&*a.situation.category.label, "sim_swap");
    assert_eq!(a.recommendation.approach, tactful::Approach::ResolveFirst);
    assert!(a.situation.flags.contains(&tactful::Flag::Security));
}

#[test]
fn context_errors_name_the_field() {
    let field = |json: &str| match tactful::Context::from_json(json).unwrap_err() {
        Error::InvalidContext { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(r#"{"channel": "pigeon"}"#), "channel");
    assert_eq!(field(r#"{"prior_contacts": -1}"#), "prior_contacts");
    assert_eq!(field(r#"{"colour": 1}"#), "colour");
    assert_eq!(
        field(r#"{"past_feedback": {"csat": 9}}"#),
        "past_feedback.csat"
    );
}

/// Category indices are 16 bits in the compiled cue tables: a playbook with more
/// categories than that would credit cues to the wrong category, so it is refused at load.
#[test]
fn a_playbook_with_more_than_65536_categories_is_refused_at_load() {
    assert_eq!(tactful::MAX_CATEGORIES, 65_536);
    let mut pb = Playbook::default_playbook().unwrap().clone();
    let mut spec = pb.category("other").unwrap().clone();
    spec.cues.clear();
    spec.hard_cues.clear();
    let existing = pb.categories.len();
    for i in 0..(tactful::MAX_CATEGORIES - existing) {
        spec.name = format!("generated_{i}");
        pb.categories.push(spec.clone());
    }
    assert_eq!(pb.categories.len(), 65_536);
    pb.validate().unwrap();

    spec.name = "one_too_many".into();
    pb.categories.push(spec);
    let expected = "65537 categories, at most 65536 are supported";
    match pb.validate().unwrap_err() {
        tactful::Error::InvalidPlaybook { field, message, .. } => {
            assert_eq!(field, "categories");
            assert_eq!(message, expected);
        }
        e => panic!("unexpected error {e:?}"),
    }
    // The same through the loaders and the engine builder.
    match Playbook::from_json_str(&pb.to_json()).unwrap_err() {
        tactful::Error::InvalidPlaybook { field, message, .. } => {
            assert_eq!(field, "categories");
            assert_eq!(message, expected);
        }
        e => panic!("unexpected error {e:?}"),
    }
    assert!(matches!(
        Engine::builder().playbook(pb).build().unwrap_err(),
        tactful::Error::InvalidPlaybook { .. }
    ));
}

#[test]
fn context_lists_and_phrases_are_capped() {
    use tactful::Context;
    let mut ok = Context::default();
    ok.allowed_alternatives = vec!["store credit".into(); Context::MAX_ALTERNATIVES];
    ok.max_gesture = Some("x".repeat(Context::MAX_PHRASE_BYTES));
    ok.validate().unwrap();
    let mut many = Context::default();
    many.allowed_alternatives = vec!["store credit".into(); 100_000];
    let err = many.validate().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid context: allowed_alternatives: 100000 entries, at most 64 are allowed"
    );
    // Every surface goes through the same check: the engine and the JSON loader.
    assert_eq!(
        Engine::default()
            .assess("my refund was refused", &many)
            .unwrap_err(),
        err
    );
    let long = format!(
        r#"{{"allowed_alternatives": ["exchange", "{}"]}}"#,
        "y".repeat(257)
    );
    assert_eq!(
        Context::from_json(&long).unwrap_err().to_string(),
        "invalid context: allowed_alternatives[1]: longer than 256 bytes"
    );
    let mut gesture = Context::default();
    gesture.max_gesture = Some("z".repeat(257));
    assert_eq!(
        gesture.validate().unwrap_err().to_string(),
        "invalid context: max_gesture: longer than 256 bytes"
    );
}

#[test]
fn review_findings_are_capped_per_code_and_the_rest_counted() {
    use tactful::{Context, MAX_FINDINGS_PER_CODE};
    assert_eq!(MAX_FINDINGS_PER_CODE, 20);
    let e = Engine::default();
    let ctx = Context::default();
    // "order order ... order": 99 repeated words in one sentence.
    let draft = format!("{}order.", "order ".repeat(99));
    let r = e.review_reply("Where is my order?", &draft, &ctx).unwrap();
    let repeated = r
        .findings
        .iter()
        .filter(|f| f.code == tactful::FindingCode::RepeatedWord)
        .count();
    assert_eq!(repeated, 20);
    assert_eq!(r.findings_omitted, 79);
    // The first ones are kept, in the draft's order.
    let first = r
        .findings
        .iter()
        .find(|f| f.code == tactful::FindingCode::RepeatedWord)
        .unwrap();
    assert_eq!((first.start, first.end), (0, 11));
    assert!(r.to_json().contains(r#""findings_omitted":79"#));
    // The score does not depend on the cap: the omitted findings still count.
    let twenty = format!("{}order.", "order ".repeat(20));
    let r20 = e.review_reply("Where is my order?", &twenty, &ctx).unwrap();
    assert_eq!(r20.findings_omitted, 0);
    assert!(r.score <= r20.score, "{} vs {}", r.score, r20.score);
    // JSON written before the field existed still reads (it defaults to 0).
    let old = r20.to_json().replace(r#","findings_omitted":0"#, "");
    assert!(!old.contains("findings_omitted"));
    let back: tactful::ReplyReview = serde_json::from_str(&old).unwrap();
    assert_eq!(back, r20);
}

#[test]
fn review_spans_are_capped_in_number_and_length() {
    use tactful::Context;
    let e = Engine::default();
    let ctx = Context::builder().customer_name("Maria").build().unwrap();
    let draft = "Maria, ".repeat(50) + "I'll refund you today.";
    let r = e.review_reply("Where is my refund?", &draft, &ctx).unwrap();
    assert_eq!(r.signals.personalization.len(), 8);
    // A 300-byte all-caps word: the finding's span covers it, its message quotes 200 bytes.
    let word = "A".repeat(300);
    let draft = format!("Hello {word} today.");
    let r = e.review_reply("Where is my refund?", &draft, &ctx).unwrap();
    let caps = r
        .findings
        .iter()
        .find(|f| f.code == tactful::FindingCode::AllCaps)
        .unwrap();
    assert_eq!((caps.start, caps.end), (6, 306));
    assert!(caps
        .message
        .contains(&format!("{}\u{2026}", "A".repeat(200))));
    assert!(!caps.message.contains(&"A".repeat(201)));
}

#[test]
fn evidence_carries_offsets_and_a_capped_excerpt() {
    let amount = format!("${}", "9".repeat(300));
    let text = format!("Someone stole my card and charged me {amount} today.");
    let a = Engine::default()
        .assess(&text, &tactful::Context::default())
        .unwrap();
    let money = a.evidence.iter().find(|e| e.signal == "money").unwrap();
    // The span still covers the whole amount; its text is the first 200 bytes and a marker.
    assert_eq!((money.start, money.end), (37, 338));
    assert_eq!(&text[money.start..money.end], amount);
    assert_eq!(money.text, format!("{}\u{2026}", &amount[..200]));
    // Short spans are given whole.
    for e in a.evidence.iter().filter(|e| e.signal != "money") {
        assert_eq!(e.text, text[e.start..e.end]);
    }
    assert!(a.evidence.len() <= 24);
}

/// Per-word work is bounded: a text is analysed up to its first 262,144 words, so a long
/// input of tiny words gives small results (peak memory is measured in the CHANGELOG).
#[test]
fn long_inputs_of_tiny_words_give_bounded_results() {
    let e = Engine::default();
    let ctx = tactful::Context::default();
    let text = "a ".repeat(300_000);
    let a = e.assess(&text, &ctx).unwrap();
    assert!(a.evidence.len() <= 24);
    let r = e.review_reply("Where is my order?", &text, &ctx).unwrap();
    assert_eq!(r.words, 262_144);
    let repeated = r
        .findings
        .iter()
        .filter(|f| f.code == tactful::FindingCode::RepeatedWord)
        .count();
    assert_eq!(repeated, 20);
    // 262,143 adjacent pairs among the words analysed, 20 of them listed.
    assert_eq!(r.findings_omitted, 262_123);
    assert!(r.to_json().len() < 16 * 1024, "{}", r.to_json().len());
}
