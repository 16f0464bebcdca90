//! The [`Engine`]: an immutable, shareable, cheap-to-clone handle on a playbook and models.

use once_cell::sync::Lazy;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::respond::playbook::Playbook;
use crate::respond::recommender;
use crate::situation as classifier;
use crate::situation::model::ModelSet;
use crate::{Assessment, Classification, Context, Error, Recommendation, Situation};

/// The default limit on one text, in bytes (16 MiB).
pub const DEFAULT_MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

pub(crate) use crate::resources::Inner;

/// Reads messages and recommends responses. Build one, share it everywhere.
///
/// `Engine` is `Send + Sync` and cloning it only bumps a reference count; it has no interior
/// mutability, so one engine can serve every thread of a process.
///
/// ```
/// use tactful::{Approach, Context, Engine};
/// let engine = Engine::default();
/// let a = engine.assess("Someone used my card abroad and took $900, block it now!", &Context::default())?;
/// assert_eq!(&*a.situation.category.label, "fraud_security");
/// assert_eq!(a.recommendation.approach, Approach::ResolveFirst);
/// # Ok::<(), tactful::Error>(())
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("categories", &self.inner.playbook.categories.len())
            .field("models", &self.inner.models.is_some())
            .field("max_input_bytes", &self.inner.max_input_bytes)
            .finish()
    }
}

impl Default for Engine {
    /// The engine with the embedded default playbook and models.
    fn default() -> Self {
        match Engine::builder().build() {
            Ok(e) => e,
            // The embedded playbook and models are checked by the test suite; should they ever
            // fail to load, fall back to the rules alone rather than panicking in library code.
            Err(_) => Engine {
                inner: Arc::new(Inner::new(
                    Playbook::minimal(),
                    None,
                    DEFAULT_MAX_INPUT_BYTES,
                )),
            },
        }
    }
}

impl Engine {
    /// A builder with every option at its default.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Loads everything embedded now instead of on first use, so that the first call of a
    /// latency-sensitive service costs what every later one does: the default playbook, the
    /// trained models, the cue and VADER lexicons and the reply review's data. It then runs
    /// one short assessment, reply review and conversation turn with the default engine on
    /// the calling thread, which builds that thread's buffers and the review's cue table of
    /// the default playbook. Later calls return at once (the per-thread part aside, each
    /// piece is built once per process). Calling it is never required: everything is also
    /// loaded on first use.
    ///
    /// Errors: none with the embedded data the test suite checks; an error would mean a
    /// broken build ([`Error::InvalidModel`] or [`Error::InvalidPlaybook`]).
    ///
    /// ```
    /// use tactful::{Context, Engine};
    /// Engine::preload()?; // at start-up, before the first message arrives
    /// let engine = Engine::default();
    /// let a = engine.assess("My card was stolen, block it now!", &Context::default())?;
    /// assert_eq!(&*a.situation.category.label, "fraud_security");
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn preload() -> Result<(), Error> {
        crate::respond::playbook::default_playbook()?;
        crate::situation::model::embedded()?;
        crate::situation::lexicon::lexicon()?;
        crate::review::lexicon()?;
        let engine = Engine::builder().build()?;
        let ctx = Context::default();
        let customer = "My card was stolen and I was charged $40 twice, please help.";
        let a = engine.assess(customer, &ctx)?;
        engine.review_reply_for(
            &a,
            "I'm sorry. I've blocked the card; the refund arrives by Friday.",
            &ctx,
        )?;
        let mut conversation = crate::Conversation::new(engine, ctx);
        conversation.push_customer(customer, None)?;
        conversation.push_agent("I've blocked the card now.", None)?;
        Ok(())
    }

    /// The playbook this engine uses.
    pub fn playbook(&self) -> &Playbook {
        &self.inner.playbook
    }

    /// True when trained models are loaded (otherwise the rules work alone).
    pub fn has_models(&self) -> bool {
        self.inner.models.is_some()
    }

    /// The limit on one text, in bytes.
    pub fn max_input_bytes(&self) -> usize {
        self.inner.max_input_bytes
    }

    #[allow(dead_code)] // used by the reply review and conversation modules
    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    fn check(&self, text: &str, ctx: &Context) -> Result<(), Error> {
        if text.len() > self.inner.max_input_bytes {
            return Err(Error::InputTooLarge {
                len: text.len(),
                max: self.inner.max_input_bytes,
            });
        }
        if text.trim().is_empty() {
            return Err(Error::EmptyInput);
        }
        ctx.validate()
    }

