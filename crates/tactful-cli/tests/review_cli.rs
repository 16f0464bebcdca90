//! `tactful review` and `tactful conversation` end to end, through the built binary.

use std::process::Command;

fn tactful() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tactful"))
}

#[test]
fn review_json() {
    let out = tactful()
        .args([
            "review",
            "--name",
            "Maria",
            "--customer",
            "Someone took $450 from my card, I didn't authorize it!",
            "--reply",
            "We apologize for any inconvenience. You should have kept your card safe.",
            "--json",
        ])
        .output()
        .expect("run tactful");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"blame"), "{codes:?}");
    assert!(codes.contains(&"canned_phrase"), "{codes:?}");
    assert!(v["score"].as_u64().expect("score") < 60);
}

#[test]
fn review_text_and_errors() {
    let out = tactful()
        .args([
            "review",
            "--customer",
            "Where is my order?",
            "--reply",
            "It ships today.",
        ])
        .output()
        .expect("run tactful");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("score"));
    let out = tactful()
        .args([
            "review",
            "--customer",
            "Where is my order?",
            "--reply",
            "  ",
        ])
        .output()
        .expect("run tactful");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
    let out = tactful()
        .args([
            "review",
            "--customer",
            "x",
            "--reply",
            "y",
            "--channel",
            "pigeon",
        ])
        .output()
        .expect("run tactful");
    assert!(!out.status.success());
}

#[test]
fn conversation_file() {
    let dir = std::env::temp_dir().join(format!("tactful-conv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let path = dir.join("chat.jsonl");
    std::fs::write(
        &path,
        concat!(
            "{\"speaker\": \"customer\", \"text\": \"You charged me twice for order 4411.\", \"timestamp\": 0}\n",
            "\n",
            "{\"speaker\": \"agent\", \"text\": \"I'm so sorry you feel that way.\", \"timestamp\": 40}\n",
            "{\"speaker\": \"customer\", \"text\": \"Stop apologizing and just fix it!\", \"timestamp\": 70}\n",
        ),
    )
    .expect("write");
    let out = tactful()
        .args(["conversation", "--json"])
        .arg(&path)
        .output()
        .expect("run tactful");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4, "3 turns and the final state");
    let last = &lines[3]["final_state"];
    assert_eq!(last["action_mode"], serde_json::json!(true));
    assert_eq!(last["empathy_landed"], serde_json::json!(false));

    // A malformed line names its line number.
    std::fs::write(&path, "{\"speaker\": \"robot\", \"text\": \"hi\"}\n").expect("write");
    let out = tactful()
        .arg("conversation")
        .arg(&path)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `conversation --help` describes the turn format (the README's example, in that format, is
/// run and compared by `scripts/readme-samples.py`).
#[test]
fn conversation_help_documents_turn_format() {
    let help = tactful()
        .args(["conversation", "--help"])
        .output()
        .expect("run tactful");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("one turn a line") && help.contains("{\"speaker\": \"customer\""),
        "{help}"
    );
}
