//! `tactful.Engine`: the core engine behind a frozen Python class.

use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::convert::{row_context, to_value, type_name, ContextArgs, Count};
use crate::errors::{missing_text_error, to_py_err, IntoPyResult};
use crate::results::{Assessment, Classification, Recommendation, Situation};

/// Where the models came from, kept so a pickled engine can be rebuilt in another process.
#[derive(Clone)]
enum ModelArg {
    Embedded,
    Bytes(Vec<u8>),
    Path(PathBuf),
}

/// The message of a row whose text is missing (`None`, NaN, `pandas.NA` or an Arrow null), in
/// the `error` column of `assess_frame` / `assess_arrow` and in `MissingTextError`.
pub const MISSING_TEXT: &str = "the text is missing (None, NaN or null)";

/// True for a missing value in a column of texts: `None`, a float NaN (pandas' missing value
/// in object columns, NumPy's too) or `pandas.NA` (string columns).
pub fn is_missing(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_none()
        || obj
            .cast::<pyo3::types::PyFloat>()
            .is_ok_and(|f| f.value().is_nan())
        || (!obj.is_instance_of::<PyString>() && obj.get_type().name().is_ok_and(|n| n == "NAType"))
}

/// A text argument: a `str`, anything else is a `TypeError`.
pub fn text_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<PyBackedStr> {
    match obj.cast::<PyString>() {
        Ok(s) => PyBackedStr::try_from(s.clone()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{what} must be str, not {}",
            type_name(obj)
        ))),
    }
}

/// Reads messages and recommends responses. Build one, share it between threads.
///
/// `Engine()` uses the embedded playbook and models. `playbook` may be a path (`str` or
/// `os.PathLike`) to a `.toml`/`.json` file, the TOML or JSON text itself, or a dict.
/// `model` may be a path or `bytes` of a model file. The engine is immutable and thread-safe;
/// calls release the GIL while they work.
#[pyclass(frozen, module = "tactful._tactful", name = "Engine")]
pub struct Engine {
    pub(crate) engine: tactful::Engine,
    /// The playbook as JSON when it is not the embedded one (for pickling).
    playbook_json: Option<String>,
    model: ModelArg,
    rules_only: bool,
    max_input_bytes: usize,
}

fn looks_like_text(s: &str) -> bool {
    let t = s.trim_start();
    s.contains('\n') || t.starts_with('{') || s.contains('=')
}

impl Engine {
    fn build(
        py: Python<'_>,
        playbook: Option<tactful::Playbook>,
        playbook_path: Option<PathBuf>,
        model: ModelArg,
        rules_only: bool,
        max_input_bytes: Option<usize>,
    ) -> PyResult<Engine> {
        let mut b = tactful::Engine::builder();
        if let Some(p) = playbook {
            b = b.playbook(p);
        }
        if let Some(p) = playbook_path {
            b = b.playbook_path(p);
        }
        b = match &model {
            ModelArg::Embedded => b,
            ModelArg::Bytes(bytes) => b.model_bytes(bytes.clone()),
            ModelArg::Path(p) => b.model_path(p),
        };
        if rules_only {
            b = b.rules_only(true);
        }
        if let Some(m) = max_input_bytes {
            b = b.max_input_bytes(m);
        }
        let engine = py.detach(move || b.build()).py(py)?;
        let custom = !matches!(
            tactful::Playbook::default_playbook(),
            Ok(d) if d == engine.playbook()
        );
        Ok(Engine {
            playbook_json: custom.then(|| engine.playbook().to_json()),
            max_input_bytes: engine.max_input_bytes(),
            engine,
            model,
            rules_only,
        })
    }
}

