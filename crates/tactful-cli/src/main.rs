//! The `tactful` command: assess a message, assess a JSONL batch, dump the playbook.

use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;

mod conversation;
mod review;

use clap::{Parser, Subcommand};
use tactful::{Assessment, Channel, Context, Engine, Playbook};
use tactful_cli::batch;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "tactful",
    version,
    about = "Know when to empathize and when to just fix it."
)]
struct Cli {
    /// A custom playbook (.toml or .json) instead of the embedded default.
    #[arg(long, global = true, value_name = "FILE")]
    playbook: Option<PathBuf>,
    /// A custom model file instead of the embedded models.
    #[arg(long, global = true, value_name = "FILE")]
    model: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Assess one customer message (TEXT, or stdin when omitted).
    Assess(AssessArgs),
    /// Assess a JSON Lines file: {"id", "text", "context"?} per line.
    #[command(after_long_help = batch::AFTER_HELP)]
    Batch(batch::BatchArgs),
    /// Print the playbook (the embedded default unless --playbook is given).
    Playbook(PlaybookArgs),
    /// Review an agent's draft reply against the customer's message.
    Review(review::ReviewArgs),
    /// Follow a conversation (JSONL, one turn a line) and print each turn and the final state.
    #[command(after_long_help = conversation::AFTER_HELP)]
    Conversation(conversation::ConversationArgs),
}

#[derive(clap::Args)]
struct AssessArgs {
    /// Channel: phone, chat, email, social, sms, in_person.
    #[arg(long)]
    channel: Option<String>,
    /// The customer's name.
    #[arg(long)]
    name: Option<String>,
    /// Earlier contacts about the same issue (a non-negative integer).
    #[arg(long, default_value_t = 0, value_name = "N", allow_negative_numbers = true, value_parser = non_negative)]
    prior_contacts: u32,
    /// A whole context as JSON: {"channel", "customer_name", "prior_contacts", "past_feedback", "relationship", "policy_conflict", "allowed_alternatives", "max_gesture"}, all optional (see the README); the flags above override it.
    #[arg(long, value_name = "JSON")]
    context: Option<String>,
    /// Print the full Assessment as JSON.
    #[arg(long)]
    json: bool,
    /// The customer's message; read from stdin when omitted. Stdin takes a message of any
    /// size (up to the engine's 16 MiB input limit); an argument is limited by the OS
    /// ("Argument list too long"), so pipe long messages in.
    text: Option<String>,
}

/// Parses a count given on the command line: a non-negative integer.
pub(crate) fn non_negative(s: &str) -> Result<u32, String> {
    s.trim().parse::<u32>().map_err(|_| {
        format!(
            "must be a non-negative integer (0, 1, 2, ...) up to {}",
            u32::MAX
        )
    })
}

#[derive(clap::Args)]
struct PlaybookArgs {
    /// Print the playbook (TOML, with the default's comments).
    #[arg(long)]
    dump: bool,
    /// Print as JSON instead of TOML.
    #[arg(long)]
    json: bool,
}

/// Runs before `main` and before Rust's runtime start-up, which reopens a closed stdout on
/// /dev/null read-write: `tactful batch` then tells a closed stdout (`>&-`) from a /dev/null
/// opened read-write on purpose (Python's `subprocess.DEVNULL`).
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
#[used]
#[link_section = ".init_array"]
static RECORD_STDOUT_AT_START: extern "C" fn() = {
    extern "C" fn record() {
        batch::record_stdout_at_start();
    }
    record
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tactful: {e}");
            ExitCode::from(2)
        }
    }
}

