//! Reply review and conversation tracking: `Engine.review_reply` and `tactful.Conversation`.

use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;

use crate::convert::{type_name, ContextArgs};
use crate::engine::{text_arg, Engine};
use crate::errors::IntoPyResult;
use crate::results::{json_to_py, to_json, Assessment};

/// The review of a draft reply: a score 0..100 with its parts, findings and suggestions.
#[pyclass(frozen, module = "tactful._tactful", name = "ReplyReview")]
pub struct ReplyReview {
    inner: Arc<tactful::ReplyReview>,
}

impl ReplyReview {
    pub fn new(r: tactful::ReplyReview) -> Self {
        ReplyReview { inner: Arc::new(r) }
    }
}

#[pymethods]
impl ReplyReview {
    /// Overall quality 0..100: the weighted parts, capped when there are problems.
    #[getter]
    fn score(&self) -> u8 {
        self.inner.score
    }
    /// The approach the draft was judged against.
    #[getter]
    fn approach(&self) -> &'static str {
        self.inner.approach.as_str()
    }
    /// The amount of empathy the situation calls for.
    #[getter]
    fn expected_empathy(&self) -> &'static str {
        self.inner.expected_empathy.as_str()
    }
    /// Words in the draft.
    #[getter]
    fn words(&self) -> usize {
        self.inner.words
    }
    /// Findings left out because their code already had 20 (`MAX_FINDINGS_PER_CODE`).
    #[getter]
    fn findings_omitted(&self) -> usize {
        self.inner.findings_omitted
    }
    /// Concrete changes to make, most important first.
    #[getter]
    fn suggestions(&self) -> Vec<String> {
        self.inner.suggestions.clone()
    }
    /// What to look at: dicts with `code`, `severity`, `message`, `start`, `end`.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.inner.findings))
    }
    /// The parts of the score: `{part: {"score": 0..100, "weight": 0..100}}`.
    #[getter]
    fn parts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.inner.parts))
    }
    /// The three empathy mechanisms (emotional reactions, interpretations, explorations).
    #[getter]
    fn empathy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.inner.empathy))
    }
    /// Ownership, next step, time frame, personalization and alternatives found.
    #[getter]
    fn signals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.inner.signals))
    }
    /// True when a finding with this code (e.g. `"blame"`) is present.
    fn has(&self, code: &str) -> bool {
        // An unknown code is never present (as before the codes were typed).
        code.parse().is_ok_and(|c| self.inner.has(c))
    }
    /// The review as a dict of plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.to_json())
    }
    /// The review as compact JSON.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }
    /// Equal when the underlying reviews are equal.
    fn __eq__(&self, other: &Bound<'_, ReplyReview>) -> bool {
        *self.inner == *other.get().inner
    }
    fn __repr__(&self) -> String {
        let codes: Vec<&str> = self
            .inner
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        format!(
            "ReplyReview(score={}, approach={:?}, findings={:?})",
            self.inner.score,
            self.inner.approach.as_str(),
            codes
        )
    }
}

/// The result of pushing one turn into a `Conversation`.
#[pyclass(frozen, module = "tactful._tactful", name = "TurnView")]
pub struct TurnView {
    inner: Arc<tactful::TurnView>,
}

#[pymethods]
impl TurnView {
    /// 0-based index of the turn in the conversation.
    #[getter]
    fn index(&self) -> usize {
        self.inner.index
    }
    /// `"customer"` or `"agent"`.
    #[getter]
    fn speaker(&self) -> &'static str {
        self.inner.speaker.as_str()
    }
    /// The timestamp given, in seconds.
    #[getter]
    fn timestamp(&self) -> Option<u64> {
        self.inner.timestamp
    }
    /// For a customer turn: its assessment.
    #[getter]
    fn assessment(&self) -> Option<Assessment> {
        self.inner.assessment.clone().map(Assessment::new)
    }
    /// For an agent turn: its review against the adapted recommendation.
    #[getter]
    fn review(&self) -> Option<ReplyReview> {
        self.inner.review.clone().map(ReplyReview::new)
    }
    /// For a customer turn: what the tracker read in it (heat, repeated, backfire, ...).
    #[getter]
    fn signals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.inner.signals))
    }
    /// Seconds the customer waited for this agent turn.
    #[getter]
    fn waited_seconds(&self) -> Option<u64> {
        self.inner.waited_seconds
    }
    /// The conversation state after this turn, as a dict.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.inner.state))
    }
    /// The turn as a dict of plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&*self.inner))
    }
    /// The turn as compact JSON.
    fn to_json(&self) -> String {
        to_json(&*self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "TurnView(index={}, speaker={:?})",
            self.inner.index,
            self.inner.speaker.as_str()
        )
    }
}

/// Follows one conversation turn by turn and adapts the recommendation.
///
/// `Conversation(engine=None, *, context=None, channel=None, customer_name=None, ...)`.
/// Pushes from several threads are serialized; a failed push changes nothing.
#[pyclass(frozen, module = "tactful._tactful", name = "Conversation")]
pub struct Conversation {
    inner: Mutex<tactful::Conversation>,
}

