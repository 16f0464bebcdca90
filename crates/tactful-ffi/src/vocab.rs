//! The stable vocabulary as C enums, with the core's numeric codes.
//!
//! The values are the core's `code()` numbers (checked by a test); `*_UNKNOWN` (255) is only
//! ever returned by an accessor given a NULL pointer or an index out of range.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use tactful_core as core;

/// The customer's state of mind (`tactful_assessment_emotion`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_emotion {
    /// Hostile, blaming, shouting.
    Anger = 0,
    /// Annoyed, let down, fed up.
    Frustration = 1,
    /// Worried, afraid, nervous.
    Anxiety = 2,
    /// Sad, grieving, hopeless.
    Sadness = 3,
    /// Lost, does not understand.
    Confusion = 4,
    /// Calm, matter of fact.
    Neutral = 5,
    /// Happy, grateful, pleased.
    Positive = 6,
    /// No value: the assessment pointer was NULL.
    Unknown = 255,
}

/// How fast the situation needs action (`tactful_assessment_urgency`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_urgency {
    /// Money, security or safety at risk right now.
    Critical = 0,
    /// Needs action today.
    High = 1,
    /// Ordinary service request.
    Normal = 2,
    /// No time pressure (thanks, feedback, general questions).
    Low = 3,
    /// No value: the assessment pointer was NULL.
    Unknown = 255,
}

/// What the customer wants from this contact (`tactful_assessment_stance`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_stance {
    /// Wants to be heard more than anything else.
    Venting = 0,
    /// Wants a problem fixed.
    SeekingResolution = 1,
    /// Wants an answer to a question.
    SeekingInformation = 2,
    /// Gives praise, thanks or suggestions.
    GivingFeedback = 3,
    /// Wants to cancel or leave.
    Leaving = 4,
    /// No value: the assessment pointer was NULL.
    Unknown = 255,
}

/// How the customer communicates (`tactful_assessment_style`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_style {
    /// Facts, numbers, order ids, dates.
    DataDriven = 0,
    /// Feelings and stories.
    ExperienceDriven = 1,
    /// Neither dominates.
    Balanced = 2,
    /// No value: the assessment pointer was NULL.
    Unknown = 255,
}

/// What the agent leads with: the core of the recommendation (`tactful_assessment_approach`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_approach {
    /// One short acknowledgement, then immediate concrete action and a time frame.
    ResolveFirst = 0,
    /// Acknowledge and validate the feeling, then solve.
    EmpathizeThenResolve = 1,
    /// The customer is venting: reflect, validate, ask open questions.
    ListenAndValidate = 2,
    /// High-intensity anger, abuse or threats: stay calm, acknowledge, set the next step.
    Deescalate = 3,
    /// A calm question: plain, precise facts, light warmth.
    InformConcisely = 4,
    /// Praise or thanks: thank them and reinforce the relationship.
    Appreciate = 5,
    /// Wants to leave: understand the reason, empathize, offer real alternatives.
    Retain = 6,
    /// No value: the assessment pointer was NULL.
    Unknown = 255,
}

/// How much empathy goes up front (`tactful_assessment_empathy`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_empathy {
    /// None up front: go straight to the answer.
    None = 0,
    /// One short acknowledgement.
    Brief = 1,
    /// Acknowledge and validate fully before anything else.
    Full = 2,
    /// No value: the assessment pointer was NULL.
    Unknown = 255,
}

/// Where the conversation happens (`tactful_context_set_channel`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_channel {
    /// Voice call.
    Phone = 0,
    /// Live chat.
    Chat = 1,
    /// Email.
    Email = 2,
    /// Public social media.
    Social = 3,
    /// Text message.
    Sms = 4,
    /// Face to face.
    InPerson = 5,
}

/// The relationship with the customer (`tactful_context_set_relationship`).
///
/// The values are the core's `Relationship::code()` numbers (checked by a test).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_relationship {
    /// A new customer: first impressions, a quick win matters.
    New = 0,
    /// An established customer.
    Established = 1,
    /// A high-value customer: the long-term relationship matters most.
    HighValue = 2,
}

