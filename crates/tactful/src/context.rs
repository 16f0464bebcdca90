//! What the contact center already knows about the customer.

use serde::{Deserialize, Serialize};

use crate::{Channel, Error};

pub use crate::types::Relationship;

/// The customer's most recent feedback.
///
/// JSON: `{"csat": 1..5}`, `{"nps": 0..10}`, `"positive"` or `"negative"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PastFeedback {
    /// Customer satisfaction score, 1 (very dissatisfied) … 5 (very satisfied).
    Csat(u8),
    /// Net promoter score, 0 … 10.
    Nps(u8),
    /// Positive feedback without a score.
    Positive,
    /// Negative feedback without a score.
    Negative,
}

impl PastFeedback {
    /// True when the feedback was negative (CSAT ≤ 2, NPS ≤ 6 — a detractor — or `negative`).
    pub fn is_negative(self) -> bool {
        match self {
            PastFeedback::Csat(c) => c <= 2,
            PastFeedback::Nps(n) => n <= 6,
            PastFeedback::Negative => true,
            PastFeedback::Positive => false,
        }
    }

    /// True when the feedback was positive (CSAT ≥ 4, NPS ≥ 9 — a promoter — or `positive`).
    pub fn is_positive(self) -> bool {
        match self {
            PastFeedback::Csat(c) => c >= 4,
            PastFeedback::Nps(n) => n >= 9,
            PastFeedback::Positive => true,
            PastFeedback::Negative => false,
        }
    }
}

/// What the business already knows about this contact. Every field is optional.
///
/// Fields may be added in a minor release (`#[non_exhaustive]`), so outside this crate a
/// struct literal does not compile: use [`Context::builder`], [`Context::from_json`], or
/// start from `Context::default()` and assign fields (then [`Context::validate`] checks the
/// limits, as the engine does on every call).
///
/// ```
/// use tactful::{Channel, Context};
/// let mut ctx = Context::default();
/// ctx.channel = Some(Channel::Email);
/// ctx.prior_contacts = 3;
/// ctx.validate()?;
/// assert_eq!(ctx, Context::builder().channel(Channel::Email).prior_contacts(3).build()?);
/// # Ok::<(), tactful::Error>(())
/// ```
///
/// ```
/// use tactful::{Channel, Context, Relationship};
/// let ctx = Context::builder()
///     .channel(Channel::Chat)
///     .customer_name("Maria")
///     .prior_contacts(2)
///     .relationship(Relationship::HighValue)
///     .build()?;
/// assert_eq!(ctx.prior_contacts, 2);
/// let same = Context::from_json(r#"{"channel":"chat","customer_name":"Maria","prior_contacts":2,"relationship":"high_value"}"#)?;
/// assert_eq!(ctx, same);
/// # Ok::<(), tactful::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Context {
    /// Where the conversation happens (default: unknown, advice stays channel-neutral).
    pub channel: Option<Channel>,
    /// The customer's name, used in the opening line (default: none).
    pub customer_name: Option<String>,
    /// Earlier contacts about this same issue (default: 0). One or more makes this a repeat contact.
    pub prior_contacts: u32,
    /// The customer's last feedback (default: none).
    pub past_feedback: Option<PastFeedback>,
    /// The relationship with the customer (default: unknown).
    pub relationship: Option<Relationship>,
    /// The request conflicts with policy, e.g. a refund outside the window (default: false).
    pub policy_conflict: bool,
    /// What the agent may offer instead when policy says no (default: none). At most
    /// [`Context::MAX_ALTERNATIVES`] entries of at most [`Context::MAX_PHRASE_BYTES`] bytes each.
    pub allowed_alternatives: Vec<String>,
    /// The largest goodwill gesture the agent may offer, e.g. `10% discount` (default: none).
    /// At most [`Context::MAX_PHRASE_BYTES`] bytes.
    pub max_gesture: Option<String>,
}

/// The longest customer name used in an opening line, in bytes.
const MAX_NAME_BYTES: usize = 128;

impl Context {
    /// The most entries `allowed_alternatives` may hold (64); more is
    /// [`Error::InvalidContext`].
    pub const MAX_ALTERNATIVES: usize = 64;

    /// The longest `allowed_alternatives` entry or `max_gesture`, in bytes (256); longer is
    /// [`Error::InvalidContext`].
    pub const MAX_PHRASE_BYTES: usize = 256;

    /// A builder starting from the defaults.
    pub fn builder() -> ContextBuilder {
        ContextBuilder::default()
    }

