//! The one place where `tactful::Error` becomes a Python exception.
//!
//! The classes live in `tactful/_errors.py` (so they can derive from two builtins, e.g.
//! `PlaybookError(TactfulError, ValueError)`, and carry docstrings); `_errors._from_rust`
//! picks the class from the error's stable `kind()` and sets `.code` from `Error::code()`.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Converts a core error into the matching `tactful` exception.
pub fn to_py_err(py: Python<'_>, err: &tactful::Error) -> PyErr {
    match build(py, err) {
        Ok(e) => e,
        // Only reachable if the Python half of the package is broken; still raise something clear.
        Err(e) => PyRuntimeError::new_err(format!("{err} (while raising it: {e})")),
    }
}

/// `MissingTextError` (kind `missing_text`): a batch item or frame row whose text is missing
/// (None, NaN, pandas.NA). The engine never sees it, so it has no Rust code (`.code` is 0).
pub fn missing_text_error(py: Python<'_>, message: String) -> PyErr {
    let built = factory(py).and_then(|f| {
        f.bind(py)
            .call1(("missing_text", 0, &message, PyDict::new(py)))
    });
    match built {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => PyRuntimeError::new_err(format!("{message} (while raising it: {e})")),
    }
}

fn factory(py: Python<'_>) -> PyResult<&Py<PyAny>> {
    FACTORY.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py
            .import("tactful._errors")?
            .getattr("_from_rust")?
            .unbind())
    })
}

fn build(py: Python<'_>, err: &tactful::Error) -> PyResult<PyErr> {
    let factory = factory(py)?;
    let details = PyDict::new(py);
    match err {
        tactful::Error::InputTooLarge { len, max } => {
            details.set_item("length", len)?;
            details.set_item("limit", max)?;
        }
        tactful::Error::InvalidPlaybook {
            field,
            line,
            column,
            ..
        } => {
            details.set_item("field", field)?;
            details.set_item("line", line)?;
            details.set_item("column", column)?;
        }
        tactful::Error::InvalidContext { field, .. } => {
            details.set_item("field", field)?;
        }
        tactful::Error::Io { path, .. } => {
            details.set_item("path", path)?;
        }
        tactful::Error::UnknownValue { what, value, .. } => {
            details.set_item("field", what)?;
            details.set_item("value", value)?;
        }
        _ => {}
    }
    let exc = factory
        .bind(py)
        .call1((err.kind(), err.code(), err.to_string(), details))?;
    Ok(PyErr::from_value(exc))
}

/// Shorthand: `result.map_err(|e| py_err(py, e))`.
pub trait IntoPyResult<T> {
    /// Maps the core error into its Python exception.
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, tactful::Error> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, &e))
    }
}
