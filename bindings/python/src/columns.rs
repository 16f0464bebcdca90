//! Flat columns for pandas and Arrow, built in Rust so no Python object is made per row
//! (except for the string columns of the pandas path, which pandas needs anyway).

use std::collections::HashMap;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict, PyList, PyTuple};

use crate::arrow::{read_strings, Cell};
use crate::convert::ContextArgs;
use crate::engine::{context_list, Engine};

/// Rows per call into the core: bounds the memory held by full assessments at a time.
const CHUNK: usize = 16 * 1024;

/// Column names of the float64 columns, in output order.
const FLOATS: [&str; 6] = [
    "category_confidence",
    "emotion_confidence",
    "emotion_intensity",
    "sentiment",
    "escalation_risk",
    "churn_risk",
];

struct Bitmap {
    bytes: Vec<u8>,
    len: usize,
    unset: usize,
}

impl Bitmap {
    fn new(cap: usize) -> Self {
        Bitmap {
            bytes: Vec::with_capacity(cap / 8 + 1),
            len: 0,
            unset: 0,
        }
    }
    fn push(&mut self, bit: bool) {
        if self.len % 8 == 0 {
            self.bytes.push(0);
        }
        if bit {
            if let Some(last) = self.bytes.last_mut() {
                *last |= 1 << (self.len % 8);
            }
        } else {
            self.unset += 1;
        }
        self.len += 1;
    }
}

/// A dictionary-encoded label column: codes into `names`, −1 for a failed row.
struct Labels<T> {
    codes: Vec<T>,
    names: Vec<String>,
}

/// Everything `assess_frame` / `assess_arrow` return, column by column.
struct Columns {
    n: usize,
    valid: Bitmap,
    floats: [Vec<f64>; 6],
    category: Labels<i16>,
    category_index: HashMap<String, i16>,
    enums: [Labels<i8>; 6],
    opening_offsets: Vec<i64>,
    opening_data: Vec<u8>,
    flag_offsets: Vec<i32>,
    flag_codes: Vec<i8>,
    flag_names: Vec<String>,
    error_valid: Bitmap,
    error_offsets: Vec<i64>,
    error_data: Vec<u8>,
}

/// Column names of the int8 label columns, in output order.
const ENUMS: [&str; 6] = [
    "emotion", "urgency", "stance", "style", "approach", "empathy",
];

fn names<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|&v| f(v).to_string()).collect()
}

fn position<T: PartialEq>(all: &[T], v: &T) -> i8 {
    all.iter()
        .position(|x| x == v)
        .and_then(|p| i8::try_from(p).ok())
        .unwrap_or(-1)
}

impl Columns {
    fn new(engine: &tactful::Engine, cap: usize) -> Self {
        let cats: Vec<String> = engine
            .playbook()
            .categories
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let category_index = cats
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i16::try_from(i).unwrap_or(i16::MAX)))
            .collect();
        let label = |names: Vec<String>| Labels {
            codes: Vec::with_capacity(cap),
            names,
        };
        Columns {
            n: 0,
            valid: Bitmap::new(cap),
            floats: std::array::from_fn(|_| Vec::with_capacity(cap)),
            category: Labels {
                codes: Vec::with_capacity(cap),
                names: cats,
            },
            category_index,
            enums: [
                label(names(tactful::Emotion::ALL, |v| v.as_str())),
                label(names(tactful::Urgency::ALL, |v| v.as_str())),
                label(names(tactful::Stance::ALL, |v| v.as_str())),
                label(names(tactful::Style::ALL, |v| v.as_str())),
                label(names(tactful::Approach::ALL, |v| v.as_str())),
                label(names(tactful::Empathy::ALL, |v| v.as_str())),
            ],
            opening_offsets: {
                let mut v = Vec::with_capacity(cap + 1);
                v.push(0);
                v
            },
            opening_data: Vec::new(),
            flag_offsets: {
                let mut v = Vec::with_capacity(cap + 1);
                v.push(0);
                v
            },
            flag_codes: Vec::new(),
            flag_names: names(tactful::Flag::ALL, |v| v.as_str()),
            error_valid: Bitmap::new(cap),
            error_offsets: {
                let mut v = Vec::with_capacity(cap + 1);
                v.push(0);
                v
            },
            error_data: Vec::new(),
        }
    }

    /// Appends one row: an assessment, or a failed row with its error message.
    fn push<E: std::fmt::Display>(&mut self, r: Result<tactful::Assessment, E>) {
        self.n += 1;
        match r {
            Ok(a) => {
                let s = &a.situation;
                let rec = &a.recommendation;
                self.valid.push(true);
                let vals = [
                    s.category.confidence,
                    s.emotion.confidence,
                    s.emotion.intensity,
                    s.sentiment,
                    s.escalation_risk,
                    s.churn_risk,
                ];
                for (col, v) in self.floats.iter_mut().zip(vals) {
                    col.push(v);
                }
                let code = match self.category_index.get(&*s.category.label) {
                    Some(&c) => c,
                    None => {
                        // A label outside the playbook's list cannot happen today; keep it anyway.
                        let c = i16::try_from(self.category.names.len()).unwrap_or(i16::MAX);
                        self.category.names.push(s.category.label.to_string());
                        self.category_index.insert(s.category.label.to_string(), c);
                        c
                    }
                };
                self.category.codes.push(code);
                let codes = [
                    position(tactful::Emotion::ALL, &s.emotion.label),
                    position(tactful::Urgency::ALL, &s.urgency),
                    position(tactful::Stance::ALL, &s.stance),
                    position(tactful::Style::ALL, &s.style),
                    position(tactful::Approach::ALL, &rec.approach),
                    position(tactful::Empathy::ALL, &rec.empathy),
                ];
                for (col, c) in self.enums.iter_mut().zip(codes) {
                    col.codes.push(c);
                }
                self.opening_data.extend_from_slice(rec.opening.as_bytes());
                for f in &s.flags {
                    self.flag_codes.push(position(tactful::Flag::ALL, f));
                }
                self.error_valid.push(false);
            }
            Err(e) => {
                self.valid.push(false);
                for col in &mut self.floats {
                    col.push(f64::NAN);
                }
                self.category.codes.push(-1);
                for col in &mut self.enums {
                    col.codes.push(-1);
                }
                self.error_valid.push(true);
                self.error_data.extend_from_slice(e.to_string().as_bytes());
            }
        }
        self.opening_offsets.push(self.opening_data.len() as i64);
        self.flag_offsets
            .push(i32::try_from(self.flag_codes.len()).unwrap_or(i32::MAX));
        self.error_offsets.push(self.error_data.len() as i64);
    }
}

