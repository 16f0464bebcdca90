//! Flat result columns for pandas and Arrow, built in Rust.
//!
//! The rows are cut into batches; each batch is assessed by one worker thread of the pool,
//! which writes its rows straight into the batch's pre-sized column buffers (dictionary codes
//! for the labels and for the opening texts, plain buffers for the numbers, offsets + bytes for
//! strings, validity bitmaps for failed rows) and drops each assessment as soon as it is
//! written. Nothing of that runs with the GIL held. The batches then go to pyarrow as Arrow
//! record batches through the C data interface, without a copy ([`crate::export`]), or to the
//! pandas path of `assess_frame` as column bytes and lists.

use std::collections::HashMap;
use std::ffi::c_void;
use std::fmt;
use std::io::Write as _;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict, PyList, PyString, PyTuple};
use rayon::prelude::*;

use crate::arrow::{read_strings, Cell};
use crate::convert::ContextArgs;
use crate::engine::{context_list, Engine, MISSING_TEXT};
use crate::export::{record_batch_capsules, Field, Node, Owner};

/// Rows per batch at most: bounds the size of one Arrow chunk.
const MAX_BATCH: usize = 16 * 1024;
/// Rows per batch at least: smaller batches cost more in hand-over than they gain.
const MIN_BATCH: usize = 256;

/// Column names of the float64 columns, in output order.
const FLOATS: [&str; 6] = [
    "category_confidence",
    "emotion_confidence",
    "emotion_intensity",
    "sentiment",
    "escalation_risk",
    "churn_risk",
];

/// Column names of the int8 label columns, in output order.
const ENUMS: [&str; 6] = [
    "emotion", "urgency", "stance", "style", "approach", "empathy",
];

/// Strings as Arrow `large_string` buffers: `len + 1` offsets and the bytes.
struct Strings {
    offsets: Vec<i64>,
    data: Vec<u8>,
}

impl Strings {
    fn with_capacity(n: usize) -> Strings {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        Strings {
            offsets,
            data: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Closes the current string (its bytes were appended to `data`).
    fn end(&mut self) {
        self.offsets.push(self.data.len() as i64);
    }

    fn get(&self, i: usize) -> &[u8] {
        &self.data[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    fn node(&self) -> Node {
        Node::new(
            self.len(),
            0,
            vec![
                std::ptr::null(),
                self.offsets.as_ptr().cast(),
                self.data.as_ptr().cast(),
            ],
        )
    }
}

/// Label names as an Arrow `string` array (32-bit offsets): the dictionary of a label column.
struct Dict {
    offsets: Vec<i32>,
    data: Vec<u8>,
}

impl Dict {
    fn node(&self) -> Node {
        Node::new(
            self.offsets.len() - 1,
            0,
            vec![
                std::ptr::null(),
                self.offsets.as_ptr().cast(),
                self.data.as_ptr().cast(),
            ],
        )
    }
}

/// The label vocabularies of one call, shared by every batch (they are the dictionaries).
struct Vocab {
    category: Vec<String>,
    category_index: HashMap<String, i16>,
    enums: [Vec<&'static str>; 6],
    flags: Vec<&'static str>,
    /// The same names as Arrow string arrays (dictionary values).
    category_dict: Dict,
    enum_dicts: [Dict; 6],
    flag_dict: Dict,
}

fn dict_of<S: AsRef<str>>(names: &[S]) -> Dict {
    let mut d = Dict {
        offsets: Vec::with_capacity(names.len() + 1),
        data: Vec::new(),
    };
    d.offsets.push(0);
    for name in names {
        d.data.extend_from_slice(name.as_ref().as_bytes());
        // Label names are short; a vocabulary over 2 GiB cannot be made by a playbook.
        d.offsets
            .push(i32::try_from(d.data.len()).unwrap_or(i32::MAX));
    }
    d
}

fn names<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| f(v)).collect()
}

fn position<T: PartialEq>(all: &[T], v: &T) -> i8 {
    all.iter()
        .position(|x| x == v)
        .and_then(|p| i8::try_from(p).ok())
        .unwrap_or(-1)
}

impl Vocab {
    fn new(engine: &tactful::Engine) -> Vocab {
        let category: Vec<String> = engine
            .playbook()
            .categories
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let category_index = category
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.clone(), i16::try_from(i).ok()?)))
            .collect();
        let enums = [
            names(tactful::Emotion::ALL, |v| v.as_str()),
            names(tactful::Urgency::ALL, |v| v.as_str()),
            names(tactful::Stance::ALL, |v| v.as_str()),
            names(tactful::Style::ALL, |v| v.as_str()),
            names(tactful::Approach::ALL, |v| v.as_str()),
            names(tactful::Empathy::ALL, |v| v.as_str()),
        ];
        let flags = names(tactful::Flag::ALL, |v| v.as_str());
        Vocab {
            category_dict: dict_of(&category),
            enum_dicts: std::array::from_fn(|i| dict_of(&enums[i])),
            flag_dict: dict_of(&flags),
            category,
            category_index,
            enums,
            flags,
        }
    }
}

