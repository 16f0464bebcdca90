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

    /// Every code [`Error::code`] can give, in increasing order. Codes are only ever added
    /// (the C ABI's `tactful_result` and the Python exceptions are checked against this list).
    pub const CODES: &'static [u32] = &[10, 11, 12, 13, 14, 15, 16, 17, 18];

    /// A short description of the kind of error with stable code `code`, the same for every
    /// error of that kind (e.g. "invalid playbook" for 12); `None` for a code the core does not
    /// use. The C ABI's `tactful_result_message` reads its texts from here.
    ///
    /// ```
    /// assert_eq!(tactful::Error::summary_of(10), Some("the text is empty"));
    /// assert_eq!(tactful::Error::summary_of(1), None);
    /// ```
    pub fn summary_of(code: u32) -> Option<&'static str> {
        Some(match code {
            10 => "the text is empty",
            11 => "the text is larger than the engine accepts",
            12 => "invalid playbook",
            13 => "invalid context",
            14 => "invalid model",
            15 => "cannot read file",
            16 => "unknown vocabulary value",
            17 => "invalid conversation turn",
            18 => "invalid option",
            _ => return None,
        })
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

#[cfg(test)]
mod tests {
    use super::Error;

    /// One error of every kind. The match makes a new variant a compile error here, so it
    /// cannot be left out of `CODES` and `summary_of` unnoticed.
    fn one_of_each() -> Vec<Error> {
        let all = vec![
            Error::EmptyInput,
            Error::InputTooLarge { len: 2, max: 1 },
            Error::playbook("f", "m"),
            Error::InvalidContext {
                field: "f".into(),
                message: "m".into(),
            },
            Error::InvalidModel("m".into()),
            Error::Io {
                path: "p".into(),
                message: "m".into(),
            },
            Error::UnknownValue {
                what: "channel",
                value: "v".into(),
                expected: "e".into(),
            },
            Error::InvalidTurn("t".into()),
            Error::InvalidOption("o".into()),
        ];
        for e in &all {
            match e {
                Error::EmptyInput
                | Error::InputTooLarge { .. }
                | Error::InvalidPlaybook { .. }
                | Error::InvalidContext { .. }
                | Error::InvalidModel(_)
                | Error::Io { .. }
                | Error::UnknownValue { .. }
                | Error::InvalidTurn(_)
                | Error::InvalidOption(_) => {}
            }
        }
        all
    }

    #[test]
    fn codes_lists_every_code_once_with_a_summary() {
        let codes: Vec<u32> = one_of_each().iter().map(Error::code).collect();
        assert_eq!(codes, Error::CODES);
        for &c in Error::CODES {
            assert!(Error::summary_of(c).is_some_and(|s| !s.is_empty()), "{c}");
        }
        assert_eq!(Error::summary_of(0), None);
        assert_eq!(Error::summary_of(19), None);
    }
}
