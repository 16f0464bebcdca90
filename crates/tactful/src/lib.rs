//! # tactful — know when to empathize and when to just fix it
//!
//! `tactful` reads what a customer wrote or said, plus what the contact center already knows
//! about them ([`Context`]), and answers two questions in microseconds, offline:
//!
//! 1. **What situation is this?** — issue category, emotion and its intensity, sentiment,
//!    urgency, what the customer wants (stance), their style, escalation and churn risk, and
//!    flags, each backed by [`Evidence`] spans ([`Situation`]).
//! 2. **How should the agent respond?** — lead with resolution or with empathy, how much
//!    empathy, tone, an opening line, steps, what to avoid and channel advice
//!    ([`Recommendation`]).
//!
//! Empathy builds loyalty, but it is not always the right first move: for a fraudulent charge,
//! a failed payment or an expensive product that arrived broken, sympathy before action reads
//! as stalling. A customer who is venting needs the opposite.
//!
//! ## Pipeline
//!
//! normalize → segment (words, sentences; `unicode-segmentation`) → features (lexicon
//! valence with negation, intensifiers, contrast, capitals, punctuation, emoji, money, ids,
//! dates, politeness, profanity, threats, repeat-contact, vulnerability and sarcasm cues) →
//! classify (one trained [`model`] reads the words together with every rule cue as its
//! inputs; a hard cue of the playbook always wins; `other` means off-topic, and an unsure
//! reading keeps its most likely category with [`Flag::LowConfidence`]) → recommend
//! (reasoning from the category's attributes in the [`Playbook`], never from its name).
//!
//! ## Vocabulary
//!
//! The labels are enums with stable JSON names and numeric `code()`s shared by the C ABI and
//! Python: [`Emotion`], [`Urgency`], [`Stance`], [`Style`], [`Approach`], [`Empathy`],
//! [`Channel`], [`Flag`] and, in the [`Context`], [`Relationship`] and [`PastFeedback`].
//! Categories are the [`Playbook`]'s own names (see [`CategorySpec`]; [`OTHER`] is
//! off-topic), so a company can add its own.
//!
//! ```
//! use tactful::{Approach, Context, Engine};
//! let engine = Engine::default();
//! let ctx = Context::builder().customer_name("Maria").prior_contacts(1).build()?;
//! let a = engine.assess("Someone took $450 from my account and I didn't authorize it!", &ctx)?;
//! assert_eq!(a.recommendation.approach, Approach::ResolveFirst);
//! assert!(a.recommendation.opening.starts_with("Maria"));
//! println!("{}", a.to_json());
//! # Ok::<(), tactful::Error>(())
//! ```
//!
//! The same input, context, playbook and models always give the same output.
//!
//! ## Third-party data
//!
//! The sentiment lexicon embeds the VADER lexicon (C.J. Hutto, MIT license; see the
//! `NOTICE` file of the crate) with our own corrections for service language.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The top-level README's Rust examples, compiled and run as doctests so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

mod context;
mod conversation;
mod engine;
mod error;
mod flat_map;
mod resources;
mod respond;
mod review;
mod scratch;
mod signal;
mod situation;
mod text;
mod types;

pub use context::{Context, ContextBuilder, PastFeedback, Relationship};
pub use conversation::{
    Conversation, ConversationState, Escalation, Speaker, Trajectory, TurnSignals, TurnSummary,
    TurnView,
};
pub use engine::{Engine, EngineBuilder, DEFAULT_MAX_INPUT_BYTES};
pub use error::Error;
pub use respond::playbook::{
    ApproachSpec, CategorySpec, CategoryVariant, ChannelSpec, Condition, Conditions,
    ConversationLines, FollowUp, Lines, OpeningSpec, Playbook, Rationale, StepSpec, Thresholds,
    MAX_CATEGORIES, OTHER, PLAYBOOK_VERSION,
};
pub use review::{
    EmpathyMechanisms, Finding, FindingCode, MechanismScore, Part, ReplyReview, ScoreParts,
    ServiceSignals, Severity, Span, FINDING_CODES, MAX_FINDINGS_PER_CODE,
};
pub use signal::{CategorySignal, EvidenceSignal};
pub use situation::model;
pub use types::{
    Approach, Assessment, CategoryResult, Channel, Classification, Emotion, EmotionResult, Empathy,
    Evidence, Flag, Recommendation, Scores, Situation, Stance, Style, Urgency,
};

/// The crate version, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