    /// Parses a context from JSON (the shape of `DESIGN.md`); unknown fields are an error.
    pub fn from_json(json: &str) -> Result<Context, Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        let ctx: Context = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let message = e.inner().to_string();
            // An unknown field is named in the message, not in the path.
            let field = if message.starts_with("unknown field") || path == "." {
                field_of_serde_message(&message)
            } else {
                path
            };
            Error::InvalidContext { field, message }
        })?;
        ctx.validate()?;
        Ok(ctx)
    }

    /// Checks value ranges: CSAT 1–5, NPS 0–10, the length of the name (128 bytes), the number
    /// of `allowed_alternatives` ([`Context::MAX_ALTERNATIVES`]) and the length of each and of
    /// `max_gesture` ([`Context::MAX_PHRASE_BYTES`]).
    pub fn validate(&self) -> Result<(), Error> {
        match self.past_feedback {
            Some(PastFeedback::Csat(c)) if !(1..=5).contains(&c) => {
                return Err(Error::InvalidContext {
                    field: "past_feedback.csat".into(),
                    message: format!("CSAT must be 1..=5, got {c}"),
                })
            }
            Some(PastFeedback::Nps(n)) if n > 10 => {
                return Err(Error::InvalidContext {
                    field: "past_feedback.nps".into(),
                    message: format!("NPS must be 0..=10, got {n}"),
                })
            }
            _ => {}
        }
        if let Some(name) = &self.customer_name {
            if name.len() > MAX_NAME_BYTES {
                return Err(Error::InvalidContext {
                    field: "customer_name".into(),
                    message: format!("longer than {MAX_NAME_BYTES} bytes"),
                });
            }
        }
        if self.allowed_alternatives.len() > Self::MAX_ALTERNATIVES {
            return Err(Error::InvalidContext {
                field: "allowed_alternatives".into(),
                message: format!(
                    "{} entries, at most {} are allowed",
                    self.allowed_alternatives.len(),
                    Self::MAX_ALTERNATIVES
                ),
            });
        }
        let long = |s: &str| s.len() > Self::MAX_PHRASE_BYTES;
        if let Some(i) = self.allowed_alternatives.iter().position(|a| long(a)) {
            return Err(Error::InvalidContext {
                field: format!("allowed_alternatives[{i}]"),
                message: format!("longer than {} bytes", Self::MAX_PHRASE_BYTES),
            });
        }
        if self.max_gesture.as_deref().is_some_and(long) {
            return Err(Error::InvalidContext {
                field: "max_gesture".into(),
                message: format!("longer than {} bytes", Self::MAX_PHRASE_BYTES),
            });
        }
        Ok(())
    }

    /// The customer's name trimmed, when it is non-empty.
    pub(crate) fn name(&self) -> Option<&str> {
        self.customer_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }
}

fn field_of_serde_message(msg: &str) -> String {
    // serde_json names the field in backticks for unknown/missing fields.
    msg.split('`').nth(1).unwrap_or("").to_string()
}

/// Builds a [`Context`]; see [`Context::builder`].
#[derive(Debug, Clone, Default)]
pub struct ContextBuilder {
    ctx: Context,
}

impl ContextBuilder {
    /// Sets the channel (default: none).
    pub fn channel(mut self, channel: Channel) -> Self {
        self.ctx.channel = Some(channel);
        self
    }
    /// Sets the customer's name (default: none).
    pub fn customer_name(mut self, name: impl Into<String>) -> Self {
        self.ctx.customer_name = Some(name.into());
        self
    }
    /// Sets the number of earlier contacts about this issue (default: 0).
    pub fn prior_contacts(mut self, n: u32) -> Self {
        self.ctx.prior_contacts = n;
        self
    }
    /// Sets the last feedback (default: none).
    pub fn past_feedback(mut self, feedback: PastFeedback) -> Self {
        self.ctx.past_feedback = Some(feedback);
        self
    }
    /// Sets the relationship (default: none).
    pub fn relationship(mut self, relationship: Relationship) -> Self {
        self.ctx.relationship = Some(relationship);
        self
    }
    /// Marks the request as conflicting with policy (default: false).
    pub fn policy_conflict(mut self, conflict: bool) -> Self {
        self.ctx.policy_conflict = conflict;
        self
    }
    /// Adds an alternative the agent may offer (default: none).
    pub fn allowed_alternative(mut self, alternative: impl Into<String>) -> Self {
        self.ctx.allowed_alternatives.push(alternative.into());
        self
    }
    /// Sets the largest goodwill gesture allowed (default: none).
    pub fn max_gesture(mut self, gesture: impl Into<String>) -> Self {
        self.ctx.max_gesture = Some(gesture.into());
        self
    }
    /// Validates and returns the context.
    pub fn build(self) -> Result<Context, Error> {
        self.ctx.validate()?;
        Ok(self.ctx)
    }
}
