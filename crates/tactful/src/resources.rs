//! What every stage reads, built once per engine and shared: the playbook, its compiled cue
//! tables, and the trained model. It sits below the stages (situation, recommendation,
//! review, conversation), so none of them imports the engine that orchestrates them.

use std::sync::Arc;

use crate::playbook::{Compiled, Playbook};
use crate::situation::model::ModelSet;

/// The engine's shared, immutable state.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) playbook: Playbook,
    pub(crate) compiled: Compiled,
    pub(crate) models: Option<Arc<ModelSet>>,
    /// For each category label of the model, its index in the playbook (`None`: a label
    /// this playbook does not have). Resolved once here, not by name on every call.
    pub(crate) model_category: Vec<Option<usize>>,
    pub(crate) max_input_bytes: usize,
}

impl Inner {
    pub(crate) fn new(
        playbook: Playbook,
        models: Option<Arc<ModelSet>>,
        max_input_bytes: usize,
    ) -> Inner {
        let compiled = Compiled::new(&playbook);
        let model_category = models.as_ref().map_or_else(Vec::new, |m| {
            m.category_labels()
                .iter()
                .map(|l| compiled.by_name.get(l.as_str()).copied())
                .collect()
        });
        Inner {
            compiled,
            model_category,
            playbook,
            models,
            max_input_bytes,
        }
    }
}