/// The columns of one batch of rows, written by one worker.
struct Batch {
    n: usize,
    /// Validity of the result columns: bit set for an assessed row.
    valid: Vec<u8>,
    null_count: usize,
    /// NaN in failed rows.
    floats: [Vec<f64>; 6],
    /// Dictionary codes; −1 in failed rows (pandas' code for a missing category).
    category: Vec<i16>,
    enums: [Vec<i8>; 6],
    /// Codes into `openings`, the batch's distinct opening texts; 0 in failed rows.
    opening_codes: Vec<i32>,
    openings: Strings,
    /// `n + 1` offsets into `flag_codes` (codes into the flag vocabulary).
    flag_offsets: Vec<i32>,
    flag_codes: Vec<i8>,
    /// Validity of `errors`: bit set for a failed row.
    error_valid: Vec<u8>,
    errors: Strings,
}

/// Why a row has no assessment.
enum Fail<'a> {
    Missing,
    Utf8(std::str::Utf8Error),
    Context(&'a tactful::Error),
    Engine(tactful::Error),
    UnknownCategory,
}

impl fmt::Display for Fail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fail::Missing => f.write_str(MISSING_TEXT),
            Fail::Utf8(e) => write!(f, "the text is not valid UTF-8: {e}"),
            Fail::Context(e) => write!(f, "{e}"),
            Fail::Engine(e) => write!(f, "{e}"),
            Fail::UnknownCategory => f.write_str("the category is not in the playbook"),
        }
    }
}

/// How each row gets its context.
enum Contexts {
    Shared(tactful::Context),
    PerRow(Vec<Result<tactful::Context, tactful::Error>>),
}

fn set_bit(bits: &mut [u8], i: usize) {
    bits[i / 8] |= 1 << (i % 8);
}

fn bit(bits: &[u8], i: usize) -> bool {
    bits.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0)
}