impl Conversation {
    fn push(
        &self,
        py: Python<'_>,
        speaker: tactful::Speaker,
        text: &Bound<'_, PyAny>,
        timestamp: Option<u64>,
    ) -> PyResult<TurnView> {
        let text = text_arg(text, "text")?;
        let r = py.detach(|| {
            let mut c = self.inner.lock().map_err(|_| ())?;
            Ok::<_, ()>(c.push(speaker, &text, timestamp))
        });
        let view = r
            .map_err(|_| PyRuntimeError::new_err("the conversation was poisoned by a panic"))?
            .py(py)?;
        Ok(TurnView {
            inner: Arc::new(view),
        })
    }
}

#[pymethods]
impl Conversation {
    #[new]
    #[pyo3(signature = (engine=None, *, context=None, channel=None, customer_name=None, prior_contacts=None,
        past_feedback=None, relationship=None, policy_conflict=None, allowed_alternatives=None,
        max_gesture=None))]
    #[allow(clippy::too_many_arguments)]
    fn new<'py>(
        py: Python<'py>,
        engine: Option<&Bound<'py, PyAny>>,
        context: Option<Bound<'py, PyAny>>,
        channel: Option<String>,
        customer_name: Option<String>,
        prior_contacts: Option<crate::convert::Count>,
        past_feedback: Option<Bound<'py, PyAny>>,
        relationship: Option<String>,
        policy_conflict: Option<bool>,
        allowed_alternatives: Option<Vec<String>>,
        max_gesture: Option<String>,
    ) -> PyResult<Self> {
        let engine = match engine.filter(|e| !e.is_none()) {
            None => tactful::Engine::default(),
            Some(e) => e
                .cast::<Engine>()
                .map_err(|_| {
                    PyTypeError::new_err(format!(
                        "engine must be a tactful.Engine, not {}",
                        type_name(e)
                    ))
                })?
                .get()
                .engine
                .clone(),
        };
        let ctx = ContextArgs {
            context,
            channel,
            customer_name,
            prior_contacts,
            past_feedback,
            relationship,
            policy_conflict,
            allowed_alternatives,
            max_gesture,
        }
        .build(py)?;
        Ok(Conversation {
            inner: Mutex::new(tactful::Conversation::new(engine, ctx)),
        })
    }

    /// Pushes what the customer wrote or said; `timestamp` in seconds, non-decreasing.
    #[pyo3(signature = (text, timestamp=None))]
    fn push_customer(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        timestamp: Option<u64>,
    ) -> PyResult<TurnView> {
        self.push(py, tactful::Speaker::Customer, text, timestamp)
    }

    /// Pushes the agent's reply; it is reviewed against the adapted recommendation.
    #[pyo3(signature = (text, timestamp=None))]
    fn push_agent(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        timestamp: Option<u64>,
    ) -> PyResult<TurnView> {
        self.push(py, tactful::Speaker::Agent, text, timestamp)
    }

    /// Pushes a turn of either speaker (`"customer"` or `"agent"`).
    #[pyo3(signature = (speaker, text, timestamp=None))]
    fn push_turn(
        &self,
        py: Python<'_>,
        speaker: &str,
        text: &Bound<'_, PyAny>,
        timestamp: Option<u64>,
    ) -> PyResult<TurnView> {
        let speaker: tactful::Speaker = speaker.parse().py(py)?;
        self.push(py, speaker, text, timestamp)
    }

    /// Where the conversation stands, as a dict (see `ConversationState` in the Rust docs).
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = {
            let c = self
                .inner
                .lock()
                .map_err(|_| PyRuntimeError::new_err("the conversation was poisoned by a panic"))?;
            to_json(c.state())
        };
        json_to_py(py, &json)
    }

    /// Summaries of the most recent turns, oldest first, as dicts.
    fn recent_turns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = {
            let c = self
                .inner
                .lock()
                .map_err(|_| PyRuntimeError::new_err("the conversation was poisoned by a panic"))?;
            let turns: Vec<_> = c.recent_turns().collect();
            to_json(&turns)
        };
        json_to_py(py, &json)
    }
}

/// `Engine.review_reply` and friends (called from `engine.rs`).
pub fn review_reply(
    py: Python<'_>,
    engine: &tactful::Engine,
    customer: &Bound<'_, PyAny>,
    draft: &Bound<'_, PyAny>,
    ctx: tactful::Context,
) -> PyResult<ReplyReview> {
    let draft = text_arg(draft, "draft")?;
    if let Ok(a) = customer.cast::<Assessment>() {
        let a = Arc::clone(&a.get().inner);
        let r = py
            .detach(|| engine.review_reply_for(&a, &draft, &ctx))
            .py(py)?;
        return Ok(ReplyReview::new(r));
    }
    let customer = text_arg(customer, "customer_text")?;
    let r = py
        .detach(|| engine.review_reply(&customer, &draft, &ctx))
        .py(py)?;
    Ok(ReplyReview::new(r))
}

/// `Engine.empathy_mechanisms`.
pub fn empathy_mechanisms<'py>(
    py: Python<'py>,
    engine: &tactful::Engine,
    text: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = text_arg(text, "text")?;
    let m = py.detach(|| engine.empathy_mechanisms(&text)).py(py)?;
    json_to_py(py, &to_json(&m))
}
