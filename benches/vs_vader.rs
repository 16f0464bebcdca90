//! tactful against the `vader_sentiment` crate (VADER, sentiment only) on the same texts, in
//! the same process, interleaved: each round times a block of calls of every contender in
//! turn (the order alternating between rounds), so a noisy machine slows all of them alike.
//! Prints the median time per call of each and the ratio to VADER.
//!
//! Run: `cargo bench -p tactful --bench vs_vader` (`-- --rounds N` for more rounds).
//! VADER scores sentiment only; tactful's `assess` reads the whole situation and writes the
//! recommendation, `classify` the situation alone.

use std::hint::black_box;
use std::time::Instant;

use tactful::{Context, Engine};
use vader_sentiment::SentimentIntensityAnalyzer;

/// ≈80-byte messages as customers write them (chat, tweet, SMS, email line).
const SHORT: &[&str] = &[
    "Someone used my card in Lisbon and took €312 this morning. Please block it now!",
    "@AcmeAir flight 212 cancelled again and nobody at the gate knows anything. 3 hrs",
    "hi can u tell me if the premium plan includes hotspot? thinking of upgrading thx",
    "Thanks so much for sorting my refund so quickly, the agent Dana was brilliant!!",
];

/// ≈600 bytes: a complaint paragraph.
const MEDIUM: &[&str] = &[
    "Hi, this is the third time I'm contacting you about order #88812. The blender \
I paid €349 for arrived on 3 November with a cracked jug, and when I called on the 5th I was \
promised a replacement within 48 hours. Nobody called back. Yesterday your chat agent told me \
the replacement had not even been requested and that I should wait another two weeks. I'm not \
happy about this at all: I took a day off work for the first delivery and another for the courier \
who never came. I want the replacement sent today or a full refund. If this isn't sorted by \
Friday I will dispute the charge with my bank and post about it everywhere.",
];

/// Calls per timed block.
const BLOCK: usize = 400;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut rounds = 31usize;
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rounds") {
        rounds = args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(rounds);
    }
    // `cargo test --benches` runs bench binaries once as a smoke test: keep that quick.
    if !args.iter().any(|a| a == "--bench") {
        rounds = 1;
    }
    let engine = Engine::default();
    Engine::preload().expect("embedded resources load");
    let ctx = Context::default();
    let vader = SentimentIntensityAnalyzer::new();

    type Contender<'a> = (&'static str, Box<dyn Fn(&str) -> usize + 'a>);
    let contenders: Vec<Contender<'_>> = vec![
        (
            "vader_sentiment polarity_scores",
            Box::new(|t: &str| vader.polarity_scores(t).len()),
        ),
        (
            "tactful classify",
            Box::new(|t: &str| {
                engine
                    .classify(t, &ctx)
                    .map_or(0, |c| c.situation.flags.len())
            }),
        ),
        (
            "tactful assess",
            Box::new(|t: &str| {
                engine
                    .assess(t, &ctx)
                    .map_or(0, |a| a.recommendation.steps.len())
            }),
        ),
    ];
    println!("median µs per call over {rounds} interleaved rounds of {BLOCK} calls");
    println!(
        "{:<34} {:>12} {:>10} {:>12} {:>10}",
        "", "≈80 bytes", "× vader", "≈600 bytes", "× vader"
    );
    let mut table: Vec<[f64; 2]> = vec![[0.0; 2]; contenders.len()];
    for (set, texts) in [SHORT, MEDIUM].iter().enumerate() {
        // Warm caches and lazy statics.
        for (_, f) in &contenders {
            for t in texts.iter() {
                black_box(f(black_box(t)));
            }
        }
        let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); contenders.len()];
        for round in 0..rounds {
            for k in 0..contenders.len() {
                // Alternate the order so that neither always runs first.
                let i = if round % 2 == 0 {
                    k
                } else {
                    contenders.len() - 1 - k
                };
                let f = &contenders[i].1;
                let start = Instant::now();
                for j in 0..BLOCK {
                    black_box(f(black_box(texts[j % texts.len()])));
                }
                times[i].push(start.elapsed().as_secs_f64() * 1e6 / BLOCK as f64);
            }
        }
        for (i, t) in times.iter_mut().enumerate() {
            table[i][set] = median(t);
        }
    }
    let base = table[0];
    for ((name, _), row) in contenders.iter().zip(&table) {
        println!(
            "{name:<34} {:>12.3} {:>10.2} {:>12.3} {:>10.2}",
            row[0],
            row[0] / base[0],
            row[1],
            row[1] / base[1]
        );
    }
}
