//! The playbook's sentence tables: every sentence the recommender and the conversation
//! tracker add on their own (context lines, follow-ups, rationale, conversation advice),
//! keyed by a stable code.
//!
//! Each table is one struct whose field names are the codes. The embedded default playbook
//! (`data/playbook.toml`) is the one source of the default sentences: a custom playbook may
//! leave a table, or any key of it, out, and the missing sentences are the default
//! playbook's (`Default` of each table reads them from there too). An empty string leaves
//! the sentence out where the docs of the field say so.

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

use crate::Error;

/// The default playbook's top-level tables, parsed once and only when a sentence is missing
/// from a loaded playbook (the default playbook itself spells every key).
static DEFAULT_TABLES: Lazy<Option<toml::Table>> =
    Lazy::new(|| toml::from_str(super::Playbook::default_toml()).ok());

fn default_table(name: &str) -> Option<&'static toml::Table> {
    DEFAULT_TABLES.as_ref()?.get(name)?.as_table()
}

/// One sentence or a list of them.
trait Texts {
    fn texts(&self) -> Vec<&str>;
}

impl Texts for String {
    fn texts(&self) -> Vec<&str> {
        vec![self.as_str()]
    }
}

impl Texts for Vec<String> {
    fn texts(&self) -> Vec<&str> {
        self.iter().map(String::as_str).collect()
    }
}

/// A sentence table: the public struct (field = stable code), a `Deserialize` that takes
/// each missing key from the default playbook, a `Default` that is the default playbook's
/// table, and the list of codes with the placeholders each may use.
macro_rules! sentence_table {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $table:literal {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty = [$($ph:literal),*],
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: $ty,
            )*
        }

        // Not every table is checked (the lines take the playbook's general placeholders)
        // or listed outside the tests.
        #[allow(dead_code)]
        impl $name {
            /// The table's name in a playbook file.
            pub(crate) const TABLE: &'static str = $table;

            /// Every code of the table, in order.
            pub(crate) const CODES: &'static [&'static str] = &[$(stringify!($field)),*];

            /// The default playbook's table (a key it lacks is empty).
            fn embedded() -> &'static $name {
                static EMBEDDED: Lazy<$name> = Lazy::new(|| {
                    let t = default_table($table);
                    $name {
                        $(
                            $field: t
                                .and_then(|t| t.get(stringify!($field)))
                                .and_then(|v| v.clone().try_into().ok())
                                .unwrap_or_default(),
                        )*
                    }
                });
                &EMBEDDED
            }

            /// Each code with the placeholders it may use and its sentences.
            pub(crate) fn entries(&self) -> Vec<(&'static str, &'static [&'static str], Vec<&str>)> {
                vec![$((stringify!($field), &[$($ph),*], Texts::texts(&self.$field)),)*]
            }

            /// Checks every sentence's placeholders against the ones its code fills.
            pub(crate) fn check(&self) -> Result<(), Error> {
                for (code, allowed, texts) in self.entries() {
                    for (j, t) in texts.iter().enumerate() {
                        let field = if texts.len() == 1 {
                            format!("{}.{code}", $table)
                        } else {
                            format!("{}.{code}[{j}]", $table)
                        };
                        check_names(&field, t, allowed)?;
                    }
                }
                Ok(())
            }
        }

        /// The default playbook's sentences.
        impl Default for $name {
            fn default() -> Self {
                $name::embedded().clone()
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Given {
                    $(
                        #[serde(default)]
                        $field: Option<$ty>,
                    )*
                }
                let given = Given::deserialize(d)?;
                Ok($name {
                    $(
                        $field: match given.$field {
                            Some(v) => v,
                            None => $name::embedded().$field.clone(),
                        },
                    )*
                })
            }
        }
    };
}

