//! Golden conversations: `tests/golden/conversations.jsonl` (format in
//! `tests/golden/README-review.md`). Every conversation must pass.

#[path = "common/golden_expect.rs"]
mod golden_expect;

use serde_json::{json, Map, Value};
use tactful::{Context, Conversation, ConversationState, Engine, Speaker, TurnView};

fn state_json(s: &ConversationState) -> Map<String, Value> {
    let v = json!({
        "turns": s.turns,
        "customer_turns": s.customer_turns,
        "agent_turns": s.agent_turns,
        "emotion": s.emotion,
        "sentiment": s.sentiment,
        "heat": s.heat,
        "empathy_landed": s.empathy_landed,
        "action_mode": s.action_mode,
        "repetitions": s.repetitions,
        "customer_waiting_seconds": s.customer_waiting_seconds,
        "longest_wait_seconds": s.longest_wait_seconds,
        "supervisor_requested": s.escalation.supervisor_requested,
        "offer_supervisor": s.escalation.offer_supervisor,
        "offer_reason": s.escalation.reason,
        "approach": s.recommendation.as_ref().map(|r| r.approach),
        "adaptations": s.adaptations,
    });
    v.as_object().cloned().unwrap_or_default()
}

fn observed(v: &TurnView) -> Map<String, Value> {
    let mut o = state_json(&v.state);
    if let Some(s) = &v.signals {
        o.insert("repeated".into(), json!(s.repeated));
        o.insert("calm".into(), json!(s.calm));
        o.insert("turn_heat".into(), json!(s.heat));
    }
    if let Some(r) = &v.review {
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        o.insert("score".into(), json!(r.score));
        o.insert("codes".into(), json!(codes));
        o.insert("judged_approach".into(), json!(r.approach));
    }
    o.insert("waited_seconds".into(), json!(v.waited_seconds));
    o
}

#[test]
fn golden_conversations() {
    let text = std::fs::read_to_string(golden_expect::golden_path("conversations.jsonl"))
        .expect("golden file");
    let engine = Engine::default();
    let mut failed = Vec::new();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        n += 1;
        let case: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let ctx = match case.get("context") {
            Some(c) => Context::from_json(&c.to_string()).expect("context"),
            None => Context::default(),
        };
        let mut conv = Conversation::new(engine.clone(), ctx);
        for (t, turn) in case["turns"].as_array().into_iter().flatten().enumerate() {
            let speaker: Speaker = match turn["speaker"].as_str() {
                Some(s) => s.parse().expect("speaker"),
                None => panic!("{id}: turn {t} has no speaker"),
            };
            let text = turn["text"].as_str().unwrap_or("");
            let ts = turn.get("timestamp").and_then(Value::as_u64);
            let before = conv.state().clone();
            match (conv.push(speaker, text, ts), turn.get("expect_error")) {
                (Ok(_), Some(kind)) => failed.push(format!("{id} turn {t}: expected error {kind}")),
                (Err(e), Some(kind)) => {
                    if Some(e.kind()) != kind.as_str() {
                        failed.push(format!(
                            "{id} turn {t}: error {} instead of {kind}",
                            e.kind()
                        ));
                    }
                    if conv.state() != &before {
                        failed.push(format!("{id} turn {t}: a failed push changed the state"));
                    }
                }
                (Err(e), None) => failed.push(format!("{id} turn {t}: error {e}")),
                (Ok(view), None) => {
                    if let Some(exp) = turn.get("expect").and_then(Value::as_object) {
                        let obs = observed(&view);
                        let f = golden_expect::check(exp, &obs);
                        if !f.is_empty() {
                            failed.push(format!(
                                "{id} turn {t}: {}\n    observed {}",
                                f.join("; "),
                                Value::Object(obs)
                            ));
                        }
                    }
                }
            }
        }
        if let Some(exp) = case.get("expect_final").and_then(Value::as_object) {
            let obs = state_json(conv.state());
            let f = golden_expect::check(exp, &obs);
            if !f.is_empty() {
                failed.push(format!("{id} final: {}", f.join("; ")));
            }
        }
    }
    assert!(n >= 15, "only {n} golden conversations");
    println!("golden conversations: {}/{} passed", n - failed.len(), n);
    assert!(
        failed.is_empty(),
        "{} failure(s):\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn memory_is_bounded_on_long_conversations() {
    let mut c = Conversation::new(Engine::default(), Context::default());
    for i in 0..3_000u64 {
        let (who, text) = if i % 2 == 0 {
            (
                Speaker::Customer,
                format!("Where is order {i}? It is late again."),
            )
        } else {
            (
                Speaker::Agent,
                format!("I've checked order {i}; it arrives by Friday."),
            )
        };
        c.push(who, &text, Some(i * 10)).expect("push");
    }
    assert_eq!(c.state().turns, 3_000);
    assert!(c.recent_turns().count() <= 64);
    let json = serde_json::to_string(c.state()).expect("serialize");
    assert!(json.len() < 20_000, "{}", json.len());
}

#[test]
fn conversation_is_deterministic_and_send() {
    fn assert_send<T: Send + Sync>() {}
    assert_send::<Conversation>();
    let run = || {
        let mut c = Conversation::new(Engine::default(), Context::default());
        c.push_customer("My card was charged twice!", Some(0))
            .expect("push");
        c.push_agent("I'm so sorry you feel that way.", Some(5))
            .expect("push");
        c.push_customer("Stop apologizing and fix it.", Some(9))
            .expect("push");
        serde_json::to_string(c.state()).expect("json")
    };
    assert_eq!(run(), run());
}

#[test]
fn per_turn_work_is_bounded() {
    let mut c = Conversation::new(Engine::default(), Context::default());
    // Fifty "just fix it" in one turn: the turn keeps eight of the cue spans.
    let angry = "Just fix it. ".repeat(50);
    let v = c.push_customer(&angry, Some(0)).expect("push");
    let signals = v.signals.expect("customer turn signals");
    assert_eq!(signals.backfire.len(), 8);
    assert_eq!(signals.backfire[0].text, "Just fix it");
    // An agent turn of 300,000 words: analysed up to 262,144 words, findings capped per code.
    let long = "ok ".repeat(300_000);
    let v = c.push_agent(&long, Some(5)).expect("push");
    let review = v.review.expect("agent turn review");
    assert_eq!(review.words, 262_144);
    assert_eq!(
        review
            .findings
            .iter()
            .filter(|f| f.code == tactful::FindingCode::RepeatedWord)
            .count(),
        20
    );
    assert_eq!(review.findings_omitted, 262_123);
}

#[test]
fn action_mode_speaks_of_the_journey_for_a_flight() {
    let mut c = Conversation::new(Engine::default(), Context::default());
    c.push_customer(
        "My flight to Denver was cancelled and nobody at the gate can help.",
        Some(0),
    )
    .expect("push");
    c.push_agent("I'm so sorry you feel that way.", Some(5))
        .expect("push");
    let v = c
        .push_customer(
            "Stop apologizing and just rebook my flight to Denver.",
            Some(9),
        )
        .expect("push");
    let rec = v.state.recommendation.as_ref().expect("recommendation");
    let opening = &rec.opening;
    assert!(
        opening.starts_with("I'm checking your booking"),
        "{opening}"
    );
    assert!(!opening.contains("order"), "{opening}");
}