fn fspath(obj: &Bound<'_, PyAny>) -> PyResult<Option<PathBuf>> {
    if obj.hasattr("__fspath__")? {
        let p = obj.py().import("os")?.getattr("fspath")?.call1((obj,))?;
        return Ok(Some(PathBuf::from(p.extract::<String>()?)));
    }
    Ok(None)
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (playbook=None, *, model=None, rules_only=false, max_input_bytes=None))]
    fn new(
        py: Python<'_>,
        playbook: Option<&Bound<'_, PyAny>>,
        model: Option<&Bound<'_, PyAny>>,
        rules_only: bool,
        max_input_bytes: Option<usize>,
    ) -> PyResult<Self> {
        let (mut pb, mut pb_path) = (None, None);
        if let Some(p) = playbook.filter(|p| !p.is_none()) {
            if let Ok(s) = p.cast::<PyString>() {
                let s = s.to_cow()?;
                if looks_like_text(&s) {
                    pb = Some(tactful::Playbook::from_str_any(&s).py(py)?);
                } else {
                    pb_path = Some(PathBuf::from(&*s));
                }
            } else if p.cast::<PyDict>().is_ok() {
                let json = to_value(p, 0)?.to_string();
                pb = Some(tactful::Playbook::from_json_str(&json).py(py)?);
            } else if let Some(path) = fspath(p)? {
                pb_path = Some(path);
            } else {
                return Err(PyTypeError::new_err(format!(
                    "playbook must be a path, the playbook's TOML/JSON text or a dict, not {}",
                    type_name(p)
                )));
            }
        }
        let model = match model.filter(|m| !m.is_none()) {
            None => ModelArg::Embedded,
            Some(m) => {
                if let Ok(b) = m.cast::<PyBytes>() {
                    ModelArg::Bytes(b.as_bytes().to_vec())
                } else if let Ok(s) = m.cast::<PyString>() {
                    ModelArg::Path(PathBuf::from(&*s.to_cow()?))
                } else if let Some(path) = fspath(m)? {
                    ModelArg::Path(path)
                } else {
                    return Err(PyTypeError::new_err(format!(
                        "model must be a path or bytes, not {}",
                        type_name(m)
                    )));
                }
            }
        };
        Engine::build(py, pb, pb_path, model, rules_only, max_input_bytes)
    }

    /// Rebuilds a pickled engine (used by `__reduce__`).
    #[staticmethod]
    fn _from_state(
        py: Python<'_>,
        playbook_json: Option<String>,
        model: Option<&Bound<'_, PyAny>>,
        rules_only: bool,
        max_input_bytes: usize,
    ) -> PyResult<Self> {
        let pb = match playbook_json {
            Some(j) => Some(tactful::Playbook::from_json_str(&j).py(py)?),
            None => None,
        };
        let model = match model {
            None => ModelArg::Embedded,
            Some(m) if m.is_none() => ModelArg::Embedded,
            Some(m) => match m.cast::<PyBytes>() {
                Ok(b) => ModelArg::Bytes(b.as_bytes().to_vec()),
                Err(_) => ModelArg::Path(PathBuf::from(m.extract::<String>()?)),
            },
        };
        Engine::build(py, pb, None, model, rules_only, Some(max_input_bytes))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        let model: Bound<'py, PyAny> = match &me.model {
            ModelArg::Embedded => py.None().into_bound(py),
            ModelArg::Bytes(b) => PyBytes::new(py, b).into_any(),
            ModelArg::Path(p) => PyString::new(py, &p.to_string_lossy()).into_any(),
        };
        let ctor = slf.get_type().getattr("_from_state")?;
        let args = (
            me.playbook_json.clone(),
            model,
            me.rules_only,
            me.max_input_bytes,
        )
            .into_pyobject(py)?;
        PyTuple::new(py, [ctor.into_any(), args.into_any()])
    }

    fn __repr__(&self) -> String {
        format!(
            "Engine(categories={}, models={}, max_input_bytes={})",
            self.engine.playbook().categories.len(),
            self.engine.has_models(),
            self.engine.max_input_bytes()
        )
    }

    /// True when trained models are loaded (otherwise the rules work alone).
    #[getter]
    fn has_models(&self) -> bool {
        self.engine.has_models()
    }

    /// The largest text accepted, in bytes.
    #[getter]
    fn max_input_bytes(&self) -> usize {
        self.engine.max_input_bytes()
    }

    /// The category names of this engine's playbook, in playbook order.
    #[getter]
    fn categories(&self) -> Vec<String> {
        self.engine
            .playbook()
            .categories
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// The playbook as TOML text (edit it and pass it back as `Engine(playbook=...)`).
    fn playbook_toml(&self) -> String {
        self.engine.playbook().to_toml()
    }

    /// The playbook as JSON text.
    fn playbook_json(&self) -> String {
        self.engine.playbook().to_json()
    }

    /// What situation this is and how to respond.
    ///
    /// Context keywords override the fields of `context` (a dict or JSON text).
    /// Raises `TypeError` for a non-str text, `EmptyInputError`, `InputTooLargeError`,
    /// `ContextError`.
    #[pyo3(signature = (text, *, context=None, channel=None, customer_name=None, prior_contacts=None,
        past_feedback=None, relationship=None, policy_conflict=None, allowed_alternatives=None,
        max_gesture=None))]
    #[allow(clippy::too_many_arguments)]
    fn assess<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        context: Option<Bound<'py, PyAny>>,
        channel: Option<String>,
        customer_name: Option<String>,
        prior_contacts: Option<Count>,
        past_feedback: Option<Bound<'py, PyAny>>,
        relationship: Option<String>,
        policy_conflict: Option<bool>,
        allowed_alternatives: Option<Vec<String>>,
        max_gesture: Option<String>,
    ) -> PyResult<Assessment> {
        let text = text_arg(text, "text")?;
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
        let engine = &self.engine;
        let a = py.detach(|| engine.assess(&text, &ctx)).py(py)?;
        Ok(Assessment::new(a))
    }

    /// The situation alone, with its evidence (same arguments as `assess`).
    #[pyo3(signature = (text, *, context=None, channel=None, customer_name=None, prior_contacts=None,
        past_feedback=None, relationship=None, policy_conflict=None, allowed_alternatives=None,
        max_gesture=None))]
    #[allow(clippy::too_many_arguments)]
    fn classify<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        context: Option<Bound<'py, PyAny>>,
        channel: Option<String>,
        customer_name: Option<String>,
        prior_contacts: Option<Count>,
        past_feedback: Option<Bound<'py, PyAny>>,
        relationship: Option<String>,
        policy_conflict: Option<bool>,
        allowed_alternatives: Option<Vec<String>>,
        max_gesture: Option<String>,
    ) -> PyResult<Classification> {
        let text = text_arg(text, "text")?;
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
        let engine = &self.engine;
        let c = py.detach(|| engine.classify(&text, &ctx)).py(py)?;
        Ok(Classification::new(c))
    }

    /// The recommendation for a situation (e.g. one from `classify`), in a context.
    #[pyo3(signature = (situation, *, context=None, channel=None, customer_name=None, prior_contacts=None,
        past_feedback=None, relationship=None, policy_conflict=None, allowed_alternatives=None,
        max_gesture=None))]
    #[allow(clippy::too_many_arguments)]
    fn recommend<'py>(
        &self,
        py: Python<'py>,
        situation: &Bound<'py, PyAny>,
        context: Option<Bound<'py, PyAny>>,
        channel: Option<String>,
        customer_name: Option<String>,
        prior_contacts: Option<Count>,
        past_feedback: Option<Bound<'py, PyAny>>,
        relationship: Option<String>,
        policy_conflict: Option<bool>,
        allowed_alternatives: Option<Vec<String>>,
        max_gesture: Option<String>,
    ) -> PyResult<Recommendation> {
        let situation = situation.cast::<Situation>().map_err(|_| {
            PyTypeError::new_err(format!(
                "situation must be a tactful.Situation, not {}",
                type_name(situation)
            ))
        })?;
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
        let r = self.engine.recommend(situation.get().get(), &ctx).py(py)?;
        Ok(Recommendation::own(r))
    }

    /// Reviews an agent's draft reply against the customer's message (a str, or an
    /// `Assessment` of it) in a context: a score 0..100, findings and suggestions.
    #[pyo3(signature = (customer, draft, *, context=None, channel=None, customer_name=None,
        prior_contacts=None, past_feedback=None, relationship=None, policy_conflict=None,
        allowed_alternatives=None, max_gesture=None))]
    #[allow(clippy::too_many_arguments)]
    fn review_reply<'py>(
        &self,
        py: Python<'py>,
        customer: &Bound<'py, PyAny>,
        draft: &Bound<'py, PyAny>,
        context: Option<Bound<'py, PyAny>>,
        channel: Option<String>,
        customer_name: Option<String>,
        prior_contacts: Option<Count>,
        past_feedback: Option<Bound<'py, PyAny>>,
        relationship: Option<String>,
        policy_conflict: Option<bool>,
        allowed_alternatives: Option<Vec<String>>,
        max_gesture: Option<String>,
    ) -> PyResult<crate::review::ReplyReview> {
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
        crate::review::review_reply(py, &self.engine, customer, draft, ctx)
    }

    /// The three empathy mechanisms of a text alone (levels 0..2 with the spans behind them).
    fn empathy_mechanisms<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::review::empathy_mechanisms(py, &self.engine, text)
    }

    /// Assesses many texts in parallel with the GIL released.
    ///
    /// `contexts` is None, one context (dict or JSON text) for every text, or a sequence of
    /// contexts (dict, JSON text or None) as long as `texts`. With `errors="raise"` (default)
    /// the first failed item raises its exception (with a note naming the index) after the
    /// whole batch ran; with `errors="return"` failed items are exception instances in place.
    #[pyo3(signature = (texts, contexts=None, *, errors="raise"))]
    fn assess_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        contexts: Option<&Bound<'py, PyAny>>,
        errors: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let raise = match errors {
            "raise" => true,
            "return" => false,
            other => {
                return Err(PyValueError::new_err(format!(
                    "errors must be \"raise\" or \"return\", not {other:?}"
                )))
            }
        };
        let given = text_list(texts)?;
        // Missing texts are not assessed: their slots get a MissingTextError below.
        let texts: Vec<&str> = given.iter().map(|t| t.as_deref().unwrap_or("")).collect();
        let engine = &self.engine;
        let results = match contexts.filter(|c| !c.is_none()) {
            None => {
                let ctx = tactful::Context::default();
                py.detach(|| crate::pool::install(|| engine.assess_batch(&texts, &ctx)))
            }
            Some(c) if c.cast::<PyDict>().is_ok() || c.cast::<PyString>().is_ok() => {
                let ctx = ContextArgs {
                    context: Some(c.clone()),
                    ..ContextArgs::default()
                }
                .build(py)?;
                py.detach(|| crate::pool::install(|| engine.assess_batch(&texts, &ctx)))
            }
            Some(c) => {
                let ctxs = context_list(c, texts.len())?;
                let items: Vec<(&str, tactful::Context)> = texts
                    .iter()
                    .zip(&ctxs)
                    .map(|(t, c)| (*t, c.clone().unwrap_or_default()))
                    .collect();
                let mut out = py
                    .detach(|| crate::pool::install(|| engine.assess_batch_with_contexts(&items)));
                for (slot, c) in out.iter_mut().zip(ctxs) {
                    if let Err(e) = c {
                        *slot = Err(e);
                    }
                }
                out
            }
        };
        let list = PyList::empty(py);
        for (i, (r, text)) in results.into_iter().zip(&given).enumerate() {
            let failed = match (r, text) {
                (_, None) => missing_text_error(py, format!("texts[{i}]: {MISSING_TEXT}")),
                (Ok(a), Some(_)) => {
                    list.append(Assessment::new(a))?;
                    continue;
                }
                (Err(e), Some(_)) => to_py_err(py, &e),
            };
            if !raise {
                list.append(failed.into_value(py))?;
                continue;
            }
            let value = failed.value(py);
            value.setattr("index", i)?;
            // `add_note` exists on Python 3.11+; older versions still get `.index`.
            if value.hasattr("add_note")? {
                value.call_method1("add_note", (format!("in assess_batch: item {i}"),))?;
            }
            return Err(failed);
        }
        Ok(list)
    }
}

