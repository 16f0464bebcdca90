//! Immutable result objects: thin views over the core's `Assessment`, shared through `Arc`
//! so attribute access converts only what is read.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

static JSON_LOADS: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

/// `json.loads(text)`: `to_dict()` parses the core's own JSON, so the dict has exactly the
/// documented shape and key order.
pub fn json_to_py<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let loads = JSON_LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((text,))
}

pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Plain structs of strings, numbers and string-keyed maps always serialize.
    serde_json::to_string(v).unwrap_or_default()
}

fn scores_dict<'py, L: AsRef<str>>(
    py: Python<'py>,
    scores: &tactful::Scores<L>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (label, p) in scores.iter() {
        d.set_item(label.as_ref(), p)?;
    }
    Ok(d)
}

/// Where a situation view reads from.
#[derive(Clone)]
enum SitSrc {
    Assessment(Arc<tactful::Assessment>),
    Classification(Arc<tactful::Classification>),
}

impl SitSrc {
    fn get(&self) -> &tactful::Situation {
        match self {
            SitSrc::Assessment(a) => &a.situation,
            SitSrc::Classification(c) => &c.situation,
        }
    }
}

/// Where a recommendation view reads from.
#[derive(Clone)]
enum RecSrc {
    Assessment(Arc<tactful::Assessment>),
    Own(Arc<tactful::Recommendation>),
}

impl RecSrc {
    fn get(&self) -> &tactful::Recommendation {
        match self {
            RecSrc::Assessment(a) => &a.recommendation,
            RecSrc::Own(r) => r,
        }
    }
}

/// What situation this is and how to respond (the result of `Engine.assess`).
#[pyclass(frozen, module = "tactful._tactful", name = "Assessment")]
pub struct Assessment {
    pub(crate) inner: Arc<tactful::Assessment>,
}

impl Assessment {
    pub fn new(a: tactful::Assessment) -> Self {
        Assessment { inner: Arc::new(a) }
    }
}

#[pymethods]
impl Assessment {
    /// Equal when the underlying results are equal.
    fn __eq__(&self, other: &Bound<'_, Assessment>) -> bool {
        let o = other.get();
        *self.inner == *o.inner
    }
    /// What situation this is.
    #[getter]
    fn situation(&self) -> Situation {
        Situation {
            src: SitSrc::Assessment(Arc::clone(&self.inner)),
        }
    }
    /// How the agent should respond.
    #[getter]
    fn recommendation(&self) -> Recommendation {
        Recommendation {
            src: RecSrc::Assessment(Arc::clone(&self.inner)),
        }
    }
    /// Spans of the input behind the decisions.
    #[getter]
    fn evidence(&self) -> Vec<Evidence> {
        evidence_list(&self.inner.evidence)
    }
    /// An assessment from its JSON text (the documented shape), e.g. one a supervisor edited;
    /// pass it to `Engine.review_reply`.
    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Assessment> {
        serde_json::from_str::<tactful::Assessment>(json)
            .map(Assessment::new)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("not an Assessment: {e}")))
    }
    /// An assessment from a dict of the documented shape (see `from_json`).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Assessment> {
        let value = crate::convert::to_value(data, 0)?;
        serde_json::from_value::<tactful::Assessment>(value)
            .map(Assessment::new)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("not an Assessment: {e}")))
    }
    /// The assessment as a dict of plain Python values (the documented JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.to_json())
    }
    /// The assessment as compact JSON (the documented shape).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }
    fn __repr__(&self) -> String {
        let s = &self.inner.situation;
        format!(
            "Assessment(category={:?}, emotion={:?}, urgency={:?}, approach={:?}, empathy={:?})",
            &*s.category.label,
            s.emotion.label.as_str(),
            s.urgency.as_str(),
            self.inner.recommendation.approach.as_str(),
            self.inner.recommendation.empathy.as_str()
        )
    }
}

/// The classifier's output without a recommendation (the result of `Engine.classify`).
#[pyclass(frozen, module = "tactful._tactful", name = "Classification")]
pub struct Classification {
    pub(crate) inner: Arc<tactful::Classification>,
}

impl Classification {
    pub fn new(c: tactful::Classification) -> Self {
        Classification { inner: Arc::new(c) }
    }
}

#[pymethods]
impl Classification {
    /// Equal when the underlying results are equal.
    fn __eq__(&self, other: &Bound<'_, Classification>) -> bool {
        let o = other.get();
        *self.inner == *o.inner
    }
    /// What situation this is.
    #[getter]
    fn situation(&self) -> Situation {
        Situation {
            src: SitSrc::Classification(Arc::clone(&self.inner)),
        }
    }
    /// Spans of the input behind the decisions.
    #[getter]
    fn evidence(&self) -> Vec<Evidence> {
        evidence_list(&self.inner.evidence)
    }
    /// The classification as a dict of plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&*self.inner))
    }
    /// The classification as compact JSON.
    fn to_json(&self) -> String {
        to_json(&*self.inner)
    }
    fn __repr__(&self) -> String {
        format!("Classification({})", situation_repr(&self.inner.situation))
    }
}