    /// What situation this is and how to respond.
    ///
    /// Errors: [`Error::EmptyInput`], [`Error::InputTooLarge`], [`Error::InvalidContext`].
    ///
    /// ```
    /// use tactful::{Channel, Context, Engine};
    /// let ctx = Context::builder().channel(Channel::Chat).customer_name("Maria").build()?;
    /// let a = Engine::default().assess("Where is my order #88812? It was due on May 3.", &ctx)?;
    /// assert!(a.recommendation.opening.contains("Maria"));
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn assess(&self, text: &str, ctx: &Context) -> Result<Assessment, Error> {
        let Classification {
            situation,
            evidence,
        } = self.classify(text, ctx)?;
        let recommendation = recommender::recommend(&self.inner, &situation, ctx);
        Ok(Assessment {
            situation,
            recommendation,
            evidence,
        })
    }

    /// The situation alone, with its evidence.
    ///
    /// ```
    /// use tactful::{Context, Emotion, Engine};
    /// let c = Engine::default().classify("Thank you so much, the new router works perfectly!", &Context::default())?;
    /// assert_eq!(c.situation.emotion.label, Emotion::Positive);
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn classify(&self, text: &str, ctx: &Context) -> Result<Classification, Error> {
        self.check(text, ctx)?;
        Ok(classifier::classify(&self.inner, text, ctx))
    }

    /// The recommendation for a situation (e.g. one edited by a supervisor).
    ///
    /// ```
    /// use tactful::{Approach, Context, Engine};
    /// let engine = Engine::default();
    /// let c = engine.classify("I want to cancel my subscription, you are too expensive.", &Context::default())?;
    /// let r = engine.recommend(&c.situation, &Context::default())?;
    /// assert_eq!(r.approach, Approach::Retain);
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn recommend(&self, situation: &Situation, ctx: &Context) -> Result<Recommendation, Error> {
        ctx.validate()?;
        Ok(recommender::recommend(&self.inner, situation, ctx))
    }

    /// Assesses many texts with one context, in parallel; one bad item never fails the batch.
    ///
    /// ```
    /// use tactful::{Context, Engine};
    /// let out = Engine::default().assess_batch(&["My card was stolen", ""], &Context::default());
    /// assert!(out[0].is_ok());
    /// assert!(out[1].is_err());
    /// ```
    pub fn assess_batch<T: AsRef<str> + Sync>(
        &self,
        texts: &[T],
        ctx: &Context,
    ) -> Vec<Result<Assessment, Error>> {
        map_items(texts, |t| self.assess(t.as_ref(), ctx))
    }

    /// Assesses many `(text, context)` pairs in parallel; one bad item never fails the batch.
    pub fn assess_batch_with_contexts<T: AsRef<str> + Sync>(
        &self,
        items: &[(T, Context)],
    ) -> Vec<Result<Assessment, Error>> {
        map_items(items, |(t, c)| self.assess(t.as_ref(), c))
    }
}

#[cfg(feature = "parallel")]
fn map_items<I: Sync, O: Send>(items: &[I], f: impl Fn(&I) -> O + Sync + Send) -> Vec<O> {
    use rayon::prelude::*;
    // Small batches are cheaper on the calling thread than a hop through the pool.
    if items.len() < 64 {
        return items.iter().map(f).collect();
    }
    items.par_iter().with_min_len(32).map(f).collect()
}

#[cfg(not(feature = "parallel"))]
fn map_items<I: Sync, O: Send>(items: &[I], f: impl Fn(&I) -> O + Sync + Send) -> Vec<O> {
    items.iter().map(f).collect()
}

enum PlaybookSource {
    Default,
    Value(Box<Playbook>),
    Path(PathBuf),
}

enum ModelSource {
    Embedded,
    None,
    Bytes(Vec<u8>),
    Path(PathBuf),
}

/// Configures and builds an [`Engine`]; every option has a default.
///
/// ```
/// use tactful::{Engine, Playbook};
/// let engine = Engine::builder()
///     .playbook(Playbook::default_playbook()?.clone())
///     .max_input_bytes(1 << 20)
///     .build()?;
/// assert_eq!(engine.max_input_bytes(), 1 << 20);
/// # Ok::<(), tactful::Error>(())
/// ```
pub struct EngineBuilder {
    playbook: PlaybookSource,
    models: ModelSource,
    max_input_bytes: usize,
}

impl std::fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineBuilder")
            .field("max_input_bytes", &self.max_input_bytes)
            .finish_non_exhaustive()
    }
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            playbook: PlaybookSource::Default,
            models: ModelSource::Embedded,
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
        }
    }
}

