//! Trained models: the statistical part of the classifier (the seam).
//!
//! PLACEHOLDER until the trained-model issue lands: no embedded model, so the engine runs on
//! rules alone. The interface below is what `classifier.rs` calls and must stay.

use std::sync::Arc;

use crate::playbook::Playbook;
use crate::Error;

/// A set of trained models (category, emotion, sentiment heads) parsed from the binary format.
#[derive(Debug)]
pub struct ModelSet {
    category_labels: Vec<String>,
}

/// One head's output for one text.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeadOutput {
    /// Probabilities in the head's label order (category: [`ModelSet::category_labels`];
    /// emotion: [`crate::Emotion::ALL`] order). Calibrated.
    pub probs: Vec<f32>,
    /// The features that pushed the winning label most: `(start, end, weight)` byte spans into
    /// the text, strongest first, at most a handful.
    pub top: Vec<(usize, usize, f32)>,
}

/// All heads' output for one text.
#[derive(Debug, Clone, Default)]
pub(crate) struct ModelOutput {
    pub category: Option<HeadOutput>,
    pub emotion: Option<HeadOutput>,
    /// Valence −1..1.
    pub sentiment: Option<f32>,
}

impl ModelSet {
    /// Parses a model file.
    pub fn from_bytes(_bytes: &[u8]) -> Result<ModelSet, Error> {
        Err(Error::InvalidModel("model support is not built yet".into()))
    }

    /// The category labels of the category head, in output order.
    pub fn category_labels(&self) -> &[String] {
        &self.category_labels
    }

    /// Every category label of the model must exist in the playbook.
    pub(crate) fn check_playbook(&self, playbook: &Playbook) -> Result<(), Error> {
        for l in &self.category_labels {
            if !playbook.categories.iter().any(|c| &c.name == l) {
                return Err(Error::InvalidModel(format!(
                    "the model predicts category `{l}`, which the playbook does not define"
                )));
            }
        }
        Ok(())
    }

    /// Runs every head on `text`.
    pub(crate) fn predict(&self, _text: &str) -> ModelOutput {
        ModelOutput::default()
    }
}

/// The embedded default models, parsed once on first use (`None` when none are embedded).
pub(crate) fn embedded() -> Result<Option<Arc<ModelSet>>, Error> {
    Ok(None)
}
