//! Quick start: assess a message with the embedded default playbook and models.
//!
//! Run: `cargo run --release -p tactful --example quickstart`

use tactful::{Approach, Channel, Context, Engine, Relationship};

fn main() -> Result<(), tactful::Error> {
    // Build once, share everywhere: Engine is Send + Sync and cheap to clone.
    let engine = Engine::default();

    // What the contact center already knows; every field is optional.
    let maria = Context::builder()
        .channel(Channel::Chat)
        .customer_name("Maria")
        .relationship(Relationship::HighValue)
        .build()?;
    let repeat = Context::builder()
        .channel(Channel::Email)
        .prior_contacts(2)
        .build()?;

    let messages = [
        ("Someone used my card in Madrid last night and took €900. Block it now!", &maria),
        ("I just need to get this off my chest. The way your staff treated me yesterday was humiliating.", &maria),
        ("How do I change the delivery address on order #55012?", &maria),
        ("My refund STILL hasn't arrived. This is the third time I'm writing.", &repeat),
        ("Thank you so much, the replacement arrived today and works perfectly!", &maria),
    ];
    for (text, ctx) in messages {
        let a = engine.assess(text, ctx)?;
        let s = &a.situation;
        let r = &a.recommendation;
        println!("> {text}");
        println!(
            "  {} / {} ({:.2}) / urgency {} -> {} (empathy {})",
            s.category.label,
            s.emotion.label,
            s.emotion.intensity,
            s.urgency,
            r.approach,
            r.empathy
        );
        println!("  opening: {}", r.opening);
        if r.approach == Approach::ResolveFirst {
            println!("  (resolution comes before sympathy here)");
        }
    }

    // The full JSON shape every surface returns.
    let a = engine.assess(messages[0].0, &maria)?;
    println!("{}", a.to_json());
    Ok(())
}
