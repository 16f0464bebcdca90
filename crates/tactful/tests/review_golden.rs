//! Golden reply-review cases: `tests/golden/reviews.jsonl` (format in
//! `tests/golden/README-review.md`). Every case must pass.

#[path = "common/golden_expect.rs"]
mod golden_expect;

use serde_json::{json, Map, Value};
use tactful::{Approach, Context, Emotion, Empathy, Engine, Flag, ReplyReview, Stance, Style};

fn observed(r: &ReplyReview) -> Map<String, Value> {
    let mut codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
    codes.dedup();
    let v = json!({
        "score": r.score,
        "codes": codes,
        "approach": r.approach,
        "emotional_reactions": r.empathy.emotional_reactions.level,
        "interpretations": r.empathy.interpretations.level,
        "explorations": r.empathy.explorations.level,
        "empathy_total": r.empathy.total(),
        "ownership": !r.signals.ownership.is_empty(),
        "next_step": !r.signals.next_step.is_empty(),
        "time_frame": !r.signals.time_frame.is_empty(),
        "suggestions": r.suggestions.len(),
    });
    v.as_object().cloned().unwrap_or_default()
}

fn parse<T: std::str::FromStr>(v: &Value) -> Option<T> {
    v.as_str().and_then(|s| s.parse().ok())
}

/// Reviews one case: the customer's message is assessed, then `given` pins the parts of the
/// situation the case is about (so the review rules are tested whatever the classifier says).
pub fn run_case(engine: &Engine, case: &Value) -> Result<ReplyReview, String> {
    let ctx = match case.get("context") {
        Some(c) => Context::from_json(&c.to_string()).map_err(|e| e.to_string())?,
        None => Context::default(),
    };
    let customer = case["customer"].as_str().ok_or("customer missing")?;
    let reply = case["reply"].as_str().ok_or("reply missing")?;
    let mut a = engine.assess(customer, &ctx).map_err(|e| e.to_string())?;
    if let Some(g) = case.get("given") {
        if let Some(x) = g.get("approach").and_then(parse::<Approach>) {
            a.recommendation.approach = x;
        }
        if let Some(x) = g.get("empathy").and_then(parse::<Empathy>) {
            a.recommendation.empathy = x;
        }
        if let Some(x) = g.get("emotion").and_then(parse::<Emotion>) {
            a.situation.emotion.label = x;
        }
        if let Some(x) = g.get("intensity").and_then(Value::as_f64) {
            a.situation.emotion.intensity = x;
        }
        if let Some(x) = g.get("stance").and_then(parse::<Stance>) {
            a.situation.stance = x;
        }
        if let Some(x) = g.get("style").and_then(parse::<Style>) {
            a.situation.style = x;
        }
        for f in g
            .get("flags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let flag: Flag = parse(f).ok_or_else(|| format!("unknown flag {f}"))?;
            if !a.situation.flags.contains(&flag) {
                a.situation.flags.push(flag);
            }
        }
    }
    engine
        .review_reply_for(&a, reply, &ctx)
        .map_err(|e| e.to_string())
}

#[test]
fn golden_reviews() {
    let path = golden_expect::golden_path("reviews.jsonl");
    let text = std::fs::read_to_string(&path).expect("golden file");
    let engine = Engine::default();
    let mut failed = Vec::new();
    let mut n = 0;
    let mut ids = std::collections::HashSet::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        n += 1;
        let case: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
        let id = case["id"].as_str().unwrap_or("?").to_string();
        assert!(ids.insert(id.clone()), "duplicate id {id}");
        let expect = case["expect"].as_object().cloned().unwrap_or_default();
        assert!(!expect.is_empty(), "{id}: no expectations");
        match run_case(&engine, &case) {
            Ok(r) => {
                let f = golden_expect::check(&expect, &observed(&r));
                if !f.is_empty() {
                    failed.push(format!(
                        "{id}: {}\n    score {} codes {:?}",
                        f.join("; "),
                        r.score,
                        r.findings
                            .iter()
                            .map(|x| x.code.as_str())
                            .collect::<Vec<_>>()
                    ));
                }
            }
            Err(e) => failed.push(format!("{id}: error {e}")),
        }
    }
    assert!(n >= 40, "only {n} golden review cases");
    println!("golden reviews: {}/{} passed", n - failed.len(), n);
    assert!(
        failed.is_empty(),
        "{} of {n} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn bad_input_is_an_error_not_a_crash() {
    let e = Engine::default();
    let ctx = Context::default();
    assert!(e.review_reply("help", "", &ctx).is_err());
    assert!(e.review_reply("", "Hello there.", &ctx).is_err());
    assert!(e.review_reply("help", " \n\t ", &ctx).is_err());
    let huge = "a".repeat(e.max_input_bytes() + 1);
    assert!(e.review_reply("help", &huge, &ctx).is_err());
    // Odd but valid text never panics and stays in range.
    for draft in [
        "\0\0\0",
        "!!!???...",
        "😀😀😀 🙂",
        "I.",
        "'",
        "i'll i'll i'll",
        "WITHIN WITHIN 24",
        "Sorry.\n\n\n\nsorry",
        "{{Order Number}}",
    ] {
        let r = e
            .review_reply("My order is late", draft, &ctx)
            .expect(draft);
        assert!(r.score <= 100);
        for f in &r.findings {
            assert!(f.start <= f.end && f.end <= draft.len(), "{draft}: {f:?}");
            assert!(draft.is_char_boundary(f.start) && draft.is_char_boundary(f.end));
        }
    }
}

