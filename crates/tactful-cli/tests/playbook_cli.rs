//! `tactful playbook --dump` shows every sentence of the playbook, through the built binary.

use std::process::Command;

fn tactful() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tactful"))
}

fn dump(args: &[&str]) -> String {
    let out = tactful().args(args).output().expect("run tactful");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn dump_shows_rationale_and_conversation_sentences() {
    let text = dump(&["playbook", "--dump"]);
    for line in [
        "[rationale]",
        "calm_question = \"a calm question: answer plainly and precisely\"",
        "stake_other = \"something that matters\"",
        "[conversation]",
        "long_wait_step = \"Thank them for waiting ({waited}).\"",
        "[lines]",
        "churn_step = \"They may be about to leave: ask what would make this right for them.\"",
        "alternatives_fallback = \"the options we do have\"",
    ] {
        assert!(text.lines().any(|l| l == line), "missing: {line}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&dump(&["playbook", "--dump", "--json"])).expect("json");
    assert_eq!(
        json["conversation"]["offer_supervisor_step"],
        "Offer a supervisor or a human takeover."
    );
    assert_eq!(json["rationale"]["stake_money"], "money");
}

/// A custom playbook that leaves the sentence tables out is dumped with the default
/// playbook's sentences, and an overridden one as given.
#[test]
fn dump_of_a_custom_playbook_fills_in_the_default_sentences() {
    let mut custom = String::new();
    let mut skipping = false;
    for line in tactful::Playbook::default_toml().lines() {
        if line.starts_with('[') {
            skipping = line == "[rationale]" || line == "[conversation]";
        }
        if !skipping {
            custom.push_str(line);
            custom.push('\n');
        }
    }
    custom.push_str("\n[rationale]\nabuse = \"Abuse: stay calm, do not take it personally.\"\n");
    let path = std::env::temp_dir().join(format!("tactful-dump-{}.toml", std::process::id()));
    std::fs::write(&path, custom).expect("write");
    let p = path.to_str().expect("utf-8 path");
    let text = dump(&["--playbook", p, "playbook", "--dump"]);
    let _ = std::fs::remove_file(&path);
    for line in [
        "abuse = \"Abuse: stay calm, do not take it personally.\"",
        "calm_question = \"a calm question: answer plainly and precisely\"",
        "closing = \"You're welcome, I'm glad that helps. Is there anything else I can do for you?\"",
    ] {
        assert!(text.lines().any(|l| l == line), "missing: {line}\n{text}");
    }
}