/// Facts about the situation that change how to respond (`tactful_assessment_flag_at`,
/// `tactful_assessment_has_flag`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum tactful_flag {
    /// The category puts the customer's money at risk.
    MoneyAtRisk = 0,
    /// The category involves account or card security.
    Security = 1,
    /// Physical safety is involved.
    Safety = 2,
    /// The customer has contacted us about this before.
    RepeatContact = 3,
    /// Bereavement, serious illness or financial hardship.
    Vulnerable = 4,
    /// Threat of legal action.
    LegalThreat = 5,
    /// Threat to complain to a regulator or ombudsman.
    RegulatorThreat = 6,
    /// Threat of a chargeback or payment dispute.
    ChargebackThreat = 7,
    /// Threat to go public on social media or review sites.
    SocialMediaThreat = 8,
    /// Threat to cancel or switch provider.
    ChurnThreat = 9,
    /// Profanity in the message.
    Profanity = 10,
    /// Abuse aimed at the agent or company.
    Abuse = 11,
    /// Sarcasm cues: positive words with a negative meaning.
    Sarcasm = 12,
    /// The request conflicts with policy (from the context).
    PolicyConflict = 13,
    /// A high-value relationship (from the context).
    HighValue = 14,
    /// The customer asks for a supervisor, manager or human.
    SupervisorRequested = 15,
    /// Shouting: much of the message is in capitals.
    Shouting = 16,
    /// The company is at fault (defect, failure, missed promise).
    CompanyAtFault = 17,
    /// Past feedback from this customer was negative.
    NegativeHistory = 18,
    /// The reading is unsure (no likely category, or not in English).
    LowConfidence = 19,
    /// The message is an expensive purchase gone wrong.
    HighValueItem = 20,
    /// The message is not written in English: the reading is a guess.
    NonEnglish = 21,
    /// No value: the assessment pointer was NULL or the index was out of range.
    Unknown = 255,
}

/// Maps a core vocabulary value onto its C enum through the core's stable code
/// (`core::X::code()`), the one code table. The core enums are `#[non_exhaustive]`: a value
/// added to the core that this C enum does not have yet has no C value. For the enums the
/// accessors return, that is the `*_UNKNOWN` value (`From`); for the others there is no
/// value (`TryFrom` fails). The test `vocabulary_codes_and_names_are_the_cores` (tests/abi.rs) fails
/// until the C enum gains the new value, so a new core value cannot slip through unnoticed.
macro_rules! from_core {
    (@values $c:ident { $($v:ident),+ }) => {
        impl $c {
            /// The C value whose code is `code`.
            fn from_code(code: u32) -> Option<$c> {
                [$($c::$v),+].into_iter().find(|&v| v as u32 == code)
            }
        }
    };
    ($c:ident <- $core:ident { $($v:ident),+ $(,)? }) => {
        from_core!(@values $c { $($v),+ });
        impl From<core::$core> for $c {
            fn from(v: core::$core) -> $c {
                $c::from_code(v.code()).unwrap_or($c::Unknown)
            }
        }
    };
    ($c:ident <-? $core:ident { $($v:ident),+ $(,)? }) => {
        from_core!(@values $c { $($v),+ });
        impl TryFrom<core::$core> for $c {
            type Error = core::$core;
            /// The C value of `v`, or `v` back when this C enum has no value for it.
            fn try_from(v: core::$core) -> Result<$c, core::$core> {
                $c::from_code(v.code()).ok_or(v)
            }
        }
    };
}