/// Checks that `s` uses only the `{placeholders}` in `allowed`, with every `{` closed.
pub(crate) fn check_names(field: &str, s: &str, allowed: &[&str]) -> Result<(), Error> {
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(Error::playbook(field, "unclosed `{` in template"));
        };
        let name = &after[..close];
        if !allowed.contains(&name) {
            let known = if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed.join(", ")
            };
            return Err(Error::playbook(
                field,
                format!("unknown placeholder `{{{name}}}`; known: {known}"),
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// Fills the `{name}` placeholders of `t` from `values`; a sentence without placeholders is
/// copied as is (validated playbooks use only the names their code fills).
pub(crate) fn fill_named(t: &str, values: &[(&str, &str)]) -> String {
    fill_placeholders(t, 32, |name, out| {
        values
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| out.push_str(v))
            .is_some()
    })
}

/// Copies `t`, letting `put` write each `{name}` placeholder; a name `put` does not know
/// (it returns `false`) and an unclosed `{` are kept as written. One pass and one
/// allocation (`extra` bytes of room for the values): this runs for every line of every
/// recommendation.
pub(crate) fn fill_placeholders(
    t: &str,
    extra: usize,
    mut put: impl FnMut(&str, &mut String) -> bool,
) -> String {
    if !t.contains('{') {
        return t.to_string();
    }
    let mut out = String::with_capacity(t.len() + extra);
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            rest = &rest[open..];
            break;
        };
        let name = &after[..close];
        if !put(name, &mut out) {
            out.push('{');
            out.push_str(name);
            out.push('}');
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

sentence_table! {
    /// Sentences the recommender adds when the context calls for them (table `[lines]`).
    ///
    /// Every key a playbook leaves out is the default playbook's sentence.
    pub struct Lines in "lines" {
        /// Opening prefix for a repeat contact (empty: none).
        repeat_contact: String = [],
        /// Step for a repeat contact.
        repeat_contact_step: String = [],
        /// Step when vulnerability cues are present.
        vulnerable_step: String = [],
        /// Steps for a policy conflict (placeholders allowed).
        policy_steps: Vec<String> = [],
        /// Step suggesting a goodwill gesture (`{gesture}`).
        gesture_step: String = [],
        /// Step when the customer asks for a supervisor.
        supervisor_step: String = [],
        /// Step when churn risk is high and the approach is not `retain`.
        churn_step: String = [],
        /// Step for a public social-media contact.
        social_step: String = [],
        /// What to avoid with a data-driven customer.
        data_driven_avoid: String = [],
        /// What to avoid with a vulnerable customer.
        vulnerable_avoid: String = [],
        /// What to avoid on a repeat contact.
        repeat_contact_avoid: String = [],
        /// What to avoid on a policy conflict.
        policy_avoid: String = [],
        /// `{issue}` when the category gives none.
        issue_fallback: String = [],
        /// `{action}` when the category gives none.
        action_fallback: String = [],
        /// `{timeframe}` when the category gives none.
        timeframe_fallback: String = [],
        /// `{gesture}` when the context gives no `max_gesture`.
        gesture_fallback: String = [],
        /// `{alternatives}` when the context gives no `allowed_alternatives`.
        alternatives_fallback: String = [],
        /// The word before the last of several `allowed_alternatives` ("store credit,
        /// exchange or repair").
        alternatives_or: String = [],
        /// Added to the opening when the customer asked for a supervisor (empty: nothing).
        supervisor_opening: String = [],
        /// Added to the opening on a policy conflict, e.g. naming `{alternatives}` (empty:
        /// nothing).
        policy_opening: String = [],
        /// The opening on a public social channel when acting needs the customer's account
        /// details: the move to a private channel (empty: the approach's own opening).
        social_private: String = [],
        /// The acknowledgement before [`Self::social_private`], except for a plain question
        /// (`inform_concisely`); may use `{issue}` (empty: none).
        social_private_ack: String = [],
    }
}

sentence_table! {
    /// Follow-up survey suggestions (table `[follow_up]`); a key a playbook leaves out is
    /// the default playbook's sentence.
    pub struct FollowUp in "follow_up" {
        /// Suggested after a resolution (empty: none).
        csat: String = [],
        /// Suggested after an effortful process (empty: none).
        ces: String = [],
    }
}

sentence_table! {
    /// Why the recommender chose what it chose: the sentences of
    /// [`Recommendation::rationale`](crate::Recommendation::rationale) (table `[rationale]`),
    /// keyed by a stable code.
    ///
    /// A key a playbook leaves out (or a playbook without the table) gets the default
    /// playbook's sentence; an empty sentence is left out of the rationale. Placeholders
    /// are filled by the recommender: `{category}` (the category's label), `{stake}` (one of
    /// the `stake_*` words), `{emotion}` (its label), `{intensity}` and `{probability}` (two
    /// decimals), `{approach}` (its label), `{prior_contacts}` (a number); each code accepts
    /// only the ones listed on it.
    pub struct Rationale in "rationale" {
        /// Abusive language.
        abuse: String = [],
        /// Money, security or safety at risk now (`{category}`, `{stake}`).
        urgent_stake: String = ["category", "stake"],
        /// Resolving first while the customer is very angry.
        anger_is_the_problem: String = [],
        /// High anger (`{emotion}`, `{intensity}`).
        deescalate_high: String = ["emotion", "intensity"],
        /// High anger with threats (`{emotion}`, `{intensity}`).
        deescalate_high_threats: String = ["emotion", "intensity"],
        /// High anger and a supervisor request (`{emotion}`, `{intensity}`).
        deescalate_high_supervisor: String = ["emotion", "intensity"],
        /// Rising negative emotion with shouting (`{emotion}`, `{intensity}`).
        deescalate_rising: String = ["emotion", "intensity"],
        /// Rising negative emotion with threats (`{emotion}`, `{intensity}`).
        deescalate_rising_threats: String = ["emotion", "intensity"],
        /// Rising negative emotion and a supervisor request (`{emotion}`, `{intensity}`).
        deescalate_rising_supervisor: String = ["emotion", "intensity"],
        /// The customer wants to leave.
        leaving: String = [],
        /// Praise or thanks.
        praise: String = [],
        /// The customer is venting.
        venting: String = [],
        /// An expensive product went wrong.
        expensive_defect: String = [],
        /// Something at stake, acted on first (`{category}`, `{stake}`).
        stake: String = ["category", "stake"],
        /// Vulnerability cues decided the approach.
        vulnerable: String = [],
        /// A calm question.
        calm_question: String = [],
        /// Positive feedback.
        positive_feedback: String = [],
        /// A worried customer with a problem to fix.
        worried_customer: String = [],
        /// A data-driven customer decided the approach.
        data_driven_first: String = [],
        /// Weak evidence for any category.
        weak_evidence: String = [],
        /// The category's default approach (`{category}`, `{approach}`).
        default_approach: String = ["category", "approach"],
        /// The wording asks for `resolve_first` (`{probability}`).
        wording_resolve_first: String = ["probability"],
        /// The wording asks for `empathize_then_resolve` (`{probability}`).
        wording_empathize_then_resolve: String = ["probability"],
        /// The wording asks for `listen_and_validate` (`{probability}`).
        wording_listen_and_validate: String = ["probability"],
        /// The wording asks for `deescalate` (`{probability}`).
        wording_deescalate: String = ["probability"],
        /// The wording asks for `inform_concisely` (`{probability}`).
        wording_inform_concisely: String = ["probability"],
        /// The wording asks for `appreciate` (`{probability}`).
        wording_appreciate: String = ["probability"],
        /// The wording asks for `retain` (`{probability}`).
        wording_retain: String = ["probability"],
        /// Vulnerability cues soften the tone.
        vulnerable_tone: String = [],
        /// A data-driven customer (when `data_driven_first` was not said).
        data_driven: String = [],
        /// A repeat contact with no count in the context.
        repeat_contact: String = [],
        /// A repeat contact with the context's count (`{prior_contacts}`).
        repeat_contact_counted: String = ["prior_contacts"],
        /// A policy conflict.
        policy_conflict: String = [],
        /// A goodwill gesture is suggested.
        gesture: String = [],
        /// `{stake}` when safety is involved.
        stake_safety: String = [],
        /// `{stake}` for money and security.
        stake_money_and_security: String = [],
        /// `{stake}` for money.
        stake_money: String = [],
        /// `{stake}` for security.
        stake_security: String = [],
        /// `{stake}` otherwise.
        stake_other: String = [],
    }
}

sentence_table! {
    /// What a [`Conversation`](crate::Conversation) adds to the recommendation as it adapts
    /// (table `[conversation]`), keyed by a stable code. A key a playbook leaves out (or a
    /// playbook without the table) gets the default playbook's sentence; an empty step,
    /// avoid item or rationale sentence is left out.
    pub struct ConversationLines in "conversation" {
        /// The opening once the customer thanks the agent for the help (empty: the
        /// recommendation's own opening).
        closing: String = [],
        /// The opening in action mode when the category names no action.
        action_fallback: String = [],
        /// First step in action mode (empathy backfired).
        action_step: String = [],
        /// First avoid item in action mode.
        action_avoid: String = [],
        /// Rationale sentence added in action mode.
        action_rationale: String = [],
        /// Step when the customer repeats themselves.
        repeated_step: String = [],
        /// Step when the customer asked for a supervisor.
        supervisor_requested_step: String = [],
        /// Step when a supervisor should be offered (sustained anger, repeated three times,
        /// empathy backfired twice).
        offer_supervisor_step: String = [],
        /// Step after a long wait (`{waited}`: how long, e.g. `12 minutes`).
        long_wait_step: String = ["waited"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Playbook;

    /// The codes and sentences of one table as the default playbook file spells them.
    fn spelled(table: &str) -> Vec<(String, Vec<String>)> {
        let t = default_table(table).unwrap_or_else(|| panic!("[{table}] in playbook.toml"));
        t.iter()
            .map(|(k, v)| {
                let texts = match v {
                    toml::Value::String(s) => vec![s.clone()],
                    toml::Value::Array(a) => a
                        .iter()
                        .map(|x| x.as_str().expect("a string").to_string())
                        .collect(),
                    other => panic!("[{table}].{k} is not text: {other:?}"),
                };
                (k.clone(), texts)
            })
            .collect()
    }

    fn assert_spells_every_code(table: &str, codes: &[&str]) {
        let spelled = spelled(table);
        let mut keys: Vec<&str> = spelled.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        let mut want = codes.to_vec();
        want.sort_unstable();
        assert_eq!(keys, want, "[{table}] must spell exactly the codes");
        for (k, texts) in &spelled {
            assert!(!texts.is_empty(), "[{table}].{k} is empty");
            for t in texts {
                assert!(!t.trim().is_empty(), "[{table}].{k} has an empty sentence");
            }
        }
    }

    /// Every code the recommender and the conversation can emit (the fields of the tables)
    /// has a sentence in the default playbook file itself, not only through a fallback: a
    /// missing key fails here, not in a user's call.
    #[test]
    fn the_default_playbook_spells_every_sentence() {
        assert_spells_every_code(Rationale::TABLE, Rationale::CODES);
        assert_spells_every_code(ConversationLines::TABLE, ConversationLines::CODES);
        assert_spells_every_code(Lines::TABLE, Lines::CODES);
        assert_spells_every_code(FollowUp::TABLE, FollowUp::CODES);
        assert_eq!(Rationale::CODES.len(), 39);
        assert_eq!(ConversationLines::CODES.len(), 9);
        // The loaded default and each table's `Default` are the file's sentences.
        let pb = Playbook::default_playbook().expect("default");
        assert_eq!(pb.rationale, Rationale::default());
        assert_eq!(pb.conversation, ConversationLines::default());
        assert_eq!(pb.lines, Lines::default());
        assert_eq!(pb.follow_up, FollowUp::default());
        let (code, _, texts) = &pb.rationale.entries()[15];
        assert_eq!(
            (*code, texts.as_slice()),
            (
                "calm_question",
                &["a calm question: answer plainly and precisely"][..]
            )
        );
        assert_eq!(pb.lines.policy_steps.len(), 2);
    }

    #[test]
    fn a_key_left_out_is_the_default_playbooks_sentence() {
        let r: Rationale = toml::from_str("calm_question = \"Just answer it.\"").expect("parse");
        let mut want = Rationale::default();
        assert_ne!(want.calm_question, "Just answer it.");
        want.calm_question = "Just answer it.".into();
        assert_eq!(r, want);
        let c: ConversationLines = serde_json::from_str("{}").expect("parse");
        assert_eq!(c, ConversationLines::default());
        let l: Lines = toml::from_str("policy_steps = []").expect("parse");
        assert!(l.policy_steps.is_empty());
        assert_eq!(l.churn_step, Lines::default().churn_step);
    }

    #[test]
    fn placeholders_are_checked_per_code() {
        let mut r = Rationale {
            calm_question: "answer about {category}".into(),
            ..Rationale::default()
        };
        let e = r.check().expect_err("calm_question fills no placeholder");
        assert!(e.to_string().contains("rationale.calm_question"), "{e}");
        assert!(e.to_string().contains("known: none"), "{e}");
        r.calm_question = "answer {".into();
        assert!(r.check().is_err());
        let r = Rationale {
            urgent_stake: "{stake} at risk in {category}".into(),
            ..Rationale::default()
        };
        r.check().expect("both are filled for urgent_stake");
        let c = ConversationLines {
            long_wait_step: "Sorry for the wait of {waited}, {name}.".into(),
            ..ConversationLines::default()
        };
        let e = c.check().expect_err("unknown placeholder");
        assert!(e.to_string().contains("conversation.long_wait_step"), "{e}");
    }

    #[test]
    fn fill_named_fills_known_names_only() {
        assert_eq!(
            fill_named("{a} and {b} and {c}", &[("a", "1"), ("b", "2")]),
            "1 and 2 and {c}"
        );
        assert_eq!(fill_named("no braces", &[("a", "1")]), "no braces");
        assert_eq!(fill_named("open {a", &[("a", "1")]), "open {a");
    }
}
