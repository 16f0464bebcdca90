//! `tactful._tactful`: the native half of the `tactful` Python package.
//!
//! Thin by design: every decision is made by the `tactful` crate; this crate converts
//! arguments, releases the GIL around the work and turns results into Python objects.
#![deny(missing_docs)]

mod arrow;
mod columns;
mod convert;
mod engine;
mod errors;
mod export;
mod pool;
mod results;
mod review;

use pyo3::prelude::*;

/// The native module; import `tactful` instead.
#[pymodule(gil_used = false)]
mod _tactful {
    #[pymodule_export]
    use crate::columns::{_columns_from_arrow, _columns_from_texts};
    #[pymodule_export]
    use crate::engine::Engine;
    #[pymodule_export]
    use crate::results::{
        Assessment, CategoryResult, Classification, EmotionResult, Evidence, Recommendation,
        Situation,
    };
    #[pymodule_export]
    use crate::review::{Conversation, ReplyReview, TurnView};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", tactful::VERSION)?;
        m.add("EMOTIONS", vocab(tactful::Emotion::ALL, |v| v.as_str()))?;
        m.add("URGENCIES", vocab(tactful::Urgency::ALL, |v| v.as_str()))?;
        m.add("STANCES", vocab(tactful::Stance::ALL, |v| v.as_str()))?;
        m.add("STYLES", vocab(tactful::Style::ALL, |v| v.as_str()))?;
        m.add("APPROACHES", vocab(tactful::Approach::ALL, |v| v.as_str()))?;
        m.add(
            "EMPATHY_LEVELS",
            vocab(tactful::Empathy::ALL, |v| v.as_str()),
        )?;
        m.add("CHANNELS", vocab(tactful::Channel::ALL, |v| v.as_str()))?;
        m.add("FLAGS", vocab(tactful::Flag::ALL, |v| v.as_str()))?;
        m.add(
            "RELATIONSHIPS",
            vocab(tactful::Relationship::ALL, |v| v.as_str()),
        )?;
        Ok(())
    }

    fn vocab<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|&v| f(v)).collect()
    }

    /// The embedded default playbook as TOML text (start a custom playbook from it).
    #[pyfunction]
    fn default_playbook_toml() -> &'static str {
        tactful::Playbook::default_toml()
    }
}