impl Batch {
    /// Assesses `cells` (rows `start..` of the call) into a new batch.
    fn build(
        engine: &tactful::Engine,
        vocab: &Vocab,
        cells: &[Cell<'_>],
        start: usize,
        contexts: &Contexts,
    ) -> Batch {
        let n = cells.len();
        let mut b = Batch {
            n,
            valid: vec![0; n.div_ceil(8)],
            null_count: 0,
            floats: std::array::from_fn(|_| Vec::with_capacity(n)),
            category: Vec::with_capacity(n),
            enums: std::array::from_fn(|_| Vec::with_capacity(n)),
            opening_codes: Vec::with_capacity(n),
            openings: Strings::with_capacity(16),
            flag_offsets: Vec::with_capacity(n + 1),
            flag_codes: Vec::with_capacity(n * 2),
            error_valid: vec![0; n.div_ceil(8)],
            errors: Strings::with_capacity(n),
        };
        b.flag_offsets.push(0);
        let mut opening_index: HashMap<String, i32> = HashMap::new();
        for (i, cell) in cells.iter().enumerate() {
            let ctx = match contexts {
                Contexts::Shared(c) => Ok(c),
                Contexts::PerRow(all) => all[start + i].as_ref(),
            };
            let text = match cell {
                Cell::Text(t) => Ok(*t),
                Cell::Bytes(bytes) => std::str::from_utf8(bytes).map_err(Fail::Utf8),
                Cell::Missing => Err(Fail::Missing),
            };
            let result = text.and_then(|t| {
                let ctx = ctx.map_err(Fail::Context)?;
                engine.assess(t, ctx).map_err(Fail::Engine)
            });
            let result =
                result.and_then(
                    |a| match vocab.category_index.get(&*a.situation.category.label) {
                        Some(&code) => Ok((a, code)),
                        None => Err(Fail::UnknownCategory),
                    },
                );
            match result {
                Ok((a, category)) => b.push_ok(i, &a, category, &mut opening_index),
                Err(why) => b.push_err(i, &why),
            }
        }
        b
    }

    fn push_ok(
        &mut self,
        i: usize,
        a: &tactful::Assessment,
        category: i16,
        opening_index: &mut HashMap<String, i32>,
    ) {
        let (s, rec) = (&a.situation, &a.recommendation);
        set_bit(&mut self.valid, i);
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
        self.category.push(category);
        let codes = [
            position(tactful::Emotion::ALL, &s.emotion.label),
            position(tactful::Urgency::ALL, &s.urgency),
            position(tactful::Stance::ALL, &s.stance),
            position(tactful::Style::ALL, &s.style),
            position(tactful::Approach::ALL, &rec.approach),
            position(tactful::Empathy::ALL, &rec.empathy),
        ];
        for (col, c) in self.enums.iter_mut().zip(codes) {
            col.push(c);
        }
        let code = match opening_index.get(rec.opening.as_str()) {
            Some(&c) => c,
            None => {
                let c = self.openings.len() as i32;
                self.openings.data.extend_from_slice(rec.opening.as_bytes());
                self.openings.end();
                opening_index.insert(rec.opening.clone(), c);
                c
            }
        };
        self.opening_codes.push(code);
        for f in &s.flags {
            self.flag_codes.push(position(tactful::Flag::ALL, f));
        }
        self.flag_offsets
            .push(i32::try_from(self.flag_codes.len()).unwrap_or(i32::MAX));
        self.errors.end();
    }

    fn push_err(&mut self, i: usize, why: &Fail<'_>) {
        self.null_count += 1;
        for col in &mut self.floats {
            col.push(f64::NAN);
        }
        self.category.push(-1);
        for col in &mut self.enums {
            col.push(-1);
        }
        self.opening_codes.push(0);
        self.flag_offsets
            .push(i32::try_from(self.flag_codes.len()).unwrap_or(i32::MAX));
        set_bit(&mut self.error_valid, i);
        // Writing into a Vec cannot fail.
        let _ = write!(self.errors.data, "{why}");
        self.errors.end();
    }
}

/// Assesses every row on the pool, batch by batch, with the GIL released by the caller.
fn run(
    engine: &tactful::Engine,
    vocab: &Vocab,
    cells: &[Cell<'_>],
    contexts: &Contexts,
) -> Vec<Batch> {
    if cells.is_empty() {
        return vec![Batch::build(engine, vocab, cells, 0, contexts)];
    }
    // A few batches per thread, so an uneven batch does not leave a core idle at the end.
    let per = cells
        .len()
        .div_ceil(4 * rayon::current_num_threads().max(1))
        .clamp(MIN_BATCH, MAX_BATCH);
    cells
        .par_chunks(per)
        .enumerate()
        .map(|(k, chunk)| Batch::build(engine, vocab, chunk, k * per, contexts))
        .collect()
}

/// A batch and the vocabularies its dictionaries point into: what keeps exported buffers alive.
struct Exported {
    batch: Batch,
    vocab: Arc<Vocab>,
}

fn ptr<T>(v: &[T]) -> *const c_void {
    v.as_ptr().cast()
}

/// The schema of the result (the same for every batch).
fn fields() -> Vec<Field> {
    let label = |name: &str, index: &'static std::ffi::CStr| {
        Field::new(index, name, true).with_dictionary(Field::new(c"u", "", false))
    };
    let mut out = Vec::with_capacity(16);
    for name in tactful_columns() {
        out.push(match name {
            "category" => label(name, c"s"),
            "opening" => Field::new(c"i", name, true).with_dictionary(Field::new(c"U", "", false)),
            "flags" => Field::new(c"+l", name, true).with_children(vec![label("item", c"c")]),
            "error" => Field::new(c"U", name, true),
            n if FLOATS.contains(&n) => Field::new(c"g", n, true),
            n => label(n, c"c"),
        });
    }
    out
}

/// The result columns in output order (the Python `tactful.COLUMNS`).
fn tactful_columns() -> [&'static str; 16] {
    [
        "category",
        "category_confidence",
        "emotion",
        "emotion_confidence",
        "emotion_intensity",
        "sentiment",
        "urgency",
        "stance",
        "style",
        "escalation_risk",
        "churn_risk",
        "approach",
        "empathy",
        "opening",
        "flags",
        "error",
    ]
}

/// The array nodes of one batch, pointing into `e`'s buffers.
fn nodes(e: &Exported) -> Vec<Node> {
    let (b, v) = (&e.batch, &*e.vocab);
    let validity = if b.null_count > 0 {
        ptr(&b.valid)
    } else {
        std::ptr::null()
    };
    let dict = |codes: *const c_void, values: Node| {
        let mut node = Node::new(b.n, b.null_count, vec![validity, codes]);
        node.dictionary = Some(Box::new(values));
        node
    };
    tactful_columns()
        .iter()
        .map(|&name| match name {
            "category" => dict(ptr(&b.category), v.category_dict.node()),
            "opening" => dict(ptr(&b.opening_codes), b.openings.node()),
            "flags" => {
                let mut node = Node::new(b.n, b.null_count, vec![validity, ptr(&b.flag_offsets)]);
                let mut values = Node::new(
                    b.flag_codes.len(),
                    0,
                    vec![std::ptr::null(), ptr(&b.flag_codes)],
                );
                values.dictionary = Some(Box::new(v.flag_dict.node()));
                node.children = vec![values];
                node
            }
            "error" => Node::new(
                b.n,
                b.n - b.null_count,
                vec![
                    ptr(&b.error_valid),
                    ptr(&b.errors.offsets),
                    ptr(&b.errors.data),
                ],
            ),
            n => match FLOATS.iter().position(|f| *f == n) {
                Some(k) => Node::new(b.n, b.null_count, vec![validity, ptr(&b.floats[k])]),
                None => {
                    let k = ENUMS.iter().position(|f| *f == n).unwrap_or(0);
                    dict(ptr(&b.enums[k]), v.enum_dicts[k].node())
                }
            },
        })
        .collect()
}

/// The batches as `(arrow_schema, arrow_array)` capsule pairs, one record batch each.
fn to_arrow<'py>(
    py: Python<'py>,
    vocab: Arc<Vocab>,
    batches: Vec<Batch>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for batch in batches {
        let n = batch.n;
        let e = Arc::new(Exported {
            batch,
            vocab: Arc::clone(&vocab),
        });
        let columns = nodes(&e);
        let owner: Owner = e;
        out.append(record_batch_capsules(py, fields(), columns, n, owner)?)?;
    }
    Ok(out)
}