fn situation_repr(s: &tactful::Situation) -> String {
    format!(
        "category={:?}, emotion={:?}, urgency={:?}, stance={:?}",
        &*s.category.label,
        s.emotion.label.as_str(),
        s.urgency.as_str(),
        s.stance.as_str()
    )
}

/// What situation this is: category, emotion, sentiment, urgency, stance, style, risks, flags.
#[pyclass(frozen, module = "tactful._tactful", name = "Situation")]
pub struct Situation {
    src: SitSrc,
}

impl Situation {
    pub(crate) fn get(&self) -> &tactful::Situation {
        self.src.get()
    }
}

#[pymethods]
impl Situation {
    /// Equal when the underlying results are equal.
    fn __eq__(&self, other: &Bound<'_, Situation>) -> bool {
        let o = other.get();
        self.get() == o.get()
    }
    /// The issue category with its probabilities.
    #[getter]
    fn category(&self) -> CategoryResult {
        CategoryResult {
            src: self.src.clone(),
        }
    }
    /// The customer's emotion with its intensity and probabilities.
    #[getter]
    fn emotion(&self) -> EmotionResult {
        EmotionResult {
            src: self.src.clone(),
        }
    }
    /// Overall valence, -1 (very negative) … 1 (very positive).
    #[getter]
    fn sentiment(&self) -> f64 {
        self.get().sentiment
    }
    /// How fast this needs action: `critical`, `high`, `normal` or `low`.
    #[getter]
    fn urgency(&self) -> &'static str {
        self.get().urgency.as_str()
    }
    /// What the customer wants, e.g. `venting` or `seeking_resolution`.
    #[getter]
    fn stance(&self) -> &'static str {
        self.get().stance.as_str()
    }
    /// How the customer communicates: `data_driven`, `experience_driven` or `balanced`.
    #[getter]
    fn style(&self) -> &'static str {
        self.get().style.as_str()
    }
    /// Likelihood the contact escalates, 0..1.
    #[getter]
    fn escalation_risk(&self) -> f64 {
        self.get().escalation_risk
    }
    /// Likelihood the customer leaves, 0..1.
    #[getter]
    fn churn_risk(&self) -> f64 {
        self.get().churn_risk
    }
    /// Facts that change how to respond, e.g. `money_at_risk`, in code order.
    #[getter]
    fn flags(&self) -> Vec<&'static str> {
        self.get().flags.iter().map(|f| f.as_str()).collect()
    }
    /// True when `flag` (e.g. `"repeat_contact"`) is set.
    fn has(&self, flag: &Bound<'_, PyAny>) -> PyResult<bool> {
        let name: String = flag
            .extract()
            .map_err(|_| pyo3::exceptions::PyTypeError::new_err("flag must be str"))?;
        let flag: tactful::Flag = name
            .parse()
            .map_err(|e: tactful::Error| crate::errors::to_py_err(flag.py(), &e))?;
        Ok(self.get().has(flag))
    }
    /// The situation as a dict of plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(self.get()))
    }
    /// The situation as compact JSON.
    fn to_json(&self) -> String {
        to_json(self.get())
    }
    fn __repr__(&self) -> String {
        format!("Situation({})", situation_repr(self.get()))
    }
}

/// The issue category: a playbook label with its confidence and every category's probability.
#[pyclass(frozen, module = "tactful._tactful", name = "CategoryResult")]
pub struct CategoryResult {
    src: SitSrc,
}

#[pymethods]
impl CategoryResult {
    /// The chosen category (`other` when the classifier abstains).
    #[getter]
    fn label(&self) -> &str {
        &self.src.get().category.label
    }
    /// Probability of the chosen category, 0..1.
    #[getter]
    fn confidence(&self) -> f64 {
        self.src.get().category.confidence
    }
    /// Probability of every category of the playbook, in playbook order.
    #[getter]
    fn scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = &self.src.get().category.scores;
        let d = PyDict::new(py);
        for (label, p) in s.iter() {
            d.set_item(&**label, p)?;
        }
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let c = &self.src.get().category;
        format!(
            "CategoryResult(label={:?}, confidence={:.3})",
            &*c.label, c.confidence
        )
    }
}

/// The customer's emotion with its strength.
#[pyclass(frozen, module = "tactful._tactful", name = "EmotionResult")]
pub struct EmotionResult {
    src: SitSrc,
}