from_core!(tactful_emotion <- Emotion { Anger, Frustration, Anxiety, Sadness, Confusion, Neutral, Positive });
from_core!(tactful_urgency <- Urgency { Critical, High, Normal, Low });
from_core!(tactful_stance <- Stance { Venting, SeekingResolution, SeekingInformation, GivingFeedback, Leaving });
from_core!(tactful_style <- Style { DataDriven, ExperienceDriven, Balanced });
from_core!(tactful_approach <- Approach {
    ResolveFirst, EmpathizeThenResolve, ListenAndValidate, Deescalate, InformConcisely, Appreciate, Retain,
});
from_core!(tactful_empathy <- Empathy { None, Brief, Full });
from_core!(tactful_channel <-? Channel { Phone, Chat, Email, Social, Sms, InPerson });
from_core!(tactful_relationship <-? Relationship { New, Established, HighValue });
from_core!(tactful_flag <- Flag {
    MoneyAtRisk, Security, Safety, RepeatContact, Vulnerable, LegalThreat, RegulatorThreat,
    ChargebackThreat, SocialMediaThreat, ChurnThreat, Profanity, Abuse, Sarcasm, PolicyConflict,
    HighValue, SupervisorRequested, Shouting, CompanyAtFault, NegativeHistory, LowConfidence,
    HighValueItem, NonEnglish,
});

/// The NUL-terminated `snake_case` name of the value with `code`, built once from the core's
/// `as_str()`, or NULL for an unknown code.
fn name_of<T: Copy>(
    cell: &'static OnceLock<Vec<(u32, CString)>>,
    all: &'static [T],
    code: u32,
    code_of: impl Fn(T) -> u32,
    name: impl Fn(T) -> &'static str,
) -> *const c_char {
    crate::error::guard_or(std::ptr::null(), || {
        let names = cell.get_or_init(|| {
            all.iter()
                .map(|&v| (code_of(v), crate::error::c_string(name(v))))
                .collect()
        });
        names
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(std::ptr::null(), |(_, s)| s.as_ptr())
    })
}

/// The JSON name of a `TACTFUL_EMOTION_*` code (e.g. "anger"), or NULL for an unknown code.
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_emotion_name(code: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    name_of(
        &NAMES,
        core::Emotion::ALL,
        code,
        core::Emotion::code,
        core::Emotion::as_str,
    )
}

/// The JSON name of a `TACTFUL_URGENCY_*` code (e.g. "critical"), or NULL for an unknown code.
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_urgency_name(code: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    name_of(
        &NAMES,
        core::Urgency::ALL,
        code,
        core::Urgency::code,
        core::Urgency::as_str,
    )
}

/// The JSON name of a `TACTFUL_STANCE_*` code (e.g. "seeking_resolution"), or NULL for an unknown code.
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_stance_name(code: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    name_of(
        &NAMES,
        core::Stance::ALL,
        code,
        core::Stance::code,
        core::Stance::as_str,
    )
}

/// The JSON name of a `TACTFUL_STYLE_*` code (e.g. "data_driven"), or NULL for an unknown code.
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_style_name(code: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    name_of(
        &NAMES,
        core::Style::ALL,
        code,
        core::Style::code,
        core::Style::as_str,
    )
}

/// The JSON name of a `TACTFUL_APPROACH_*` code (e.g. "resolve_first"), or NULL for an unknown code.
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_approach_name(code: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    name_of(
        &NAMES,
        core::Approach::ALL,
        code,
        core::Approach::code,
        core::Approach::as_str,
    )
}

/// The JSON name of a `TACTFUL_EMPATHY_*` code (e.g. "brief"), or NULL for an unknown code.
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_empathy_name(code: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    name_of(
        &NAMES,
        core::Empathy::ALL,
        code,
        core::Empathy::code,
        core::Empathy::as_str,
    )
}

/// The JSON name of a `TACTFUL_CHANNEL_*` code (e.g. "in_person"), or NULL for an unknown code.
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_channel_name(code: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    name_of(
        &NAMES,
        core::Channel::ALL,
        code,
        core::Channel::code,
        core::Channel::as_str,
    )
}

/// The JSON name of a `TACTFUL_FLAG_*` code (e.g. "money_at_risk"), or NULL for an unknown code.
/// The string is static: never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn tactful_flag_name(code: u32) -> *const c_char {
    static NAMES: OnceLock<Vec<(u32, CString)>> = OnceLock::new();
    name_of(
        &NAMES,
        core::Flag::ALL,
        code,
        core::Flag::code,
        core::Flag::as_str,
    )
}
