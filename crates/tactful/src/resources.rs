//! What every stage reads, built once per engine and shared: the playbook, its compiled cue
//! tables, and the trained model. It sits below the stages (situation, recommendation,
//! review, conversation), so none of them imports the engine that orchestrates them.

use std::sync::Arc;

use crate::playbook::{Compiled, Condition, Playbook};
use crate::situation::model::ModelSet;
use crate::text::{Doc, PhraseSet};

/// The engine's shared, immutable state.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) playbook: Playbook,
    pub(crate) compiled: Compiled,
    pub(crate) models: Option<Arc<ModelSet>>,
    pub(crate) max_input_bytes: usize,
    /// The playbook's condition phrases ([`crate::Conditions`]).
    pub(crate) conditions: PhraseSet<Condition>,
}

impl Inner {
    pub(crate) fn new(
        playbook: Playbook,
        models: Option<Arc<ModelSet>>,
        max_input_bytes: usize,
    ) -> Inner {
        let mut conditions = PhraseSet::default();
        for (list, c) in [
            (&playbook.conditions.bereavement, Condition::Bereavement),
            (&playbook.conditions.reason_given, Condition::ReasonGiven),
        ] {
            for phrase in list {
                conditions.insert(phrase, c);
            }
        }
        Inner {
            compiled: Compiled::new(&playbook),
            playbook,
            models,
            max_input_bytes,
            conditions,
        }
    }

    /// Whether the text says what `c` needs (phrase conditions only; the caller knows the
    /// flag-based ones). Reads the text again: called only when an opening depends on it.
    pub(crate) fn text_says(&self, text: &str, c: Condition) -> bool {
        let mut found = false;
        self.conditions
            .for_each_match(&Doc::new(text), |m| found |= *m.value == c);
        found
    }
}
