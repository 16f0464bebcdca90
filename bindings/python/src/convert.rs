//! Python values → JSON values, and the `Context` every call takes.
//!
//! Contexts are parsed by the core (`Context::from_json`) so field names, ranges and error
//! messages are exactly those of Rust, C and the CLI.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::IntoPyResult;

/// Converts plain Python data (dict with str keys, list, tuple, str, int, float, bool, None).
pub fn to_value(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > 64 {
        return Err(PyValueError::new_err(
            "nested too deeply (more than 64 levels)",
        ));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: True is an int in Python.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::Number(v.into()));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::Number(v.into()));
        }
        return Err(PyValueError::new_err("integer out of range"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err("NaN and infinity are not allowed here"));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("dict keys must be str"))?
                .to_cow()?
                .into_owned();
            map.insert(key, to_value(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut items = Vec::new();
        for item in obj.try_iter()? {
            items.push(to_value(&item?, depth + 1)?);
        }
        return Ok(Value::Array(items));
    }
    Err(PyTypeError::new_err(format!(
        "expected dict, list, str, int, float, bool or None, not {}",
        type_name(obj)
    )))
}

/// The Python type name of `obj`, for messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// The `prior_contacts` argument: an `int`, but not a `bool` (`True` is an `int`
/// in Python, and `prior_contacts=True` is a mistake, not one prior contact).
pub struct Count(pub i64);

impl<'a, 'py> FromPyObject<'a, 'py> for Count {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.cast::<PyBool>().is_ok() {
            return Err(PyTypeError::new_err(
                "prior_contacts must be an int, not bool",
            ));
        }
        obj.extract::<i64>().map(Count)
    }
}

/// The keyword arguments every single-text call accepts, before validation.
#[derive(Default)]
pub struct ContextArgs<'py> {
    pub context: Option<Bound<'py, PyAny>>,
    pub channel: Option<String>,
    pub customer_name: Option<String>,
    pub prior_contacts: Option<Count>,
    pub past_feedback: Option<Bound<'py, PyAny>>,
    pub relationship: Option<String>,
    pub policy_conflict: Option<bool>,
    pub allowed_alternatives: Option<Vec<String>>,
    pub max_gesture: Option<String>,
}

impl ContextArgs<'_> {
    /// Builds the context: `context` (a mapping or JSON text) first, keywords override it.
    pub fn build(self, py: Python<'_>) -> PyResult<tactful::Context> {
        let mut map = match &self.context {
            None => Map::new(),
            Some(c) => match context_value(c)? {
                Value::Object(m) => m,
                Value::Null => Map::new(),
                _ => {
                    return Err(PyTypeError::new_err(
                        "context must be a dict, a JSON object string or None",
                    ))
                }
            },
        };
        let mut set = |k: &str, v: Value| {
            map.insert(k.to_string(), v);
        };
        if let Some(v) = self.channel {
            set("channel", Value::String(v));
        }
        if let Some(v) = self.customer_name {
            set("customer_name", Value::String(v));
        }
        if let Some(Count(v)) = self.prior_contacts {
            set("prior_contacts", Value::Number(v.into()));
        }
        if let Some(v) = &self.past_feedback {
            set("past_feedback", to_value(v, 0)?);
        }
        if let Some(v) = self.relationship {
            set("relationship", Value::String(v));
        }
        if let Some(v) = self.policy_conflict {
            set("policy_conflict", Value::Bool(v));
        }
        if let Some(v) = self.allowed_alternatives {
            set(
                "allowed_alternatives",
                Value::Array(v.into_iter().map(Value::String).collect()),
            );
        }
        if let Some(v) = self.max_gesture {
            set("max_gesture", Value::String(v));
        }
        if map.is_empty() {
            return Ok(tactful::Context::default());
        }
        tactful::Context::from_json(&Value::Object(map).to_string()).py(py)
    }
}

/// A context given as a dict or as JSON text, as a JSON value.
fn context_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(s) = obj.cast::<PyString>() {
        return serde_json::from_str(&s.to_cow()?)
            .map_err(|e| PyValueError::new_err(format!("context is not valid JSON: {e}")));
    }
    if obj.is_none() || obj.cast::<PyDict>().is_ok() {
        return to_value(obj, 0);
    }
    Err(PyTypeError::new_err(format!(
        "context must be a dict, a JSON object string or None, not {}",
        type_name(obj)
    )))
}

/// One row's context from a dict, JSON text or None, as the core's result (a bad row's
/// context becomes that row's error, never the whole batch's).
pub fn row_context(obj: &Bound<'_, PyAny>) -> PyResult<Result<tactful::Context, tactful::Error>> {
    if obj.is_none() {
        return Ok(Ok(tactful::Context::default()));
    }
    // pandas gives NaN for a missing cell.
    if let Ok(f) = obj.cast::<PyFloat>() {
        if f.value().is_nan() {
            return Ok(Ok(tactful::Context::default()));
        }
    }
    let json = if let Ok(s) = obj.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else if obj.cast::<PyDict>().is_ok() {
        to_value(obj, 0)?.to_string()
    } else {
        return Err(PyTypeError::new_err(format!(
            "each context must be a dict, a JSON object string or None, not {}",
            type_name(obj)
        )));
    };
    Ok(tactful::Context::from_json(&json))
}