impl EngineBuilder {
    /// Uses this playbook (default: the embedded one, see [`Playbook::default_playbook`]).
    pub fn playbook(mut self, playbook: Playbook) -> Self {
        self.playbook = PlaybookSource::Value(Box::new(playbook));
        self
    }

    /// Loads the playbook from a `.toml` or `.json` file at build time (default: embedded).
    pub fn playbook_path(mut self, path: impl AsRef<Path>) -> Self {
        self.playbook = PlaybookSource::Path(path.as_ref().to_path_buf());
        self
    }

    /// Uses a model file given as bytes (default: the embedded models).
    pub fn model_bytes(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.models = ModelSource::Bytes(bytes.into());
        self
    }

    /// Loads a model file at build time (default: the embedded models).
    pub fn model_path(mut self, path: impl AsRef<Path>) -> Self {
        self.models = ModelSource::Path(path.as_ref().to_path_buf());
        self
    }

    /// Uses the rules alone, without trained models (default: `false`, models are used).
    ///
    /// ```
    /// let rules = tactful::Engine::builder().rules_only(true).build()?;
    /// assert!(!rules.has_models());
    /// # Ok::<(), tactful::Error>(())
    /// ```
    pub fn rules_only(mut self, yes: bool) -> Self {
        if yes {
            self.models = ModelSource::None;
        } else if matches!(self.models, ModelSource::None) {
            self.models = ModelSource::Embedded;
        }
        self
    }

    /// The largest text accepted, in bytes (default: [`DEFAULT_MAX_INPUT_BYTES`], 16 MiB).
    /// Longer texts get [`Error::InputTooLarge`].
    pub fn max_input_bytes(mut self, max: usize) -> Self {
        self.max_input_bytes = max;
        self
    }

    /// Validates everything and builds the engine.
    ///
    /// Engines built with every option at its default (as [`Engine::default`] is) share one
    /// compiled engine, built on the first call: the embedded playbook, model and lexicons
    /// are read and compiled once per process, and every later default engine costs an
    /// `Arc` clone.
    pub fn build(self) -> Result<Engine, Error> {
        let all_default = matches!(self.playbook, PlaybookSource::Default)
            && matches!(self.models, ModelSource::Embedded)
            && self.max_input_bytes == DEFAULT_MAX_INPUT_BYTES;
        if all_default {
            static SHARED: Lazy<Result<Arc<Inner>, Error>> =
                Lazy::new(|| EngineBuilder::default().build_inner().map(Arc::new));
            return match SHARED.as_ref() {
                Ok(inner) => Ok(Engine {
                    inner: Arc::clone(inner),
                }),
                Err(e) => Err(e.clone()),
            };
        }
        self.build_inner().map(|inner| Engine {
            inner: Arc::new(inner),
        })
    }

    fn build_inner(self) -> Result<Inner, Error> {
        let playbook = match self.playbook {
            PlaybookSource::Default => crate::respond::playbook::default_playbook()?.clone(),
            PlaybookSource::Value(p) => {
                p.validate()?;
                *p
            }
            PlaybookSource::Path(path) => Playbook::from_path(&path)?,
        };
        let models = match self.models {
            ModelSource::None => None,
            ModelSource::Embedded => crate::situation::model::embedded()?,
            ModelSource::Bytes(b) => Some(Arc::new(ModelSet::from_bytes(&b)?)),
            ModelSource::Path(path) => {
                let b = std::fs::read(&path).map_err(|e| Error::io(&path, &e))?;
                Some(Arc::new(ModelSet::from_bytes(&b)?))
            }
        };
        if let Some(m) = &models {
            m.check_playbook(&playbook)?;
        }
        if self.max_input_bytes == 0 {
            return Err(Error::InvalidOption(
                "max_input_bytes must be at least 1".into(),
            ));
        }
        Ok(Inner::new(playbook, models, self.max_input_bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_engines_share_one_compiled_engine_and_custom_ones_do_not() {
        let a = Engine::default();
        let b = Engine::builder().build().unwrap();
        assert!(Arc::ptr_eq(&a.inner, &b.inner));
        let c = Engine::builder().max_input_bytes(1 << 20).build().unwrap();
        assert!(!Arc::ptr_eq(&a.inner, &c.inner));
        assert_eq!(c.max_input_bytes(), 1 << 20);
        assert_eq!(a.max_input_bytes(), DEFAULT_MAX_INPUT_BYTES);
        let d = Engine::builder().rules_only(true).build().unwrap();
        assert!(!Arc::ptr_eq(&a.inner, &d.inner));
        let ctx = Context::default();
        let t = "Someone used my card abroad, please block it now!";
        assert_eq!(a.assess(t, &ctx).unwrap(), b.assess(t, &ctx).unwrap());
    }
}
