//! Cold start: the time from nothing parsed to the first assessment done, in one process.
//!
//! A process can start cold only once, so the figure is one sample per run; run it many times
//! and take the median (the README's speed table does this with 51 runs):
//!
//! ```sh
//! cargo build --release -p tactful --example cold_start
//! for i in $(seq 51); do ./target/release/examples/cold_start; done | sort -n | sed -n 26p
//! ```
//!
//! It prints microseconds: `Engine::default()` (the embedded model, lexicon and playbook
//! loaded and compiled) plus one `assess` of a short message.

use std::time::Instant;

use tactful::{Context, Engine};

fn main() -> Result<(), tactful::Error> {
    let t = Instant::now();
    let engine = Engine::default();
    let a = engine.assess("My card was stolen, please block it", &Context::default())?;
    let us = t.elapsed().as_secs_f64() * 1e6;
    // Keep the result alive until after the clock stopped, so the optimizer cannot drop it.
    assert!(!a.recommendation.steps.is_empty());
    println!("{us:.0}");
    Ok(())
}