fn le_bytes<T: Copy, const N: usize>(
    batches: &[Batch],
    col: impl Fn(&Batch) -> &[T],
    f: impl Fn(T) -> [u8; N],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(batches.iter().map(|b| col(b).len()).sum::<usize>() * N);
    for b in batches {
        for &x in col(b) {
            out.extend_from_slice(&f(x));
        }
    }
    out
}

/// The batches as one set of columns for pandas: numbers and label codes as little-endian
/// bytes (NumPy reads them in place), opening / error / flags as Python lists (pandas holds
/// Python strings for them anyway; each distinct opening or flag name is one `str` object).
fn to_lists<'py>(
    py: Python<'py>,
    vocab: &Vocab,
    batches: &[Batch],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("length", batches.iter().map(|b| b.n).sum::<usize>())?;
    let floats = PyDict::new(py);
    for (k, name) in FLOATS.iter().enumerate() {
        let bytes = le_bytes(batches, |b| &b.floats[k], f64::to_le_bytes);
        floats.set_item(name, PyBytes::new(py, &bytes))?;
    }
    d.set_item("float64", floats)?;
    let labels = PyDict::new(py);
    let codes = le_bytes(batches, |b| &b.category, i16::to_le_bytes);
    labels.set_item(
        "category",
        (PyBytes::new(py, &codes), "int16", &vocab.category),
    )?;
    for (k, name) in ENUMS.iter().enumerate() {
        let codes = le_bytes(batches, |b| &b.enums[k], i8::to_le_bytes);
        labels.set_item(name, (PyBytes::new(py, &codes), "int8", &vocab.enums[k]))?;
    }
    d.set_item("labels", labels)?;
    let (openings, errors, flags) = (PyList::empty(py), PyList::empty(py), PyList::empty(py));
    let flag_names: Vec<Bound<'py, PyString>> =
        vocab.flags.iter().map(|f| PyString::new(py, f)).collect();
    for b in batches {
        let distinct: Vec<Bound<'py, PyString>> = (0..b.openings.len())
            .map(|k| PyString::new(py, &String::from_utf8_lossy(b.openings.get(k))))
            .collect();
        for i in 0..b.n {
            if bit(&b.valid, i) {
                let code = b.opening_codes[i] as usize;
                match distinct.get(code) {
                    Some(s) => openings.append(s)?,
                    None => openings.append(py.None())?,
                }
                let (lo, hi) = (b.flag_offsets[i] as usize, b.flag_offsets[i + 1] as usize);
                let row = b.flag_codes[lo..hi]
                    .iter()
                    .filter_map(|&c| flag_names.get(usize::try_from(c).ok()?))
                    .collect::<Vec<_>>();
                flags.append(PyTuple::new(py, row)?)?;
            } else {
                openings.append(py.None())?;
                flags.append(py.None())?;
            }
            if bit(&b.error_valid, i) {
                // Written from whole strings, so valid UTF-8; lossy only to stay panic-free.
                errors.append(String::from_utf8_lossy(b.errors.get(i)))?;
            } else {
                errors.append(py.None())?;
            }
        }
    }
    d.set_item("opening", openings)?;
    d.set_item("error", errors)?;
    d.set_item("flags", flags)?;
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

