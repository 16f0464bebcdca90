//! Interleaved A/B measurement of the C ABI's own cost: each iteration times one direct Rust
//! `Engine::assess` and one `tactful_engine_assess` + accessor + `tactful_assessment_free` on
//! the same engine, text and context, one right after the other, and the medians are
//! compared. Interleaving and medians keep a busy, shared machine from favouring either side
//! (criterion runs them minutes apart; see benches/ffi_assess.rs for those figures).
//!
//! Run: `cargo bench -p tactful-ffi --bench ffi_overhead`

use std::hint::black_box;
use std::ptr::null_mut;
use std::time::Instant;

use tactful::*;
use tactful_core as core;

fn median(v: &mut [u64]) -> f64 {
    v.sort_unstable();
    v[v.len() / 2] as f64
}

fn main() {
    let iterations: usize = std::env::var("TACTFUL_BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let texts = [
        (
            "short",
            "Someone used my card abroad and took $900, block it now!",
        ),
        (
            "paragraph",
            "I have called three times about order #88812 and nobody has fixed it. The blender \
             arrived cracked, I paid 349 EUR for it, and now I am told to wait another two weeks \
             for a replacement. This is not acceptable. If this is not sorted by Friday I will \
             dispute the charge with my bank and post about it everywhere.",
        ),
    ];
    let json = r#"{"channel":"chat","customer_name":"Maria"}"#;
    let rust = core::Engine::builder().build().expect("engine");
    let ctx = core::Context::from_json(json).expect("context");
    let mut engine = null_mut();
    let mut c_ctx = null_mut();
    // SAFETY: valid buffers and out-pointers.
    unsafe {
        assert_eq!(tactful_engine_new(&mut engine), tactful_result::Ok);
        assert_eq!(
            tactful_context_from_json(json.as_ptr().cast(), json.len(), &mut c_ctx),
            tactful_result::Ok
        );
    }
    for (name, text) in texts {
        let (mut r, mut c) = (
            Vec::with_capacity(iterations),
            Vec::with_capacity(iterations),
        );
        for i in 0..iterations + 1000 {
            let t0 = Instant::now();
            black_box(rust.assess(black_box(text), &ctx).expect("assess"));
            let t1 = Instant::now();
            // SAFETY: live engine and context, valid buffer and out-pointer.
            unsafe {
                let mut a = null_mut();
                let res = tactful_engine_assess(
                    engine,
                    black_box(text).as_ptr().cast(),
                    text.len(),
                    c_ctx,
                    &mut a,
                );
                assert_eq!(res, tactful_result::Ok);
                black_box(tactful_assessment_urgency(a));
                tactful_assessment_free(a);
            }
            let t2 = Instant::now();
            if i >= 1000 {
                // The first 1000 rounds warm caches and the allocator.
                r.push((t1 - t0).as_nanos() as u64);
                c.push((t2 - t1).as_nanos() as u64);
            }
        }
        let (mr, mc) = (median(&mut r), median(&mut c));
        println!(
            "{name:>9} ({} bytes): rust {:.2} us, c_abi {:.2} us, difference {:+.0} ns ({:+.1}%) per call, median of {iterations}",
            text.len(),
            mr / 1000.0,
            mc / 1000.0,
            mc - mr,
            (mc - mr) / mr * 100.0
        );
    }
    // SAFETY: objects from this library, freed once.
    unsafe {
        tactful_context_free(c_ctx);
        tactful_engine_free(engine);
    }
}