/// How each row gets its context.
enum Contexts {
    Shared(tactful::Context),
    PerRow(Vec<Result<tactful::Context, tactful::Error>>),
}

fn run(engine: &tactful::Engine, texts: &[Cell<'_>], contexts: &Contexts) -> Columns {
    let mut cols = Columns::new(engine, texts.len());
    for (k, chunk) in texts.chunks(CHUNK).enumerate() {
        // A missing (null/None/NaN) or unreadable text is not sent anywhere: its row gets
        // MISSING_TEXT or the reason it could not be read.
        let original = chunk;
        let chunk: Vec<&str> = chunk
            .iter()
            .map(|t| match t {
                Cell::Text(t) => t,
                Cell::Missing | Cell::Invalid(_) => "",
            })
            .collect();
        let results = match contexts {
            Contexts::Shared(ctx) => engine.assess_batch(&chunk, ctx),
            Contexts::PerRow(all) => {
                let ctxs = &all[k * CHUNK..k * CHUNK + chunk.len()];
                let items: Vec<(&str, tactful::Context)> = chunk
                    .iter()
                    .zip(ctxs)
                    .map(|(t, c)| (*t, c.clone().unwrap_or_default()))
                    .collect();
                let mut out = engine.assess_batch_with_contexts(&items);
                for (slot, c) in out.iter_mut().zip(ctxs) {
                    if let Err(e) = c {
                        *slot = Err(e.clone());
                    }
                }
                out
            }
        };
        for (r, text) in results.into_iter().zip(original) {
            match text {
                Cell::Text(_) => cols.push(r),
                Cell::Missing => {
                    cols.push(Err::<tactful::Assessment, _>(crate::engine::MISSING_TEXT))
                }
                Cell::Invalid(why) => cols.push(Err::<tactful::Assessment, _>(why)),
            }
        }
    }
    cols
}

fn le_bytes<T: Copy, const N: usize>(v: &[T], f: impl Fn(T) -> [u8; N]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * N);
    for &x in v {
        out.extend_from_slice(&f(x));
    }
    out
}

fn string_list<'py>(
    py: Python<'py>,
    offsets: &[i64],
    data: &[u8],
    valid: &Bitmap,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for i in 0..offsets.len().saturating_sub(1) {
        let set = valid
            .bytes
            .get(i / 8)
            .is_some_and(|b| b & (1 << (i % 8)) != 0);
        if set {
            let (a, b) = (offsets[i] as usize, offsets[i + 1] as usize);
            // Built from whole `String`s, so always valid UTF-8; lossy only to stay panic-free.
            list.append(String::from_utf8_lossy(&data[a..b]))?;
        } else {
            list.append(py.None())?;
        }
    }
    Ok(list)
}