/// Assesses `cells` with the GIL released and hands the columns to Python.
fn finish<'py>(
    py: Python<'py>,
    engine: &Engine,
    cells: &[Cell<'_>],
    contexts: &Contexts,
    lists: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let e = &engine.engine;
    let (vocab, batches) = py.detach(|| {
        let vocab = Vocab::new(e);
        let batches = crate::pool::install(|| run(e, &vocab, cells, contexts));
        (vocab, batches)
    });
    if lists {
        Ok(to_lists(py, &vocab, &batches)?.into_any())
    } else {
        Ok(to_arrow(py, Arc::new(vocab), batches)?.into_any())
    }
}

/// Columns for a sequence of texts (str, or None/NaN for a missing text).
///
/// `lists=True`: a dict of column bytes and lists for pandas; `lists=False`: a list of
/// `(arrow_schema, arrow_array)` capsule pairs, one record batch each.
#[pyfunction]
#[pyo3(signature = (engine, texts, context=None, contexts=None, lists=true))]
pub fn _columns_from_texts<'py>(
    py: Python<'py>,
    engine: &Engine,
    texts: &Bound<'py, PyAny>,
    context: Option<Bound<'py, PyAny>>,
    contexts: Option<&Bound<'py, PyAny>>,
    lists: bool,
) -> PyResult<Bound<'py, PyAny>> {
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
    let cells: Vec<Cell<'_>> = owned
        .iter()
        .map(|t| t.as_deref().map_or(Cell::Missing, Cell::Text))
        .collect();
    finish(py, engine, &cells, &ctxs, lists)
}

/// Columns for Arrow string chunks given as `(schema_capsule, array_capsule)` pairs (see
/// [`_columns_from_texts`] for `lists`).
#[pyfunction]
#[pyo3(signature = (engine, chunks, context=None, contexts=None, lists=false))]
pub fn _columns_from_arrow<'py>(
    py: Python<'py>,
    engine: &Engine,
    chunks: Vec<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)>,
    context: Option<Bound<'py, PyAny>>,
    contexts: Option<&Bound<'py, PyAny>>,
    lists: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let mut cells = Vec::new();
    for (schema, array) in &chunks {
        read_strings(schema, array, &mut cells)?;
    }
    let ctxs = contexts_of(py, context, contexts, cells.len())?;
    // `chunks` (and with it the Arrow buffers `cells` borrows) lives until after this call.
    finish(py, engine, &cells, &ctxs, lists)
}
