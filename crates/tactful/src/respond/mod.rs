//! How the agent should respond: the [`playbook`] a contact center edits (categories,
//! approaches, openings, steps and every sentence) and the [`recommender`] that reads a
//! situation against it. One tree, because the recommender is the playbook's only reader of
//! openings and steps and the two change together.

pub(crate) mod playbook;
pub(crate) mod recommender;
