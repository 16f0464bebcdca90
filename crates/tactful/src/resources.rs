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
    pub(crate) max_input_bytes: usize,
}

impl Inner {
    pub(crate) fn new(
        playbook: Playbook,
        models: Option<Arc<ModelSet>>,
        max_input_bytes: usize,
    ) -> Inner {
        Inner {
            compiled: Compiled::new(&playbook),
            playbook,
            models,
            max_input_bytes,
        }
    }
}
