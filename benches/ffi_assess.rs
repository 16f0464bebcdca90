//! Cost of one `assess` through the C ABI against the direct Rust call, on the same engine,
//! text and context. The difference is the wrapper's own work: UTF-8 validation, the panic
//! boundary, boxing the result and copying the category label into a C string, plus freeing.
//!
//! Run: `cargo bench -p tactful-ffi --bench ffi_assess`
//! (the C-side timing program is benches/ffi_assess.c, built and run by benches/ffi_bench.sh).

use std::hint::black_box;
use std::ptr::null_mut;

use criterion::{criterion_group, criterion_main, Criterion};
use tactful::*;
use tactful_core as core;

const TEXTS: &[(&str, &str)] = &[
    ("short", "Someone used my card abroad and took $900, block it now!"),
    (
        "paragraph",
        "I have called three times about order #88812 and nobody has fixed it. The blender arrived \
         cracked, I paid 349 EUR for it, and now I am told to wait another two weeks for a \
         replacement. This is not acceptable. If this is not sorted by Friday I will dispute the \
         charge with my bank and post about it everywhere.",
    ),
];

fn bench(c: &mut Criterion) {
    let rust = core::Engine::builder().build().expect("default engine");
    let ctx = core::Context::builder()
        .channel(core::Channel::Chat)
        .customer_name("Maria")
        .build()
        .expect("context");
    let mut engine = null_mut();
    // SAFETY: valid out-pointer.
    assert_eq!(
        unsafe { tactful_engine_new(&mut engine) },
        tactful_result::Ok
    );
    let json = r#"{"channel":"chat","customer_name":"Maria"}"#;
    let mut c_ctx2 = null_mut();
    // SAFETY: valid buffer and out-pointer.
    unsafe {
        assert_eq!(
            tactful_context_from_json(json.as_ptr().cast(), json.len(), &mut c_ctx2),
            tactful_result::Ok
        );
    }
    for (name, text) in TEXTS {
        let mut g = c.benchmark_group(format!("assess_{name}"));
        g.bench_function("rust", |b| {
            b.iter(|| black_box(rust.assess(black_box(text), &ctx).expect("assess")))
        });
        g.bench_function("c_abi", |b| {
            b.iter(|| {
                let mut a = null_mut();
                // SAFETY: live engine and context, valid buffer and out-pointer.
                unsafe {
                    let r = tactful_engine_assess(
                        engine,
                        black_box(text).as_ptr().cast(),
                        text.len(),
                        c_ctx2,
                        &mut a,
                    );
                    assert_eq!(r, tactful_result::Ok);
                    black_box(tactful_assessment_urgency(a));
                    tactful_assessment_free(a);
                }
            })
        });
        g.finish();
    }
    // SAFETY: objects from this library, freed once.
    unsafe {
        tactful_context_free(c_ctx2);
        tactful_engine_free(engine);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
