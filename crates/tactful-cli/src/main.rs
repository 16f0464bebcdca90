//! The `tactful` command: assess a message, assess a JSONL batch, dump the playbook.

use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

mod conversation;
mod review;

use clap::{Parser, Subcommand};
use rayon::prelude::*;
use serde::Deserialize;
use tactful::{Assessment, Channel, Context, Engine, Playbook};

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
    Batch(BatchArgs),
    /// Print the playbook (the embedded default unless --playbook is given).
    Playbook(PlaybookArgs),
    /// Review an agent's draft reply against the customer's message.
    Review(review::ReviewArgs),
    /// Follow a conversation (JSONL, one turn a line) and print each turn and the final state.
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
    /// Earlier contacts about the same issue.
    #[arg(long, default_value_t = 0)]
    prior_contacts: u32,
    /// A whole context as JSON (fields as in DESIGN.md); the flags above override it.
    #[arg(long, value_name = "JSON")]
    context: Option<String>,
    /// Print the full Assessment as JSON.
    #[arg(long)]
    json: bool,
    /// The customer's message; read from stdin when omitted.
    text: Option<String>,
}

#[derive(clap::Args)]
struct BatchArgs {
    /// Input JSONL file, `-` for stdin.
    #[arg(long, short)]
    input: String,
    /// Output JSONL file, `-` for stdout.
    #[arg(long, short, default_value = "-")]
    output: String,
    /// Lines assessed together in parallel before writing (bounded memory).
    #[arg(long, default_value_t = 4096)]
    chunk: usize,
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
        Command::Batch(b) => batch(&engine(&cli)?, b),
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

#[derive(Deserialize)]
struct BatchLine {
    #[serde(default)]
    id: serde_json::Value,
    text: serde_json::Value,
    #[serde(default)]
    context: Option<serde_json::Value>,
}

/// One input line, read as bytes so that a line of invalid UTF-8 fails alone.
struct Item {
    line: usize,
    bytes: Vec<u8>,
}

fn process(engine: &Engine, item: &Item) -> Result<String, String> {
    let fail = |id: &serde_json::Value, msg: String| {
        let v = serde_json::json!({"id": id, "line": item.line, "error": msg});
        v.to_string()
    };
    let null = serde_json::Value::Null;
    let text = match std::str::from_utf8(&item.bytes) {
        Ok(t) => t,
        Err(e) => return Err(fail(&null, format!("invalid UTF-8: {e}"))),
    };
    let parsed: BatchLine = match serde_json::from_str(text) {
        Ok(p) => p,
        Err(e) => return Err(fail(&null, format!("invalid JSON line: {e}"))),
    };
    let Some(msg) = parsed.text.as_str() else {
        return Err(fail(&parsed.id, "`text` must be a string".into()));
    };
    let ctx = match parsed.context {
        None | Some(serde_json::Value::Null) => Context::default(),
        Some(v) => match Context::from_json(&v.to_string()) {
            Ok(c) => c,
            Err(e) => return Err(fail(&parsed.id, e.to_string())),
        },
    };
    match engine.assess(msg, &ctx) {
        Ok(a) => Ok(serde_json::json!({"id": parsed.id, "assessment": a}).to_string()),
        Err(e) => Err(fail(&parsed.id, e.to_string())),
    }
}

fn batch(engine: &Engine, b: &BatchArgs) -> Result<ExitCode, String> {
    let input: Box<dyn BufRead> = if b.input == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        let f =
            std::fs::File::open(&b.input).map_err(|e| format!("cannot read {}: {e}", b.input))?;
        Box::new(BufReader::with_capacity(1 << 20, f))
    };
    let mut out: Box<dyn Write> = if b.output == "-" {
        Box::new(BufWriter::new(io::stdout().lock()))
    } else {
        let f = std::fs::File::create(&b.output)
            .map_err(|e| format!("cannot write {}: {e}", b.output))?;
        Box::new(BufWriter::with_capacity(1 << 20, f))
    };
    let bar = if io::stderr().is_terminal() {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} rows  {per_sec}  {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Some(pb)
    } else {
        None
    };
    let start = Instant::now();
    let (mut rows, mut errors, mut line_no) = (0usize, 0usize, 0usize);
    let mut reader = input;
    let chunk = b.chunk.max(1);
    let mut done = false;
    while !done {
        let mut items = Vec::with_capacity(chunk);
        while items.len() < chunk {
            let mut buf = Vec::new();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    done = true;
                    break;
                }
                Ok(_) => {
                    line_no += 1;
                    while matches!(buf.last(), Some(b'\n' | b'\r')) {
                        buf.pop();
                    }
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    items.push(Item {
                        line: line_no,
                        bytes: buf,
                    });
                }
                Err(e) if rows == 0 && items.is_empty() => {
                    return Err(format!("cannot read input: {e}"));
                }
                Err(e) => {
                    eprintln!("tactful: input stopped at line {}: {e}", line_no + 1);
                    done = true;
                    break;
                }
            }
        }
        let results: Vec<Result<String, String>> =
            items.par_iter().map(|it| process(engine, it)).collect();
        for r in results {
            rows += 1;
            let line = match r {
                Ok(l) => l,
                Err(l) => {
                    errors += 1;
                    l
                }
            };
            out.write_all(line.as_bytes())
                .and_then(|_| out.write_all(b"\n"))
                .map_err(|e| format!("cannot write output: {e}"))?;
        }
        if let Some(bar) = &bar {
            bar.set_position(rows as u64);
        }
    }
    out.flush()
        .map_err(|e| format!("cannot write output: {e}"))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "tactful batch: {rows} rows, {errors} errors, {:.0} rows/s",
        rows as f64 / secs
    );
    Ok(ExitCode::SUCCESS)
}
