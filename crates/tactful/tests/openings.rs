//! The recommendation's own words against the project's own judgement, over every golden case
//! (`tests/golden/assess.jsonl`, `tests/golden/realistic.jsonl`) and every held-out realistic
//! message (`data/situations/test/*.jsonl`):
//!
//! - `openings_pass_the_reply_review`: the opening the recommender writes scores at least
//!   [`MIN_SCORE`] in [`Engine::review_reply`] with the same message and context.
//!
//! `TACTFUL_OPENINGS_REPORT=1 cargo test -p tactful --test openings -- --nocapture` prints
//! every opening with its score and findings.

use std::path::PathBuf;

use serde_json::Value;
use tactful::{Context, Engine};

/// The lowest review score an opening of our own may get.
const MIN_SCORE: u8 = 85;

/// One message with its context, from any of the sets.
struct Message {
    id: String,
    text: String,
    ctx: Context,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_jsonl(path: &PathBuf) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// The golden cases (their `context`) and the held-out realistic messages (their `channel`).
fn messages() -> Vec<Message> {
    let mut out = Vec::new();
    let golden = root().join("tests/golden");
    for name in ["assess.jsonl", "realistic.jsonl"] {
        for v in read_jsonl(&golden.join(name)) {
            let ctx = match v.get("context") {
                Some(c) => Context::from_json(&c.to_string()).expect("golden context"),
                None => Context::default(),
            };
            out.push(Message {
                id: v["id"].as_str().expect("id").to_string(),
                text: v["text"].as_str().expect("text").to_string(),
                ctx,
            });
        }
    }
    let dir = root().join("data/situations/test");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for f in files {
        for v in read_jsonl(&f) {
            let ctx = match v.get("channel").and_then(Value::as_str) {
                Some(c) => Context::from_json(&format!("{{\"channel\":\"{c}\"}}"))
                    .expect("realistic channel"),
                None => Context::default(),
            };
            out.push(Message {
                id: v["id"].as_str().expect("id").to_string(),
                text: v["text"].as_str().expect("text").to_string(),
                ctx,
            });
        }
    }
    out
}

fn report() -> bool {
    std::env::var("TACTFUL_OPENINGS_REPORT").is_ok_and(|v| !v.is_empty())
}

#[test]
fn openings_pass_the_reply_review() {
    let engine = Engine::default();
    let msgs = messages();
    assert!(msgs.len() >= 2500, "only {} messages", msgs.len());
    let mut failures = Vec::new();
    for m in &msgs {
        let a = engine.assess(&m.text, &m.ctx).expect("assess");
        let opening = &a.recommendation.opening;
        let r = engine
            .review_reply(&m.text, opening, &m.ctx)
            .expect("review");
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        let line = format!(
            "{} [{} {:?}] {} {:?} {:?}",
            m.id, a.recommendation.approach, m.ctx.channel, r.score, opening, codes
        );
        if report() {
            println!("{line}");
        }
        if r.score < MIN_SCORE {
            failures.push(line);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} openings score below {MIN_SCORE}:\n{}",
        failures.len(),
        msgs.len(),
        failures.join("\n")
    );
}

/// Normalized for comparison: lower case, letters and digits separated by single spaces.
fn norm(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What an avoid item forbids, and the phrases of a step or the opening that would do it
/// anyway. An avoid item matches when its text contains the first phrase.
const CONTRADICTIONS: &[(&str, &[&str])] = &[
    // A repeat contact must not be asked for the story again.
    (
        "explain everything again",
        &[
            "tell me more",
            "everything that happened",
            "whole story",
            "explain what happened",
            "walk me through what happened",
        ],
    ),
    (
        "repeat details you already have",
        &[
            "tell me more",
            "everything that happened",
            "whole story",
            "explain what happened",
        ],
    ),
    // Listening first: nothing acts "before anything else".
    (
        "jumping straight to a solution",
        &[
            "then act",
            "act first",
            "block the affected card or account before",
        ],
    ),
    // Action first: no step puts feelings before the action.
    (
        "paragraphs of sympathy before any action",
        &[
            "validate the feeling before anything else",
            "let the customer finish",
            "only then propose a fix",
        ],
    ),
    // A data-driven customer gets facts with the feelings.
    (
        "feelings talk without facts",
        &["validate the feeling before anything else"],
    ),
    // A plain question has nothing to apologize for.
    ("apologizing when nothing went wrong", &["sorry", "apolog"]),
    // A vulnerable customer is not pushed.
    (
        "rushing them",
        &["one short acknowledgement", "fast decision", "upsell"],
    ),
];

#[test]
fn steps_and_openings_never_do_what_the_avoid_list_forbids_nor_repeat() {
    let engine = Engine::default();
    let mut problems = Vec::new();
    for m in messages() {
        let r = engine
            .assess(&m.text, &m.ctx)
            .expect("assess")
            .recommendation;
        let avoid: Vec<String> = r.avoid.iter().map(|a| a.to_lowercase()).collect();
        for (forbidden, phrases) in CONTRADICTIONS {
            if !avoid.iter().any(|a| a.contains(forbidden)) {
                continue;
            }
            let said = r
                .steps
                .iter()
                .map(|s| ("step", s))
                .chain(std::iter::once(("opening", &r.opening)));
            for (what, text) in said {
                let lower = text.to_lowercase();
                if let Some(p) = phrases.iter().find(|p| lower.contains(*p)) {
                    problems.push(format!(
                        "{} [{}]: avoid \"{forbidden}\" but {what} says \"{p}\": {text:?}",
                        m.id, r.approach
                    ));
                }
            }
        }
        let mut seen: Vec<String> = Vec::new();
        for s in r.steps.iter().chain(r.avoid.iter()) {
            let n = norm(s);
            if seen.contains(&n) {
                problems.push(format!("{}: said twice: {s:?}", m.id));
            }
            seen.push(n);
        }
    }
    assert!(
        problems.is_empty(),
        "{} contradictions or repeats:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The longest reply a tweet can carry.
const TWEET_CHARS: usize = 280;

/// What a phone agent cannot say aloud: links, bullets, "(s)".
const UNSPEAKABLE: &[&str] = &[
    "http", "www.", "://", "•", "·", "▪", "–", "(s)", "\n", "e.g.", "i.e.", "&", "/",
];

#[test]
fn social_openings_fit_a_tweet_and_take_account_matters_to_dm() {
    let engine = Engine::default();
    let dm = engine.playbook().lines.social_private.clone();
    assert!(dm.contains("send us a DM"), "{dm}");
    let (mut social, mut private) = (0, 0);
    let mut problems = Vec::new();
    for m in messages() {
        if m.ctx.channel != Some(tactful::Channel::Social) {
            continue;
        }
        social += 1;
        let a = engine.assess(&m.text, &m.ctx).expect("assess");
        let (s, r) = (&a.situation, &a.recommendation);
        let chars = r.opening.chars().count();
        if chars > TWEET_CHARS {
            problems.push(format!("{}: {chars} characters: {:?}", m.id, r.opening));
        }
        let spec = engine
            .playbook()
            .category(&s.category.label)
            .expect("category");
        let account = spec.account_details
            || spec.money_at_risk
            || spec.security
            || s.flags.contains(&tactful::Flag::MoneyAtRisk)
            || s.flags.contains(&tactful::Flag::Security);
        let needs_dm = account && r.approach != tactful::Approach::Appreciate;
        if needs_dm {
            private += 1;
        }
        if needs_dm != r.opening.contains(dm.as_str()) {
            problems.push(format!(
                "{} [{} {}]: DM expected {needs_dm}: {:?}",
                m.id, s.category.label, r.approach, r.opening
            ));
        }
    }
    assert!(
        social >= 300 && private >= 100,
        "{social} social, {private} private"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn phone_openings_are_speakable() {
    let engine = Engine::default();
    let mut phone = 0;
    let mut problems = Vec::new();
    for m in messages() {
        if m.ctx.channel != Some(tactful::Channel::Phone) {
            continue;
        }
        phone += 1;
        let o = engine
            .assess(&m.text, &m.ctx)
            .expect("assess")
            .recommendation
            .opening;
        if let Some(bad) = UNSPEAKABLE.iter().find(|b| o.contains(*b)) {
            problems.push(format!("{}: {bad:?} in {o:?}", m.id));
        }
    }
    assert!(phone >= 250, "{phone} phone messages");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Exact openings for one message per channel rule.
#[test]
fn channel_openings_exactly() {
    let engine = Engine::default();
    let ctx = |json: &str| Context::from_json(json).expect("context");
    let social = ctx(r#"{"channel": "social"}"#);
    // Money on a public channel: one line of acknowledgement, then to DM; no amount repeated.
    let o = engine
        .assess(
            "@bank someone just took $900 from my account and I didn't make this payment, block my card now!",
            &social,
        )
        .expect("assess")
        .recommendation
        .opening;
    assert_eq!(
        o,
        "I'm sorry about the unauthorized activity. Please send us a DM with your account details and I'll sort it out right away."
    );
    // Locked out, said in public: access needs account details too.
    let a = engine
        .assess(
            "@app I'm locked out of my account again and the password reset email never comes",
            &social,
        )
        .expect("assess");
    assert_eq!(&*a.situation.category.label, "account_access");
    assert!(
        a.recommendation.opening.ends_with(
            "Please send us a DM with your account details and I'll sort it out right away."
        ),
        "{}",
        a.recommendation.opening
    );
    // A praise tweet stays public.
    let o = engine
        .assess(
            "@shop your delivery driver was brilliant today, thank you!",
            &social,
        )
        .expect("assess")
        .recommendation
        .opening;
    assert!(!o.contains("DM"), "{o}");
    assert!(o.chars().count() <= TWEET_CHARS, "{o}");
    // A repeat contact on social with a supervisor request keeps to a tweet.
    let name = ctx(r#"{"channel": "social", "customer_name": "Bartholomew", "prior_contacts": 3}"#);
    let o = engine
        .assess(
            "@bank third time asking: you charged me twice for the same order, get me a manager now",
            &name,
        )
        .expect("assess")
        .recommendation
        .opening;
    assert!(o.starts_with("Bartholomew, "), "{o}");
    assert!(
        o.chars().count() <= TWEET_CHARS,
        "{} chars: {o}",
        o.chars().count()
    );
    assert!(o.contains("send us a DM"), "{o}");
}
