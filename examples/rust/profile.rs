//! A fixed workload for profilers: `assess` on four short messages, N times.
//!
//! ```sh
//! cargo build --release -p tactful --example profile
//! valgrind --tool=callgrind ./target/release/examples/profile 2000
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep tactful::
//! ```
//!
//! `docs/performance.md` gives the per-stage instruction counts this produced. Instruction
//! counts are deterministic, unlike wall-clock time on a shared machine, so they show what a
//! change to the hot path did; criterion (`cargo bench -p tactful --bench assess`) gives times.

use tactful::{Context, Engine};

const TEXTS: [&str; 4] = [
    "Someone used my card abroad and took $900 from my account, please block it now!",
    "@SouthwestAir my flight got cancelled and nobody at the gate can tell me anything. 3 hours now",
    "Hi, can you tell me if you ship to Canada?",
    "Thanks so much for sorting my refund so quickly, really appreciate it!",
];

fn main() -> Result<(), tactful::Error> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let engine = Engine::default();
    let ctx = Context::default();
    let mut steps = 0usize;
    for i in 0..n {
        let a = engine.assess(TEXTS[i % TEXTS.len()], &ctx)?;
        steps += a.recommendation.steps.len();
    }
    println!("{n} assesses, {steps} steps recommended");
    Ok(())
}
