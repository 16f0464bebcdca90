//! How fast is `tactful`? Criterion benchmarks of the core engine on realistic texts:
//!
//! - `assess/short` (≈80 bytes), `assess/medium` (≈600 bytes), `assess/long` (≈10 KB),
//! - `assess_rules_only/short|medium` (the rules without the trained models, to see what they cost),
//! - `classify/short` (the situation alone, without the recommendation),
//! - `assess_batch/1000_short` (throughput of a batch of 1,000 short texts on all cores).
//!
//! Run: `cargo bench -p tactful --bench assess` (medians: `target/criterion/<group>/<name>/new/estimates.json`).
//! Quick smoke run of every benchmark once: `cargo test -p tactful --bench assess`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tactful::{Channel, Context, Engine};

/// ≈80 bytes: a typical chat line.
const SHORT: &str =
    "Someone used my card in Lisbon and took €312 this morning. Please block it now!";

/// ≈600 bytes: a typical complaint paragraph (repeat contact, money, threat, ids, dates).
const MEDIUM: &str =
    "Hi, this is the third time I'm contacting you about order #88812. The blender \
I paid €349 for arrived on 3 November with a cracked jug, and when I called on the 5th I was \
promised a replacement within 48 hours. Nobody called back. Yesterday your chat agent told me \
the replacement had not even been requested and that I should wait another two weeks. I'm not \
happy about this at all: I took a day off work for the first delivery and another for the courier \
who never came. I want the replacement sent today or a full refund. If this isn't sorted by \
Friday I will dispute the charge with my bank and post about it everywhere.";

/// Paragraphs of a long, rambling email; [`long_text`] cycles through them to reach ≈10 KB.
const PARAGRAPHS: &[&str] = &[
    "Dear customer services,\n\nI am writing, once again, about my broadband and phone account \
     (account number 40012-7788) because after six weeks and, by my count, eleven phone calls, \
     four chats and two emails, nothing has been resolved and I am running out of patience.",
    "It started on 2 October when my internet began dropping out every evening between about \
     7pm and 11pm. I work from home, so this is not a small thing for me. The first agent I spoke \
     to was friendly but told me to restart the router, which I had of course already done.",
    "An engineer was booked for 9 October. Nobody came. I waited in all day. When I called to \
     ask what had happened I was told the appointment had been cancelled 'by the system' and that \
     I should have received a text, which I never did. A new appointment was made for the 16th.",
    "The engineer on the 16th was great, honestly, he was polite and explained things clearly, \
     but he said the fault was outside in the street cabinet and that a different team would need \
     to fix it. He promised someone would call me within 48 hours. Nobody called back.",
    "Meanwhile I have been charged the full £54.99 for October and again for November, plus a \
     £7.50 'late payment fee' because my direct debit failed on the 1st, which was your error, \
     not mine: your own letter dated 28 October admits the mandate was set up incorrectly.",
    "I have been a customer for nine years. I have never complained before. But I am now \
     seriously considering switching to another provider, and I have already looked at two \
     offers that are cheaper than what I pay you, without any of this stress.",
    "What I would like is simple: a working connection, a refund of the days without service, \
     the late fee removed, and a written confirmation of what you are doing and by when. I do not \
     want another apology for any inconvenience, I want a date.",
];

/// ≈10 KB of varied text (never the same sentence twice in a row).
fn long_text() -> String {
    let mut out = String::with_capacity(10_400);
    for p in PARAGRAPHS.iter().cycle() {
        if out.len() >= 10_000 {
            break;
        }
        out.push_str(p);
        out.push_str("\n\n");
    }
    out
}

/// Short texts for the batch benchmark; [`batch_texts`] varies the ids so the 1,000 differ.
const SHORT_TEXTS: &[&str] = &[
    "my card got declined at the supermarket even though I have money",
    "Where is my order #{n}? It was due on Monday.",
    "I want to cancel my subscription, it's too expensive.",
    "Thank you so much, the new router works perfectly!",
    "Does the card work with Apple Pay?",
    "This is the third time I'm asking about refund {n}!!!",
    "locked out of my account again, reset email never comes",
    "The laptop I got yesterday won't turn on. Order {n}.",
    "Someone used my card abroad and took $900, block it now!",
    "I've been on hold for 40 minutes, I want a manager.",
];

fn batch_texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| SHORT_TEXTS[i % SHORT_TEXTS.len()].replace("{n}", &(10_000 + i).to_string()))
        .collect()
}

fn bench(c: &mut Criterion) {
    // Parse the embedded playbook and models before timing anything.
    Engine::preload().expect("embedded data loads");
    let engine = Engine::default();
    let ctx = Context::builder()
        .channel(Channel::Chat)
        .customer_name("Maria")
        .build()
        .expect("context");
    let long = long_text();
    assert!(
        (70..=90).contains(&SHORT.len()),
        "short is {} bytes",
        SHORT.len()
    );
    assert!(
        (550..=700).contains(&MEDIUM.len()),
        "medium is {} bytes",
        MEDIUM.len()
    );
    assert!(
        (10_000..=10_600).contains(&long.len()),
        "long is {} bytes",
        long.len()
    );

    let mut g = c.benchmark_group("assess");
    for (name, text) in [
        ("short", SHORT),
        ("medium", MEDIUM),
        ("long", long.as_str()),
    ] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| {
                engine
                    .assess(black_box(t), black_box(&ctx))
                    .expect("assess")
            })
        });
    }
    g.finish();

    // The same texts with the rules alone: what the trained models cost.
    let rules = Engine::builder()
        .rules_only(true)
        .build()
        .expect("rules-only engine");
    let mut g = c.benchmark_group("assess_rules_only");
    for (name, text) in [("short", SHORT), ("medium", MEDIUM)] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| rules.assess(black_box(t), black_box(&ctx)).expect("assess"))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Bytes(SHORT.len() as u64));
    g.bench_function("short", |b| {
        b.iter(|| {
            engine
                .classify(black_box(SHORT), black_box(&ctx))
                .expect("classify")
        })
    });
    g.finish();

    let texts = batch_texts(1_000);
    let mut g = c.benchmark_group("assess_batch");
    g.throughput(Throughput::Elements(texts.len() as u64));
    // One iteration is a thousand assessments: fewer samples keep the run short.
    g.sample_size(20);
    g.bench_function("1000_short", |b| {
        b.iter(|| {
            let out = engine.assess_batch(black_box(&texts), black_box(&ctx));
            debug_assert!(out.iter().all(Result::is_ok));
            out
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