/// Hands the columns to Python: numbers as little-endian bytes; strings as Arrow buffers
/// (`lists=False`) or Python lists (`lists=True`, for pandas without pyarrow).
fn to_python<'py>(py: Python<'py>, c: Columns, lists: bool) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("length", c.n)?;
    d.set_item(
        "validity",
        (c.valid.unset > 0).then(|| PyBytes::new(py, &c.valid.bytes)),
    )?;
    let floats = PyDict::new(py);
    for (name, col) in FLOATS.iter().zip(&c.floats) {
        floats.set_item(name, PyBytes::new(py, &le_bytes(col, f64::to_le_bytes)))?;
    }
    d.set_item("float64", floats)?;
    let labels = PyDict::new(py);
    labels.set_item(
        "category",
        (
            PyBytes::new(py, &le_bytes(&c.category.codes, i16::to_le_bytes)),
            "int16",
            &c.category.names,
        ),
    )?;
    for (name, col) in ENUMS.iter().zip(&c.enums) {
        labels.set_item(
            name,
            (
                PyBytes::new(py, &le_bytes(&col.codes, i8::to_le_bytes)),
                "int8",
                &col.names,
            ),
        )?;
    }
    d.set_item("labels", labels)?;
    if lists {
        let all_valid = Bitmap {
            bytes: c.valid.bytes.clone(),
            len: c.valid.len,
            unset: 0,
        };
        d.set_item(
            "opening",
            string_list(py, &c.opening_offsets, &c.opening_data, &all_valid)?,
        )?;
        d.set_item(
            "error",
            string_list(py, &c.error_offsets, &c.error_data, &c.error_valid)?,
        )?;
        let flags = PyList::empty(py);
        for i in 0..c.n {
            let set = c
                .valid
                .bytes
                .get(i / 8)
                .is_some_and(|b| b & (1 << (i % 8)) != 0);
            if set {
                let (a, b) = (c.flag_offsets[i] as usize, c.flag_offsets[i + 1] as usize);
                let row: Vec<&str> = c.flag_codes[a..b]
                    .iter()
                    .map(|&k| c.flag_names.get(k as usize).map_or("", |s| s.as_str()))
                    .collect();
                flags.append(PyTuple::new(py, row)?)?;
            } else {
                flags.append(py.None())?;
            }
        }
        d.set_item("flags", flags)?;
    } else {
        d.set_item(
            "opening",
            (
                PyBytes::new(py, &le_bytes(&c.opening_offsets, i64::to_le_bytes)),
                PyBytes::new(py, &c.opening_data),
            ),
        )?;
        d.set_item(
            "error",
            (
                (c.error_valid.unset > 0).then(|| PyBytes::new(py, &c.error_valid.bytes)),
                PyBytes::new(py, &le_bytes(&c.error_offsets, i64::to_le_bytes)),
                PyBytes::new(py, &c.error_data),
                c.error_valid.len - c.error_valid.unset,
            ),
        )?;
        d.set_item(
            "flags",
            (
                PyBytes::new(py, &le_bytes(&c.flag_offsets, i32::to_le_bytes)),
                PyBytes::new(py, &le_bytes(&c.flag_codes, i8::to_le_bytes)),
                &c.flag_names,
            ),
        )?;
    }
    Ok(d)
}

fn contexts_of(
    py: Python<'_>,
    context: Option<Bound<'_, PyAny>>,
    contexts: Option<&Bound<'_, PyAny>>,
    n: usize,
) -> PyResult<Contexts> {
    let shared = ContextArgs {
        context,
        ..ContextArgs::default()
    }
    .build(py)?;
    match contexts.filter(|c| !c.is_none()) {
        None => Ok(Contexts::Shared(shared)),
        Some(c) => Ok(Contexts::PerRow(context_list(c, n)?)),
    }
}

/// Columns for a sequence of texts (str, or None/NaN for a missing text).
#[pyfunction]
#[pyo3(signature = (engine, texts, context=None, contexts=None, lists=true))]
pub fn _columns_from_texts<'py>(
    py: Python<'py>,
    engine: &Engine,
    texts: &Bound<'py, PyAny>,
    context: Option<Bound<'py, PyAny>>,
    contexts: Option<&Bound<'py, PyAny>>,
    lists: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let mut owned = Vec::new();
    for (i, item) in texts.try_iter()?.enumerate() {
        let item = item?;
        owned.push(if crate::engine::is_missing(&item) {
            None
        } else {
            Some(crate::engine::text_arg(&item, &format!("texts[{i}]"))?)
        });
    }
    let ctxs = contexts_of(py, context, contexts, owned.len())?;
    let texts: Vec<Cell<'_>> = owned
        .iter()
        .map(|t| t.as_deref().map_or(Cell::Missing, Cell::Text))
        .collect();
    let e = &engine.engine;
    let cols = py.detach(|| crate::pool::install(|| run(e, &texts, &ctxs)));
    to_python(py, cols, lists)
}

/// Columns for Arrow string chunks given as `(schema_capsule, array_capsule)` pairs.
#[pyfunction]
#[pyo3(signature = (engine, chunks, context=None, contexts=None, lists=false))]
pub fn _columns_from_arrow<'py>(
    py: Python<'py>,
    engine: &Engine,
    chunks: Vec<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)>,
    context: Option<Bound<'py, PyAny>>,
    contexts: Option<&Bound<'py, PyAny>>,
    lists: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let mut texts = Vec::new();
    for (schema, array) in &chunks {
        read_strings(schema, array, &mut texts)?;
    }
    let ctxs = contexts_of(py, context, contexts, texts.len())?;
    let e = &engine.engine;
    // `chunks` (and with it the Arrow buffers `texts` borrows) lives until after this call.
    let cols = py.detach(|| crate::pool::install(|| run(e, &texts, &ctxs)));
    to_python(py, cols, lists)
}
