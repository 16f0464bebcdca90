//! Every sentence in data: the playbook's `[lines]`, `[follow_up]`, `[rationale]` and
//! `[conversation]` tables, loaded per engine through the builder. Overriding one sentence
//! changes exactly that sentence of the output; a playbook without the tables gets the
//! default playbook's sentences.

use tactful::{Approach, Context, Conversation, Engine, Playbook, Situation};

/// A calm information question with a repeat contact, read back from JSON: no wording
/// hints, so the rationale follows from these readings alone (whatever the model says).
fn calm_question() -> Situation {
    serde_json::from_str(
        r#"{
          "category": {"label": "information_request", "confidence": 0.9,
                       "scores": {"information_request": 0.9, "other": 0.1}},
          "emotion": {"label": "neutral", "confidence": 0.8, "intensity": 0.1,
                      "scores": {"neutral": 0.8, "confusion": 0.2}},
          "sentiment": 0.0, "urgency": "normal", "stance": "seeking_information",
          "style": "balanced", "escalation_risk": 0.05, "churn_risk": 0.05,
          "flags": ["repeat_contact"]
        }"#,
    )
    .expect("situation")
}

/// The default playbook's TOML with one `key = "..."` line of `[table]` replaced.
fn with_line(table: &str, key: &str, value: &str) -> String {
    let text = Playbook::default_toml();
    let mut out = String::new();
    let mut current = "";
    let mut replaced = false;
    for line in text.lines() {
        if line.starts_with('[') {
            current = line;
        }
        if current == format!("[{table}]") && line.starts_with(&format!("{key} = ")) {
            out.push_str(&format!("{key} = {value:?}\n"));
            replaced = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert!(replaced, "[{table}] {key} not found");
    out
}

/// The default playbook's TOML without the given tables (an older custom playbook).
fn without_tables(tables: &[&str]) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in Playbook::default_toml().lines() {
        if line.starts_with('[') {
            skipping = tables.iter().any(|t| line == format!("[{t}]"));
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn engine(toml: &str) -> Engine {
    let pb = Playbook::from_toml_str(toml).expect("playbook");
    Engine::builder().playbook(pb).build().expect("engine")
}

#[test]
fn overriding_one_rationale_sentence_changes_exactly_that_sentence() {
    let s = calm_question();
    let ctx = Context::builder().prior_contacts(2).build().expect("ctx");
    let default = Engine::default().recommend(&s, &ctx).expect("recommend");
    assert_eq!(default.approach, Approach::InformConcisely);
    assert_eq!(
        default.rationale,
        [
            "a calm question: answer plainly and precisely",
            "repeat contact (2 earlier): acknowledge it explicitly and take ownership; urgency raised",
        ]
    );

    let e = engine(&with_line(
        "rationale",
        "calm_question",
        "Plain question, plain answer.",
    ));
    let r = e.recommend(&s, &ctx).expect("recommend");
    let mut want = default.clone();
    want.rationale[0] = "Plain question, plain answer.".into();
    assert_eq!(r, want);

    // A placeholder the code fills.
    let e = engine(&with_line(
        "rationale",
        "repeat_contact_counted",
        "seen {prior_contacts} times before",
    ));
    let r = e.recommend(&s, &ctx).expect("recommend");
    let mut want = default.clone();
    want.rationale[1] = "seen 2 times before".into();
    assert_eq!(r, want);

    // An empty sentence is left out.
    let e = engine(&with_line("rationale", "calm_question", ""));
    let r = e.recommend(&s, &ctx).expect("recommend");
    let mut want = default;
    want.rationale.remove(0);
    assert_eq!(r, want);
}

#[test]
fn overriding_one_line_changes_exactly_that_avoid_item() {
    let s = calm_question();
    let ctx = Context::builder().prior_contacts(2).build().expect("ctx");
    let default = Engine::default().recommend(&s, &ctx).expect("recommend");
    let old = "Asking them to explain everything again.";
    let at = default
        .avoid
        .iter()
        .position(|a| a == old)
        .expect("the repeat-contact avoid item");
    let e = engine(&with_line(
        "lines",
        "repeat_contact_avoid",
        "Making them tell it twice.",
    ));
    let r = e.recommend(&s, &ctx).expect("recommend");
    let mut want = default;
    want.avoid[at] = "Making them tell it twice.".into();
    assert_eq!(r, want);
}

#[test]
fn a_playbook_without_the_sentence_tables_gets_the_default_sentences() {
    let default = Playbook::default_playbook().expect("default");
    let text = without_tables(&["lines", "follow_up", "rationale", "conversation"]);
    assert!(!text
        .lines()
        .any(|l| l == "[rationale]" || l.starts_with("calm_question")));
    let pb = Playbook::from_toml_str(&text).expect("an older playbook still loads");
    assert_eq!(pb.rationale, default.rationale);
    assert_eq!(pb.conversation, default.conversation);
    assert_eq!(pb.lines, default.lines);
    assert_eq!(pb.follow_up, default.follow_up);
    assert_eq!(&pb, default);

    // One key given, the others from the default playbook; JSON alike.
    let text = format!("{text}\n[rationale]\nabuse = \"Abuse: stay calm.\"\n");
    let pb = Playbook::from_toml_str(&text).expect("playbook");
    assert_eq!(pb.rationale.abuse, "Abuse: stay calm.");
    assert_eq!(pb.rationale.calm_question, default.rationale.calm_question);
    let mut json: serde_json::Value = serde_json::from_str(&default.to_json()).expect("json");
    json["conversation"] = serde_json::json!({"closing": "Glad to help!"});
    let pb = Playbook::from_json_str(&json.to_string()).expect("playbook");
    assert_eq!(pb.conversation.closing, "Glad to help!");
    assert_eq!(
        pb.conversation.action_step,
        default.conversation.action_step
    );
}

#[test]
fn unknown_codes_and_placeholders_are_rejected_with_the_field() {
    let text = format!(
        "{}\n[rationale]\ncalm_questoin = \"x\"\n",
        without_tables(&["rationale"])
    );
    let e = Playbook::from_toml_str(&text).expect_err("unknown code");
    assert!(e.to_string().contains("calm_questoin"), "{e}");
    let e = Playbook::from_toml_str(&with_line(
        "conversation",
        "repeated_step",
        "Own it, {name}.",
    ))
    .expect_err("unknown placeholder");
    assert!(e.to_string().contains("conversation.repeated_step"), "{e}");
    assert!(e.to_string().contains("{name}"), "{e}");
}

/// The conversation's adapted advice comes from the engine's playbook.
#[test]
fn overriding_conversation_advice_changes_exactly_that_sentence() {
    fn run(e: &Engine) -> tactful::Recommendation {
        let mut c = Conversation::new(e.clone(), Context::default());
        c.push_customer("My card was charged twice for order 4411!", Some(0))
            .expect("turn");
        c.push_agent("I'm so sorry you feel that way.", Some(30))
            .expect("turn");
        let v = c
            .push_customer("Stop apologizing and just fix it!", Some(60))
            .expect("turn");
        assert!(v.state.action_mode);
        v.state.recommendation.expect("recommendation")
    }
    let default = run(&Engine::default());
    assert_eq!(
        default.steps[0],
        "Stop apologizing: say what you are doing and when it will be done."
    );
    let e = engine(&with_line(
        "conversation",
        "action_step",
        "Say what you are doing, now.",
    ));
    let mut want = default.clone();
    want.steps[0] = "Say what you are doing, now.".into();
    assert_eq!(run(&e), want);

    // An empty step is left out.
    let e = engine(&with_line("conversation", "action_step", ""));
    let mut want = default;
    want.steps.remove(0);
    assert_eq!(run(&e), want);
}

#[test]
fn the_closing_line_after_thanks_is_the_playbooks() {
    fn run(e: &Engine) -> String {
        let ctx = Context::builder()
            .customer_name("Sam")
            .build()
            .expect("ctx");
        let mut c = Conversation::new(e.clone(), ctx);
        c.push_customer("My parcel never arrived, order 5521.", None)
            .expect("turn");
        c.push_agent(
            "I'm sorry about that, Sam. I've reshipped it today by express; it arrives tomorrow.",
            None,
        )
        .expect("turn");
        let v = c
            .push_customer("Ok, thank you, that helps", None)
            .expect("turn");
        v.state.recommendation.expect("recommendation").opening
    }
    assert_eq!(
        run(&Engine::default()),
        "Sam, you're welcome, I'm glad that helps. Is there anything else I can do for you?"
    );
    let e = engine(&with_line(
        "conversation",
        "closing",
        "Glad that sorted it. Anything else?",
    ));
    assert_eq!(run(&e), "Sam, glad that sorted it. Anything else?");
}
