//! The library behind the `tactful` command (`src/main.rs`).
//!
//! It holds the parts of the command that are worth calling without a process: the
//! `tactful batch` line handling ([`batch::assess_stream`]), which the fuzz target
//! `batch_lines` (`fuzz/`) drives with arbitrary input. The assessing itself is the core
//! crate's ([`tactful::Engine`]); this crate only reads, writes and reports.
#![deny(missing_docs)]

pub mod batch;
