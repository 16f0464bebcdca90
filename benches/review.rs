//! How fast is the reply review? Criterion benchmarks of `tactful`'s review and conversation:
//!
//! - `review/typical_for_assessment` — a typical ≈35-word chat reply reviewed against an
//!   existing assessment (`Engine::review_reply_for`): the review alone;
//! - `review/typical_with_assess` — the same through `Engine::review_reply`, which also assesses
//!   the customer's message;
//! - `review/email_180_words` — a long, structured email reply;
//! - `empathy_mechanisms/typical` — the three EPITOME mechanisms alone;
//! - `conversation/8_turns` — a whole 8-turn conversation (4 assessments + 4 reviews).
//!
//! Run: `cargo bench -p tactful --bench review`. Smoke run: `cargo test -p tactful --bench review`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use tactful::{Channel, Context, Conversation, Engine};

const CUSTOMER: &str =
    "My order #88812 arrived broken and I need it for my daughter's birthday on Saturday.";

/// ≈35 words: a typical chat reply.
const TYPICAL: &str = "I'm so sorry your order arrived broken, especially with the birthday \
coming up. I've just sent a replacement by express delivery; it will arrive by Friday, and you \
don't need to return the broken one.";

const EMAIL: &str = "Dear Maria,\n\nThank you for your patience, and I'm sorry your earlier \
message about the invoice went unanswered. I've checked invoice 20331 and the amount was wrong: \
we charged $84 instead of $48 because the installation fee from 3 May was added twice. That \
should not have happened, and I understand how frustrating it is to have to chase it.\n\nHere is \
what I've done today:\n\n1. I've issued a corrected invoice, which is attached to this email.\n2. \
I've refunded the $36 difference to the card ending 4421; you will see it on your statement \
within 3 business days.\n3. I've added a note to your account so the fee is never charged again.\
\n\nIf the refund hasn't arrived by Friday, reply to this email and it will come straight to me, \
or call me directly on 0800 123 456 between 9am and 5pm. I'll also check on Thursday myself and \
let you know it has gone through.\n\nThank you again for bearing with us, and I'm sorry it took \
a second message to get this sorted.\n\nKind regards,\nAlex";

fn bench(c: &mut Criterion) {
    let engine = Engine::default();
    let ctx = Context::builder()
        .channel(Channel::Chat)
        .customer_name("Maria")
        .build()
        .expect("context");
    let assessment = engine.assess(CUSTOMER, &ctx).expect("assess");

    let mut g = c.benchmark_group("review");
    g.bench_function("typical_for_assessment", |b| {
        b.iter(|| engine.review_reply_for(black_box(&assessment), black_box(TYPICAL), &ctx))
    });
    g.bench_function("typical_with_assess", |b| {
        b.iter(|| engine.review_reply(black_box(CUSTOMER), black_box(TYPICAL), &ctx))
    });
    let email_ctx = Context::builder()
        .channel(Channel::Email)
        .customer_name("Maria")
        .prior_contacts(1)
        .build()
        .expect("context");
    g.bench_function("email_180_words", |b| {
        b.iter(|| engine.review_reply_for(black_box(&assessment), black_box(EMAIL), &email_ctx))
    });
    g.finish();

    c.bench_function("empathy_mechanisms/typical", |b| {
        b.iter(|| engine.empathy_mechanisms(black_box(TYPICAL)))
    });

    let turns = [
        (true, "You charged me twice for order 4411, $89 each time."),
        (false, "I'm so sorry you feel that way."),
        (true, "Stop apologizing and just fix it!"),
        (
            false,
            "I've reversed the second $89 charge; it will be back within 3 business days.",
        ),
        (true, "Ok. And the other order?"),
        (false, "Order 4412 ships today and arrives by Friday."),
        (true, "Thanks, that helps."),
        (
            false,
            "You're welcome, Maria. I'll check on Friday that both have arrived.",
        ),
    ];
    c.bench_function("conversation/8_turns", |b| {
        b.iter(|| {
            let mut conv = Conversation::new(engine.clone(), ctx.clone());
            for (i, (customer, text)) in turns.iter().enumerate() {
                let ts = Some(i as u64 * 20);
                let r = if *customer {
                    conv.push_customer(text, ts)
                } else {
                    conv.push_agent(text, ts)
                };
                black_box(r.ok());
            }
            black_box(conv.state().heat)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