#[pymethods]
impl EmotionResult {
    /// The dominant emotion, e.g. `anger`.
    #[getter]
    fn label(&self) -> &'static str {
        self.src.get().emotion.label.as_str()
    }
    /// Probability of the dominant emotion, 0..1.
    #[getter]
    fn confidence(&self) -> f64 {
        self.src.get().emotion.confidence
    }
    /// How strongly it is expressed, 0..1.
    #[getter]
    fn intensity(&self) -> f64 {
        self.src.get().emotion.intensity
    }
    /// Probability of each of the seven emotions.
    #[getter]
    fn scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        scores_dict(py, &self.src.get().emotion.scores)
    }
    fn __repr__(&self) -> String {
        let e = &self.src.get().emotion;
        format!(
            "EmotionResult(label={:?}, confidence={:.3}, intensity={:.3})",
            e.label.as_str(),
            e.confidence,
            e.intensity
        )
    }
}

/// How the agent should respond.
#[pyclass(frozen, module = "tactful._tactful", name = "Recommendation")]
pub struct Recommendation {
    src: RecSrc,
}

impl Recommendation {
    pub fn own(r: tactful::Recommendation) -> Self {
        Recommendation {
            src: RecSrc::Own(Arc::new(r)),
        }
    }
}

fn strings<'py>(py: Python<'py>, v: &[String]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, v)
}

#[pymethods]
impl Recommendation {
    /// Equal when the underlying results are equal.
    fn __eq__(&self, other: &Bound<'_, Recommendation>) -> bool {
        let o = other.get();
        self.src.get() == o.src.get()
    }
    /// What to lead with, e.g. `resolve_first` or `listen_and_validate`.
    #[getter]
    fn approach(&self) -> &'static str {
        self.src.get().approach.as_str()
    }
    /// How much empathy goes up front: `none`, `brief` or `full`.
    #[getter]
    fn empathy(&self) -> &'static str {
        self.src.get().empathy.as_str()
    }
    /// Tone words, e.g. `calm`, `direct`.
    #[getter]
    fn tone<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        strings(py, &self.src.get().tone)
    }
    /// A suggested first line for the agent.
    #[getter]
    fn opening(&self) -> &str {
        &self.src.get().opening
    }
    /// What to do, in order.
    #[getter]
    fn steps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        strings(py, &self.src.get().steps)
    }
    /// What not to say or do.
    #[getter]
    fn avoid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        strings(py, &self.src.get().avoid)
    }
    /// Advice for the channel.
    #[getter]
    fn channel_tips<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        strings(py, &self.src.get().channel_tips)
    }
    /// Why, in plain words.
    #[getter]
    fn rationale<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        strings(py, &self.src.get().rationale)
    }
    /// The recommendation as a dict of plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(self.src.get()))
    }
    /// The recommendation as compact JSON.
    fn to_json(&self) -> String {
        to_json(self.src.get())
    }
    fn __repr__(&self) -> String {
        let r = self.src.get();
        format!(
            "Recommendation(approach={:?}, empathy={:?}, opening={:?})",
            r.approach.as_str(),
            r.empathy.as_str(),
            r.opening
        )
    }
}

/// A span of the input that supports a decision (byte offsets into the UTF-8 text).
#[pyclass(frozen, module = "tactful._tactful", name = "Evidence")]
pub struct Evidence {
    inner: tactful::Evidence,
}

fn evidence_list(ev: &[tactful::Evidence]) -> Vec<Evidence> {
    ev.iter().map(|e| Evidence { inner: e.clone() }).collect()
}

#[pymethods]
impl Evidence {
    /// Equal when the underlying results are equal.
    fn __eq__(&self, other: &Bound<'_, Evidence>) -> bool {
        let o = other.get();
        self.inner == o.inner
    }
    /// What the span signals, e.g. `negation`, `money` or `fraud_security_cue` (the names of
    /// the core's `EvidenceSignal`).
    #[getter]
    fn signal(&self) -> &str {
        self.inner.signal.as_str()
    }
    /// Byte offset of the span's first byte in the UTF-8 encoded text.
    #[getter]
    fn start(&self) -> usize {
        self.inner.start
    }
    /// Byte offset one past the span's last byte in the UTF-8 encoded text.
    #[getter]
    fn end(&self) -> usize {
        self.inner.end
    }
    /// The span's text.
    #[getter]
    fn text(&self) -> &str {
        &self.inner.text
    }
    /// The span as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_json(&self.inner))
    }
    fn __repr__(&self) -> String {
        format!(
            "Evidence(signal={:?}, start={}, end={}, text={:?})",
            self.inner.signal.as_str(),
            self.inner.start,
            self.inner.end,
            self.inner.text
        )
    }
}