/// The texts of a batch: any iterable of `str` (or missing values, see [`is_missing`]) except
/// a single `str`/`bytes`.
pub fn text_list(texts: &Bound<'_, PyAny>) -> PyResult<Vec<Option<PyBackedStr>>> {
    if texts.cast::<PyString>().is_ok() || texts.cast::<PyBytes>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "texts must be a sequence of str, not a single {}",
            type_name(texts)
        )));
    }
    let mut out = Vec::with_capacity(texts.len().unwrap_or(0));
    for (i, item) in texts.try_iter()?.enumerate() {
        let item = item?;
        out.push(if is_missing(&item) {
            None
        } else {
            Some(text_arg(&item, &format!("texts[{i}]"))?)
        });
    }
    Ok(out)
}

/// Per-item contexts: a sequence of dict / JSON text / None with exactly `n` items.
pub fn context_list(
    contexts: &Bound<'_, PyAny>,
    n: usize,
) -> PyResult<Vec<Result<tactful::Context, tactful::Error>>> {
    let mut out = Vec::with_capacity(n);
    for item in contexts.try_iter()? {
        out.push(row_context(&item?)?);
    }
    if out.len() != n {
        return Err(PyValueError::new_err(format!(
            "contexts has {} items but there are {n} texts",
            out.len()
        )));
    }
    Ok(out)
}
