//! `tactful review`: review an agent's draft reply against the customer's message.

use std::io::{self, Read};

use tactful::{Channel, Context, Engine, ReplyReview};

/// Options of `tactful review` (the global `--playbook FILE` and `--model FILE` apply).
#[derive(clap::Args, Debug)]
pub struct ReviewArgs {
    /// The customer's message.
    #[arg(long, value_name = "TEXT")]
    pub customer: String,
    /// The agent's draft reply; `-` reads it from stdin.
    #[arg(long, value_name = "TEXT")]
    pub reply: String,
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
    /// Print the full review as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Builds the context from `--context`, `--channel`, `--name` and `--prior-contacts`.
pub(crate) fn context_of(
    json: Option<&str>,
    channel: Option<&str>,
    name: Option<&str>,
    prior_contacts: u32,
) -> Result<Context, String> {
    let mut ctx = match json {
        Some(j) => Context::from_json(j).map_err(|e| e.to_string())?,
        None => Context::default(),
    };
    if let Some(c) = channel {
        ctx.channel = Some(c.parse::<Channel>().map_err(|e| e.to_string())?);
    }
    if let Some(n) = name {
        ctx.customer_name = Some(n.to_string());
    }
    if prior_contacts > 0 {
        ctx.prior_contacts = prior_contacts;
    }
    ctx.validate().map_err(|e| e.to_string())?;
    Ok(ctx)
}

/// Runs `tactful review`.
pub fn run(engine: &Engine, args: &ReviewArgs) -> Result<(), String> {
    let reply = if args.reply == "-" {
        let mut s = String::new();
        io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("reading stdin: {e}"))?;
        s
    } else {
        args.reply.clone()
    };
    let ctx = context_of(
        args.context.as_deref(),
        args.channel.as_deref(),
        args.name.as_deref(),
        args.prior_contacts,
    )?;
    let review = engine
        .review_reply(&args.customer, &reply, &ctx)
        .map_err(|e| e.to_string())?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&review).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", render(&review, &reply));
    }
    Ok(())
}

/// A review for people.
pub(crate) fn render(r: &ReplyReview, draft: &str) -> String {
    let mut o = String::new();
    o += &format!(
        "score      {}/100  (judged against {}, empathy {})\n",
        r.score, r.approach, r.expected_empathy
    );
    let p = &r.parts;
    o += &format!(
        "parts      empathy {} ×{}  action {} ×{}  tone {} ×{}  clarity {} ×{}  personal {} ×{}  fit {} ×{}\n",
        p.empathy.score, p.empathy.weight, p.action.score, p.action.weight, p.tone.score,
        p.tone.weight, p.clarity.score, p.clarity.weight, p.personalization.score,
        p.personalization.weight, p.fit.score, p.fit.weight
    );
    let e = &r.empathy;
    o += &format!(
        "empathy    emotional reactions {}  interpretations {}  explorations {}\n",
        e.emotional_reactions.level, e.interpretations.level, e.explorations.level
    );
    let join = |v: &[tactful::Span]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.iter()
                .map(|s| format!("\"{}\"", s.text))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    o += &format!("ownership  {}\n", join(&r.signals.ownership));
    o += &format!("next step  {}\n", join(&r.signals.next_step));
    o += &format!("time frame {}\n", join(&r.signals.time_frame));
    if r.findings.is_empty() {
        o += "findings   none\n";
    } else {
        o += "findings\n";
        for f in &r.findings {
            let whole = f.start == 0 && f.end == draft.len();
            let at = if whole {
                String::new()
            } else {
                format!(" @{}..{}", f.start, f.end)
            };
            o += &format!(
                "  {:<8} {:<30}{} {}\n",
                f.severity.as_str(),
                f.code,
                at,
                f.message
            );
        }
    }
    if !r.suggestions.is_empty() {
        o += "suggestions\n";
        for s in &r.suggestions {
            o += &format!("  - {s}\n");
        }
    }
    o
}