fn engine(cli: &Cli) -> Result<Engine, String> {
    let mut b = Engine::builder();
    if let Some(p) = &cli.playbook {
        b = b.playbook_path(p);
    }
    if let Some(m) = &cli.model {
        b = b.model_path(m);
    }
    b.build().map_err(|e| e.to_string())
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match &cli.command {
        Command::Assess(a) => assess(&engine(&cli)?, a),
        Command::Batch(b) => batch::run(&engine(&cli)?, b).map(|()| ExitCode::SUCCESS),
        Command::Review(r) => review::run(&engine(&cli)?, r).map(|()| ExitCode::SUCCESS),
        Command::Conversation(c) => {
            conversation::run(&engine(&cli)?, c).map(|()| ExitCode::SUCCESS)
        }
        Command::Playbook(p) => {
            let text = match (&cli.playbook, p.json) {
                (None, false) => Playbook::default_toml().to_string(),
                (None, true) => Playbook::default_playbook()
                    .map_err(|e| e.to_string())?
                    .to_json(),
                (Some(path), json) => {
                    let pb = Playbook::from_path(path).map_err(|e| e.to_string())?;
                    if json {
                        pb.to_json()
                    } else {
                        pb.to_toml()
                    }
                }
            };
            if !p.dump {
                eprintln!("(printing the playbook; `--dump` is the explicit form)");
            }
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn assess(engine: &Engine, a: &AssessArgs) -> Result<ExitCode, String> {
    let text = match &a.text {
        Some(t) => t.clone(),
        None => {
            let mut s = String::new();
            io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("reading stdin: {e}"))?;
            s
        }
    };
    let mut ctx = match &a.context {
        Some(j) => Context::from_json(j).map_err(|e| e.to_string())?,
        None => Context::default(),
    };
    if let Some(c) = &a.channel {
        ctx.channel = Some(c.parse::<Channel>().map_err(|e| e.to_string())?);
    }
    if let Some(n) = &a.name {
        ctx.customer_name = Some(n.clone());
    }
    if a.prior_contacts > 0 {
        ctx.prior_contacts = a.prior_contacts;
    }
    let assessment = engine.assess(&text, &ctx).map_err(|e| e.to_string())?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&assessment).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", summary(&assessment));
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(a: &Assessment) -> String {
    let s = &a.situation;
    let r = &a.recommendation;
    let mut o = String::new();
    let flags: Vec<&str> = s.flags.iter().map(|f| f.as_str()).collect();
    o += &format!(
        "approach   {} (empathy: {}; tone: {})\n",
        r.approach,
        r.empathy,
        r.tone.join(", ")
    );
    o += &format!("opening    \"{}\"\n", r.opening);
    o += "why\n";
    for w in &r.rationale {
        o += &format!("  - {w}\n");
    }
    o += "steps\n";
    for (i, st) in r.steps.iter().enumerate() {
        o += &format!("  {}. {st}\n", i + 1);
    }
    o += "avoid\n";
    for av in &r.avoid {
        o += &format!("  - {av}\n");
    }
    if !r.channel_tips.is_empty() {
        o += "channel\n";
        for t in &r.channel_tips {
            o += &format!("  - {t}\n");
        }
    }
    o += "\nsituation\n";
    o += &format!(
        "  category   {} ({:.2})\n",
        s.category.label, s.category.confidence
    );
    o += &format!(
        "  emotion    {} ({:.2}, intensity {:.2})\n",
        s.emotion.label, s.emotion.confidence, s.emotion.intensity
    );
    o += &format!("  sentiment  {:+.2}\n", s.sentiment);
    o += &format!(
        "  urgency {}, stance {}, style {}\n",
        s.urgency, s.stance, s.style
    );
    o += &format!(
        "  risks      escalation {:.2}, churn {:.2}\n",
        s.escalation_risk, s.churn_risk
    );
    o += &format!(
        "  flags      {}\n",
        if flags.is_empty() {
            "-".into()
        } else {
            flags.join(", ")
        }
    );
    if !a.evidence.is_empty() {
        o += "evidence\n";
        for e in &a.evidence {
            o += &format!(
                "  {:>5}..{:<5} {:<22} \"{}\"\n",
                e.start, e.end, e.signal, e.text
            );
        }
    }
    o
}
