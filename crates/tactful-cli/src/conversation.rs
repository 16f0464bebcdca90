//! `tactful conversation FILE.jsonl`: follow a conversation turn by turn.
//!
//! One turn a line: `{"speaker": "customer"|"agent", "text": "...", "timestamp": 12}`
//! (`timestamp` in seconds, optional). Blank lines are skipped.

use std::io::{self, BufRead, BufReader};

use serde::Deserialize;
use tactful::{Conversation, Engine, Speaker, TurnView};

/// What `tactful conversation --help` shows below the options.
pub const AFTER_HELP: &str = "\
Input: one conversation, one turn a line (JSON Lines); blank lines are skipped:
  {\"speaker\": \"customer\", \"text\": \"You charged me twice for order 4411.\", \"timestamp\": 0}
  {\"speaker\": \"agent\", \"text\": \"I'm so sorry you feel that way.\", \"timestamp\": 40}
  {\"speaker\": \"customer\", \"text\": \"Stop apologizing and just fix it!\", \"timestamp\": 70}
`speaker` is customer or agent; `timestamp` (seconds, optional) gives waiting times. Other
fields are an error, naming the line. Customer turns are assessed, agent turns reviewed.

Output: a view of each turn, then the final state; with --json one JSON object a line, the
last one {\"final_state\": {...}}.";

/// Options of `tactful conversation` (the global `--playbook FILE` and `--model FILE` apply).
#[derive(clap::Args, Debug)]
pub struct ConversationArgs {
    /// The conversation as JSON Lines, `-` for stdin.
    pub file: String,
    /// Channel: phone, chat, email, social, sms, in_person.
    #[arg(long)]
    pub channel: Option<String>,
    /// The customer's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Earlier contacts about the same issue (a non-negative integer).
    #[arg(long, default_value_t = 0, value_name = "N", allow_negative_numbers = true, value_parser = crate::non_negative)]
    pub prior_contacts: u32,
    /// A whole context as JSON: {"channel", "customer_name", "prior_contacts", "past_feedback", "relationship", "policy_conflict", "allowed_alternatives", "max_gesture"}, all optional (see the README); the flags above override it.
    #[arg(long, value_name = "JSON")]
    pub context: Option<String>,
    /// Print each turn's view and the final state as JSON Lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    speaker: Speaker,
    text: String,
    #[serde(default)]
    timestamp: Option<u64>,
}

/// Runs `tactful conversation`.
pub fn run(engine: &Engine, args: &ConversationArgs) -> Result<(), String> {
    let ctx = crate::review::context_of(
        args.context.as_deref(),
        args.channel.as_deref(),
        args.name.as_deref(),
        args.prior_contacts,
    )?;
    let reader: Box<dyn BufRead> = if args.file == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        let f = std::fs::File::open(&args.file)
            .map_err(|e| format!("cannot read {}: {e}", args.file))?;
        Box::new(BufReader::new(f))
    };
    let mut conv = Conversation::new(engine.clone(), ctx);
    for (i, line) in reader.split(b'\n').enumerate() {
        let line_no = i + 1;
        let bytes = line.map_err(|e| format!("line {line_no}: {e}"))?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| format!("line {line_no}: invalid UTF-8: {e}"))?;
        if text.trim().is_empty() {
            continue;
        }
        let turn: Line = serde_json::from_str(text).map_err(|e| format!("line {line_no}: {e}"))?;
        let view = conv
            .push(turn.speaker, &turn.text, turn.timestamp)
            .map_err(|e| format!("line {line_no}: {e}"))?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string(&view).map_err(|e| e.to_string())?
            );
        } else {
            print!("{}", render_turn(&view, &turn.text));
        }
    }
    let state = conv.state();
    if args.json {
        println!("{}", serde_json::json!({ "final_state": state }));
    } else {
        println!("final state");
        println!(
            "  turns {} (customer {}, agent {}), sentiment {}, emotion {}, heat {:.2}",
            state.turns,
            state.customer_turns,
            state.agent_turns,
            state.sentiment.as_str(),
            state.emotion.as_str(),
            state.heat
        );
        println!(
            "  empathy landed {}, action mode {}, repetitions {}, waiting {} s, longest wait {} s",
            match state.empathy_landed {
                Some(true) => "yes",
                Some(false) => "no (backfired)",
                None => "-",
            },
            state.action_mode,
            state.repetitions,
            state.customer_waiting_seconds,
            state.longest_wait_seconds
        );
        println!(
            "  supervisor requested {}, offer supervisor {}{}",
            state.escalation.supervisor_requested,
            state.escalation.offer_supervisor,
            state
                .escalation
                .reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        );
        if let Some(r) = &state.recommendation {
            println!(
                "  recommendation {} (empathy {}): \"{}\"",
                r.approach, r.empathy, r.opening
            );
        }
    }
    Ok(())
}

fn render_turn(v: &TurnView, text: &str) -> String {
    let mut o = format!("#{} {}: {}\n", v.index, v.speaker.as_str(), one_line(text));
    if let (Some(a), Some(s)) = (&v.assessment, &v.signals) {
        o += &format!(
            "   {} / {} ({:.2}), heat {:.2}, emotion {}, sentiment {}{}{}{}\n",
            a.situation.category.label,
            a.situation.emotion.label,
            a.situation.emotion.intensity,
            s.heat,
            v.state.emotion.as_str(),
            v.state.sentiment.as_str(),
            if s.repeated { ", repeated" } else { "" },
            match v.state.empathy_landed {
                Some(true) => ", empathy landed",
                Some(false) => ", empathy backfired",
                None => "",
            },
            if s.supervisor_request {
                ", asks for a supervisor"
            } else {
                ""
            },
        );
        if let Some(r) = &v.state.recommendation {
            o += &format!(
                "   -> {} (empathy {}): \"{}\"\n",
                r.approach, r.empathy, r.opening
            );
        }
        if !v.state.adaptations.is_empty() {
            o += &format!("   adapted: {}\n", v.state.adaptations.join(", "));
        }
    }
    if let Some(r) = &v.review {
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        o += &format!(
            "   review {}/100{}{}\n",
            r.score,
            if codes.is_empty() {
                String::new()
            } else {
                format!(": {}", codes.join(", "))
            },
            v.waited_seconds
                .map(|w| format!(" (customer waited {w} s)"))
                .unwrap_or_default()
        );
    }
    o
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 100 {
        let cut: String = s.chars().take(97).collect();
        format!("{cut}...")
    } else {
        s
    }
}
