//! The one error type of the crate.

/// Everything that can go wrong in `tactful`.
///
/// Each variant has a stable numeric [`code`](Error::code) shared with the C ABI and the
/// Python package; codes are only ever added, never reused or renumbered.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The text is empty or only whitespace.
    #[error("the text is empty")]
    EmptyInput,

    /// The text is longer than the engine's `max_input_bytes`.
    #[error("the text is {len} bytes; this engine accepts at most {max} bytes")]
    InputTooLarge {
        /// Length of the text in bytes.
        len: usize,
        /// The engine's limit in bytes.
        max: usize,
    },

    /// The playbook is malformed or inconsistent.
    #[error("invalid playbook: {}{message}{}", field_prefix(field), location(*line, *column))]
    InvalidPlaybook {
        /// Path of the offending field, e.g. `categories[2].default_urgency` (empty when unknown).
        field: String,
        /// What is wrong.
        message: String,
        /// 1-based line in the playbook text, when known.
        line: Option<usize>,
        /// 1-based column in the playbook text, when known.
        column: Option<usize>,
    },

    /// The context is malformed (unknown field, out-of-range value).
    #[error("invalid context: {field}: {message}")]
    InvalidContext {
        /// Name of the offending field, e.g. `past_feedback.csat`.
        field: String,
        /// What is wrong.
        message: String,
    },

    /// A model file is corrupt, truncated, of an unsupported version or does not fit the playbook.
    #[error("invalid model: {0}")]
    InvalidModel(String),

    /// A file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The path that was read.
        path: String,
        /// The operating system's message.
        message: String,
    },

    /// A string is not one of a vocabulary's values (e.g. an unknown channel).
    #[error("unknown {what} `{value}`; expected one of: {expected}")]
    UnknownValue {
        /// Which vocabulary, e.g. `channel`.
        what: &'static str,
        /// The value given (truncated).
        value: String,
        /// The accepted values.
        expected: String,
    },

    /// A conversation turn is out of order or malformed.
    #[error("invalid conversation turn: {0}")]
    InvalidTurn(String),

    /// A builder option is out of range.
    #[error("invalid option: {0}")]
    InvalidOption(String),
}

fn field_prefix(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!("{field}: ")
    }
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
        (Some(l), None) => format!(" (line {l})"),
        _ => String::new(),
    }
}

impl Error {
    /// The stable numeric code of this error (also the C ABI's `tactful_result` value).
    ///
    /// ```
    /// assert_eq!(tactful::Error::EmptyInput.code(), 10);
    /// ```
    pub fn code(&self) -> u32 {
        match self {
            Error::EmptyInput => 10,
            Error::InputTooLarge { .. } => 11,
            Error::InvalidPlaybook { .. } => 12,
            Error::InvalidContext { .. } => 13,
            Error::InvalidModel(_) => 14,
            Error::Io { .. } => 15,
            Error::UnknownValue { .. } => 16,
            Error::InvalidTurn(_) => 17,
            Error::InvalidOption(_) => 18,
        }
    }

    /// A short stable name of the error kind, e.g. `invalid_playbook`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::EmptyInput => "empty_input",
            Error::InputTooLarge { .. } => "input_too_large",
            Error::InvalidPlaybook { .. } => "invalid_playbook",
            Error::InvalidContext { .. } => "invalid_context",
            Error::InvalidModel(_) => "invalid_model",
            Error::Io { .. } => "io",
            Error::UnknownValue { .. } => "unknown_value",
            Error::InvalidTurn(_) => "invalid_turn",
            Error::InvalidOption(_) => "invalid_option",
        }
    }

    pub(crate) fn playbook(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidPlaybook {
            field: field.into(),
            message: message.into(),
            line: None,
            column: None,
        }
    }

    pub(crate) fn io(path: &std::path::Path, e: &std::io::Error) -> Error {
        Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        }
    }
}
