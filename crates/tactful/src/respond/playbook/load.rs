//! Reading, writing and validating a playbook (TOML or JSON, errors that name the field and
//! line), and looking its pieces up. Kept apart from the types, which are plain data.

use std::collections::HashSet;
use std::path::Path;

use super::*;

/// `amount` and `reference` are the customer's own (the one sum with its currency sign, the
/// one order or ticket reference they give): an opening that uses them is offered only when
/// the message has exactly one, and never on a public social channel.
const PLACEHOLDERS: &[&str] = &[
    "issue",
    "action",
    "timeframe",
    "alternatives",
    "gesture",
    "amount",
    "reference",
];

impl Playbook {
    /// The embedded default playbook.
    pub fn default_playbook() -> Result<&'static Playbook, Error> {
        default_playbook()
    }

    /// The embedded default playbook as TOML text (with comments).
    pub fn default_toml() -> &'static str {
        DEFAULT_TOML
    }

    /// Parses and validates a TOML playbook.
    ///
    /// ```
    /// let err = tactful::Playbook::from_toml_str("version = 1\ncolour = 3\n").unwrap_err();
    /// assert!(err.to_string().contains("colour"), "{err}");
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Playbook, Error> {
        let value: toml::Table = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_col(text, s.start))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            Error::InvalidPlaybook {
                field: String::new(),
                message: e.message().to_string(),
                line,
                column,
            }
        })?;
        let pb: Playbook = serde_path_to_error::deserialize(toml::Value::Table(value))
            .map_err(|e| located(text, e.path().to_string(), e.inner().to_string()))?;
        pb.validate().map_err(|e| match e {
            Error::InvalidPlaybook { field, message, .. } => located(text, field, message),
            other => other,
        })?;
        Ok(pb)
    }

    /// Parses and validates a JSON playbook.
    pub fn from_json_str(text: &str) -> Result<Playbook, Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let pb: Playbook = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            Error::InvalidPlaybook {
                field: e.path().to_string(),
                message: inner.to_string(),
                line: Some(inner.line()),
                column: Some(inner.column()),
            }
        })?;
        pb.validate()?;
        Ok(pb)
    }

    /// Parses TOML or JSON, whichever the text is (JSON when it starts with `{`).
    pub fn from_str_any(text: &str) -> Result<Playbook, Error> {
        if text.trim_start().starts_with('{') {
            Playbook::from_json_str(text)
        } else {
            Playbook::from_toml_str(text)
        }
    }

    /// Reads a `.json` or `.toml` playbook file.
    pub fn from_path(path: &Path) -> Result<Playbook, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Playbook::from_json_str(&text),
            Some("toml") => Playbook::from_toml_str(&text),
            _ => Playbook::from_str_any(&text),
        }
    }

    /// The playbook as TOML (without the default's comments).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// The playbook as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The category named `name`.
    pub fn category(&self, name: &str) -> Option<&CategorySpec> {
        self.categories.iter().find(|c| c.name == name)
    }

    /// The guidance for `approach`.
    pub fn approach(&self, approach: Approach) -> Option<&ApproachSpec> {
        self.approaches.iter().find(|a| a.approach == approach)
    }

    /// The advice for `channel`.
    pub fn channel(&self, channel: Channel) -> Option<&ChannelSpec> {
        self.channels.iter().find(|c| c.channel == channel)
    }

    /// Checks consistency: version, unique names, `other` present, every approach present,
    /// thresholds in range, known placeholders.
    pub fn validate(&self) -> Result<(), Error> {
        if self.version != PLAYBOOK_VERSION {
            return Err(Error::playbook(
                "version",
                format!(
                    "unsupported version {}, expected {PLAYBOOK_VERSION}",
                    self.version
                ),
            ));
        }
        let t = &self.thresholds;
        for (name, v) in [
            ("abstain", t.abstain),
            ("deescalate_intensity", t.deescalate_intensity),
            ("full_empathy_intensity", t.full_empathy_intensity),
            ("churn_alert", t.churn_alert),
            ("category_model_weight", t.category_model_weight),
            ("emotion_model_weight", t.emotion_model_weight),
            ("sentiment_model_weight", t.sentiment_model_weight),
            ("model_approach", t.model_approach.min(1.0)),
            ("model_empathy", t.model_empathy.min(1.0)),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::playbook(
                    format!("thresholds.{name}"),
                    format!("must be within 0..=1, got {v}"),
                ));
            }
        }
        if !(t.expensive_amount.is_finite() && t.expensive_amount >= 0.0) {
            return Err(Error::playbook(
                "thresholds.expensive_amount",
                "must be a non-negative number",
            ));
        }
        if self.categories.len() > MAX_CATEGORIES {
            return Err(Error::playbook(
                "categories",
                format!(
                    "{} categories, at most {MAX_CATEGORIES} are supported",
                    self.categories.len()
                ),
            ));
        }
        let mut seen = HashSet::new();
        for (i, c) in self.categories.iter().enumerate() {
            let field = |f: &str| format!("categories[{i}].{f}");
            let ok_name = !c.name.is_empty()
                && c.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !ok_name {
                return Err(Error::playbook(
                    field("name"),
                    format!("`{}` is not a snake_case label", c.name),
                ));
            }
            if !seen.insert(c.name.as_str()) {
                return Err(Error::playbook(
                    field("name"),
                    format!("duplicate category `{}`", c.name),
                ));
            }
            for (f, s) in [
                ("issue", &c.issue),
                ("action", &c.action),
                ("timeframe", &c.timeframe),
            ] {
                check_placeholders(&field(f), s)?;
            }
            for (j, s) in c.steps.iter().enumerate() {
                check_placeholders(&field(&format!("steps[{j}]")), s.text())?;
            }
            for (j, v) in c.variants.iter().enumerate() {
                for (f, s) in [
                    ("issue", &v.issue),
                    ("action", &v.action),
                    ("timeframe", &v.timeframe),
                ] {
                    check_placeholders(&field(&format!("variants[{j}].{f}")), s)?;
                }
            }
            for (f, list) in [("cues", &c.cues), ("hard_cues", &c.hard_cues)] {
                for (j, cue) in list.iter().enumerate() {
                    if text::phrase_words(cue).is_empty() {
                        return Err(Error::playbook(
                            field(&format!("{f}[{j}]")),
                            "a cue must contain at least one word",
                        ));
                    }
                }
            }
        }
        if !seen.contains(OTHER) {
            return Err(Error::playbook(
                "categories",
                "the abstain category `other` must be defined",
            ));
        }
        for &a in Approach::ALL {
            let n = self.approaches.iter().filter(|s| s.approach == a).count();
            if n != 1 {
                return Err(Error::playbook(
                    "approaches",
                    format!("approach `{a}` must appear exactly once, found {n}"),
                ));
            }
        }
        for (j, s) in self.lines.policy_steps.iter().enumerate() {
            check_placeholders(&format!("lines.policy_steps[{j}]"), s)?;
        }
        check_placeholders("lines.gesture_step", &self.lines.gesture_step)?;
        check_placeholders("lines.supervisor_opening", &self.lines.supervisor_opening)?;
        check_placeholders("lines.policy_opening", &self.lines.policy_opening)?;
        check_placeholders("lines.social_private", &self.lines.social_private)?;
        check_placeholders("lines.social_private_ack", &self.lines.social_private_ack)?;
        self.rationale.check()?;
        self.conversation.check()?;
        for (i, a) in self.approaches.iter().enumerate() {
            for (j, s) in a.steps.iter().enumerate() {
                check_placeholders(&format!("approaches[{i}].steps[{j}]"), s.text())?;
            }
            if a.openings.is_empty() {
                return Err(Error::playbook(
                    format!("approaches[{i}].openings"),
                    "needs at least one opening line",
                ));
            }
            if !a.openings.iter().any(|o| {
                o.emotion.is_none()
                    && o.channel.is_none()
                    && o.requires.is_none()
                    && o.unless.is_none()
                    && !o.text.contains("{amount}")
                    && !o.text.contains("{reference}")
            }) {
                return Err(Error::playbook(
                    format!("approaches[{i}].openings"),
                    "needs at least one opening without an emotion, channel, requires or unless restriction (or {amount} / {reference}, which need the customer to give one)",
                ));
            }
            for (j, o) in a.openings.iter().enumerate() {
                check_placeholders(&format!("approaches[{i}].openings[{j}].text"), &o.text)?;
            }
        }
        Ok(())
    }

    /// A minimal valid playbook, used only if the embedded one could not be loaded.
    pub(crate) fn minimal() -> Playbook {
        Playbook {
            version: PLAYBOOK_VERSION,
            name: "minimal".into(),
            thresholds: Thresholds::default(),
            categories: vec![{
                let mut other =
                    CategorySpec::new(OTHER, Urgency::Normal, Approach::EmpathizeThenResolve);
                other.issue = "this".into();
                other
            }],
            approaches: Approach::ALL
                .iter()
                .map(|&a| ApproachSpec {
                    approach: a,
                    empathy: Empathy::Brief,
                    tone: vec![],
                    steps: vec![],
                    avoid: vec![],
                    openings: vec![OpeningSpec {
                        emotion: None,
                        channel: None,
                        text: "Thanks for reaching out.".into(),
                        requires: None,
                        unless: None,
                    }],
                })
                .collect(),
            channels: vec![],
            canned_phrases: vec![],
            jargon: vec![],
            follow_up: FollowUp::default(),
            lines: Lines::default(),
            conditions: Conditions::default(),
            rationale: Rationale::default(),
            conversation: ConversationLines::default(),
        }
    }
}

fn check_placeholders(field: &str, s: &str) -> Result<(), Error> {
    crate::respond::playbook::sentences::check_names(field, s, PLACEHOLDERS)
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = text.get(..byte).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Attaches the line of the field's last key to an error found after parsing.
fn located(text: &str, field: String, message: String) -> Error {
    let key = field
        .rsplit(['.', '['])
        .find(|k| !k.is_empty() && !k.ends_with(']'))
        .unwrap_or("")
        .to_string();
    // serde names an unknown field in the message, not the path.
    let probe = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field"))
        .map(str::to_string)
        .unwrap_or(key);
    let line = (!probe.is_empty())
        .then(|| {
            text.lines().position(|l| {
                let l = l.trim_start().trim_start_matches('[');
                l.starts_with(&probe) && l[probe.len()..].trim_start().starts_with(['=', ']', '.'])
            })
        })
        .flatten()
        .map(|i| i + 1);
    Error::InvalidPlaybook {
        field,
        message,
        line,
        column: None,
    }
}
