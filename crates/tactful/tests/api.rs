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