#[test]
fn long_reply_is_linear_and_bounded() {
    let e = Engine::default();
    let draft = "I'm sorry. I'll refund you within 3 days. ".repeat(5_000);
    let r = e
        .review_reply("Where is my refund?", &draft, &Context::default())
        .expect("review");
    assert!(r.findings.len() < 200, "{}", r.findings.len());
    assert!(r.empathy.emotional_reactions.spans.len() <= 8);
}

#[test]
fn deterministic() {
    let e = Engine::default();
    let ctx = Context::builder()
        .customer_name("Maria")
        .build()
        .expect("ctx");
    let a = e
        .review_reply(
            "My card was stolen!",
            "We apologize for any inconvenience.",
            &ctx,
        )
        .expect("review");
    let b = e
        .review_reply(
            "My card was stolen!",
            "We apologize for any inconvenience.",
            &ctx,
        )
        .expect("review");
    assert_eq!(a, b);
    let back: ReplyReview = serde_json::from_str(&a.to_json()).expect("round trip");
    assert_eq!(a, back);
}

#[test]
fn every_finding_code_has_a_golden_case_or_is_conversation_only() {
    let text = std::fs::read_to_string(golden_expect::golden_path("reviews.jsonl")).expect("file");
    let missing: Vec<&str> = tactful::FINDING_CODES
        .iter()
        .copied()
        // These need a conversation: covered by the conversation golden file.
        .filter(|c| !matches!(*c, "repeated_line" | "no_wait_acknowledgement"))
        .filter(|c| !text.contains(&format!("\"{c}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "no golden review case mentions {missing:?}"
    );
}

mod fuzz {
    use proptest::prelude::*;
    use tactful::{Context, Conversation, Engine, Span};

    fn check_span(text: &str, s: &Span) {
        assert!(s.start <= s.end && s.end <= text.len(), "{s:?}");
        assert_eq!(text.get(s.start..s.end), Some(s.text.as_str()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any text, any script, never panics; every span points into the draft.
        #[test]
        fn review_never_panics_and_spans_are_valid(
            draft in "[a-zA-Z0-9 .,!?'’\\n😀éß\u{0}-\u{7f}]{1,300}",
            customer in "[a-zA-Z !?]{1,80}",
        ) {
            let engine = Engine::default();
            let ctx = Context::builder().customer_name("Ana").prior_contacts(1).build().expect("ctx");
            if let Ok(r) = engine.review_reply(&customer, &draft, &ctx) {
                prop_assert!(r.score <= 100);
                for f in &r.findings {
                    prop_assert!(f.start <= f.end && f.end <= draft.len());
                    prop_assert!(draft.is_char_boundary(f.start) && draft.is_char_boundary(f.end));
                }
                let e = &r.empathy;
                for m in [&e.emotional_reactions, &e.interpretations, &e.explorations] {
                    prop_assert!(m.level <= 2);
                    for s in &m.spans { check_span(&draft, s); }
                }
                let s = &r.signals;
                for list in [&s.ownership, &s.next_step, &s.time_frame, &s.personalization, &s.acknowledgement] {
                    for sp in list { check_span(&draft, sp); }
                }
            }
        }

        /// Any sequence of turns keeps the state consistent.
        #[test]
        fn conversation_never_panics(turns in proptest::collection::vec(("[a-zA-Z !?.]{0,60}", any::<bool>(), 0u64..1000), 1..12)) {
            let mut c = Conversation::new(Engine::default(), Context::default());
            let mut ok = 0;
            for (text, customer, ts) in &turns {
                let r = if *customer { c.push_customer(text, Some(*ts)) } else { c.push_agent(text, Some(*ts)) };
                if r.is_ok() { ok += 1; }
                let st = c.state();
                prop_assert_eq!(st.turns, ok);
                prop_assert!((0.0..=1.0).contains(&st.heat));
            }
        }
    }
}

#[test]
fn playbook_lists_and_channel_limits_are_used() {
    let draft = "Per the synergy matrix, your parcel ships today and arrives by Friday.";
    let customer = "Where is my parcel?";
    let ctx = Context::builder()
        .channel(tactful::Channel::Chat)
        .build()
        .expect("ctx");
    let default = Engine::default();
    let r = default.review_reply(customer, draft, &ctx).expect("review");
    assert!(
        !r.has(tactful::FindingCode::CannedPhrase) && !r.has(tactful::FindingCode::Jargon),
        "{:?}",
        r.findings
    );

    let mut pb = tactful::Playbook::default_playbook()
        .expect("playbook")
        .clone();
    pb.canned_phrases.push("per the".into());
    pb.jargon.push("synergy matrix".into());
    for ch in &mut pb.channels {
        if ch.channel == tactful::Channel::Chat {
            ch.max_reply_words = 5;
        }
    }
    let custom = Engine::builder().playbook(pb).build().expect("engine");
    let r = custom.review_reply(customer, draft, &ctx).expect("review");
    assert!(
        r.has(tactful::FindingCode::CannedPhrase),
        "{:?}",
        r.findings
    );
    assert!(r.has(tactful::FindingCode::Jargon), "{:?}", r.findings);
    assert!(
        r.has(tactful::FindingCode::TooLongForChannel),
        "{:?}",
        r.findings
    );
    // Both engines live side by side: the default one is unaffected.
    let again = default.review_reply(customer, draft, &ctx).expect("review");
    assert!(
        !again.has(tactful::FindingCode::CannedPhrase) && !again.has(tactful::FindingCode::Jargon)
    );
}
