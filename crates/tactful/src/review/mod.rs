//! Reply review: checks an agent's draft against the customer's situation before it is sent.
//!
//! The review is transparent and deterministic: cue lexicons (the embedded
//! `data/review.toml`, plus the playbook's `canned_phrases`, `jargon` and channel word limits)
//! are matched in one pass over the draft's word stems, and a handful of rules compare what
//! the draft does with what the situation calls for (the [`Recommendation`]).
//!
//! What it reports:
//! - **Empathy mechanisms** after EPITOME (Sharma et al. 2020): emotional reactions,
//!   interpretations and explorations, each 0 (none), 1 (weak) or 2 (strong), with spans.
//! - **Service signals** with spans: ownership, next step, time frame, personalization,
//!   alternatives.
//! - **Findings** with stable codes (see [`FindingCode`]), a severity and a span.
//! - **A score** 0–100 made of six weighted parts, and concrete suggestions.
//!
//! Layout: [`types`] holds the public results, [`data`] the compiled `data/review.toml`,
//! [`words`] the tokenizer, [`matching`] the cue matches, [`signals`] what the draft does,
//! [`rules`] the findings by concern (through [`findings`]) and [`score`] the total.

mod data;
mod findings;
mod matching;
mod rules;
mod score;
mod signals;
mod target;
mod types;
pub(crate) mod words;

pub(crate) use self::data::{lexicon, ConversationLimits, CustomerCue};
pub(crate) use self::rules::fit::human_seconds;
pub(crate) use self::target::{normalize_line, Extras, Target};
pub use self::types::{
    EmpathyMechanisms, Finding, FindingCode, MechanismScore, Part, ReplyReview, ScoreParts,
    ServiceSignals, Severity, Span, FINDING_CODES, MAX_FINDINGS_PER_CODE,
};

use self::data::Cue;
use self::findings::Builder;
use self::matching::{spans, Matches};
use self::rules::Case;
use self::signals::{empathy_of, Reading};
use self::words::Doc;
use crate::resources::Inner;
use crate::{Assessment, Context, Engine, Error};

impl Engine {
    /// Reviews an agent's draft reply to the customer's message.
    ///
    /// The customer's text is assessed first (see [`Engine::assess`]); the draft is then judged
    /// against that situation and its recommendation. Use [`Engine::review_reply_for`] when you
    /// already have the assessment.
    ///
    /// Errors: [`Error::EmptyInput`] or [`Error::InputTooLarge`] for either text,
    /// [`Error::InvalidContext`].
    ///
    /// ```
    /// use tactful::{Context, Engine, FindingCode};
    /// let engine = Engine::default();
    /// let ctx = Context::builder().customer_name("Maria").build()?;
    /// let r = engine.review_reply(
    ///     "Someone took $450 from my card, I did not make this payment!",
    ///     "We apologize for any inconvenience. Please be advised that you should have kept your card safe.",
    ///     &ctx,
    /// )?;
    /// assert!(r.has(FindingCode::Blame));
    /// assert!(r.has(FindingCode::CannedPhrase));
    /// assert!(r.score < 60, "{}", r.score);
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn review_reply(
        &self,
        customer_text: &str,
        draft: &str,
        ctx: &Context,
    ) -> Result<ReplyReview, Error> {
        self.check_draft(draft)?;
        let a = self.assess(customer_text, ctx)?;
        self.review_reply_for(&a, draft, ctx)
    }

    /// Reviews a draft against an existing assessment of the customer's message (for example
    /// one a supervisor edited, or one from a conversation).
    ///
    /// ```
    /// use tactful::{Context, Engine, FindingCode};
    /// let engine = Engine::default();
    /// let ctx = Context::default();
    /// let a = engine.assess("My order #5512 arrived broken.", &ctx)?;
    /// let r = engine.review_reply_for(&a, "I'm sorry it arrived broken. I've just sent a replacement; it will arrive by Friday.", &ctx)?;
    /// assert!(!r.has(FindingCode::NoOwnership));
    /// assert!(!r.signals.time_frame.is_empty());
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn review_reply_for(
        &self,
        assessment: &Assessment,
        draft: &str,
        ctx: &Context,
    ) -> Result<ReplyReview, Error> {
        self.check_draft(draft)?;
        ctx.validate()?;
        review(
            self.inner(),
            &Target::of(assessment),
            draft,
            ctx,
            &Extras::default(),
        )
    }

    /// The three empathy mechanisms of a text alone, without a situation.
    ///
    /// ```
    /// let e = tactful::Engine::default().empathy_mechanisms("I'm so sorry. That must be scary. How are you holding up?")?;
    /// assert_eq!(e.emotional_reactions.level, 2);
    /// assert_eq!(e.interpretations.level, 2);
    /// assert!(e.explorations.level >= 1);
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn empathy_mechanisms(&self, text: &str) -> Result<EmpathyMechanisms, Error> {
        self.check_draft(text)?;
        let lex = lexicon()?;
        let doc = Doc::new(text);
        let m = Matches::find(lex, &doc);
        Ok(empathy_of(&doc, &m))
    }

    pub(crate) fn check_draft(&self, draft: &str) -> Result<(), Error> {
        if draft.len() > self.max_input_bytes() {
            return Err(Error::InputTooLarge {
                len: draft.len(),
                max: self.max_input_bytes(),
            });
        }
        if draft.trim().is_empty() {
            return Err(Error::EmptyInput);
        }
        Ok(())
    }
}

/// The review: one pass of matching, then rules, then the score.
pub(crate) fn review(
    inner: &Inner,
    t: &Target<'_>,
    draft: &str,
    ctx: &Context,
    extras: &Extras<'_>,
) -> Result<ReplyReview, Error> {
    let lex = lexicon()?;
    let pb = &inner.playbook;
    let r = Reading::read(lex, pb, draft, ctx);

    let mut b = Builder::new(lex, draft);
    b.vars.opening = t.opening.trim().to_string();
    b.vars.timeframe = pb
        .category(t.category)
        .map(|c| c.timeframe.trim().to_string())
        .unwrap_or_default();
    b.vars.alternatives = if ctx.allowed_alternatives.is_empty() {
        ctx.max_gesture.clone().unwrap_or_default()
    } else {
        ctx.allowed_alternatives.join(", ")
    };

    let case = Case { t, ctx, extras, pb };
    let action_bonus_lost = rules::apply(&mut b, &r, &case);
    let (total, parts) = score::score(&b, &r, t, extras, action_bonus_lost);
    let (findings, suggestions, findings_omitted) = b.finish();

    let acknowledgement = spans(&r.doc, r.m.of(Cue::Ack).map(|x| (x.first, x.last)), 6);
    let words = r.doc.tokens.len();
    Ok(ReplyReview {
        score: total,
        parts,
        empathy: r.empathy,
        signals: ServiceSignals {
            ownership: r.own_spans,
            next_step: r.next_spans,
            time_frame: r.tf_spans,
            personalization: r.personalization,
            alternatives: r.alt,
            acknowledgement,
        },
        findings,
        suggestions,
        approach: t.approach,
        expected_empathy: t.empathy,
        words,
        findings_omitted,
    })
}
