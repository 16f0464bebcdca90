//! Handing Rust-owned column buffers to an Arrow consumer through the C data interface, without
//! a copy: the consumer gets `ArrowSchema` / `ArrowArray` structs whose buffers point into
//! memory kept alive by an `Arc` until the consumer calls `release` on every array node.

use std::any::Any;
use std::ffi::{c_void, CStr, CString};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use crate::arrow::{ArrowArray, ArrowSchema};

/// `ARROW_FLAG_NULLABLE` of the C data interface.
const NULLABLE: i64 = 2;

/// What keeps the buffers of an exported array alive.
pub type Owner = Arc<dyn Any + Send + Sync>;

/// One field of a schema: its format string, name and child fields.
pub struct Field {
    /// Format string of the C data interface (e.g. `c"g"` for float64).
    pub format: &'static CStr,
    /// Field name.
    pub name: CString,
    /// Whether the field may hold nulls.
    pub nullable: bool,
    /// Child fields (struct members, list items).
    pub children: Vec<Field>,
    /// The value type of a dictionary-encoded field.
    pub dictionary: Option<Box<Field>>,
}

impl Field {
    /// A field without children.
    pub fn new(format: &'static CStr, name: &str, nullable: bool) -> Field {
        Field {
            format,
            // A name with an interior NUL cannot happen for our fixed column names.
            name: CString::new(name).unwrap_or_default(),
            nullable,
            children: Vec::new(),
            dictionary: None,
        }
    }

    /// The same field, dictionary-encoded over values of `values`' type.
    pub fn with_dictionary(mut self, values: Field) -> Field {
        self.dictionary = Some(Box::new(values));
        self
    }

    /// The same field with child fields.
    pub fn with_children(mut self, children: Vec<Field>) -> Field {
        self.children = children;
        self
    }
}

/// One array node: length, null count, buffer pointers into memory the [`Owner`] keeps alive.
pub struct Node {
    /// Number of rows.
    pub len: usize,
    /// Number of null rows.
    pub null_count: usize,
    /// Buffer pointers in the order the format prescribes (null for an absent validity bitmap).
    pub buffers: Vec<*const c_void>,
    /// Child arrays.
    pub children: Vec<Node>,
    /// The dictionary of a dictionary-encoded array.
    pub dictionary: Option<Box<Node>>,
}

impl Node {
    /// A node without children.
    pub fn new(len: usize, null_count: usize, buffers: Vec<*const c_void>) -> Node {
        Node {
            len,
            null_count,
            buffers,
            children: Vec::new(),
            dictionary: None,
        }
    }
}

struct SchemaPrivate {
    _name: CString,
    children: Box<[*mut ArrowSchema]>,
    dictionary: *mut ArrowSchema,
}

fn schema_of(field: Field) -> ArrowSchema {
    let children: Box<[*mut ArrowSchema]> = field
        .children
        .into_iter()
        .map(|c| Box::into_raw(Box::new(schema_of(c))))
        .collect();
    let dictionary = field.dictionary.map_or(std::ptr::null_mut(), |d| {
        Box::into_raw(Box::new(schema_of(*d)))
    });
    let mut private = Box::new(SchemaPrivate {
        _name: field.name,
        children,
        dictionary,
    });
    ArrowSchema {
        format: field.format.as_ptr(),
        name: private._name.as_ptr(),
        metadata: std::ptr::null(),
        flags: if field.nullable { NULLABLE } else { 0 },
        n_children: private.children.len() as i64,
        children: private.children.as_mut_ptr(),
        dictionary,
        release: Some(release_schema),
        private_data: Box::into_raw(private) as *mut c_void,
    }
}

unsafe extern "C" fn release_schema(schema: *mut ArrowSchema) {
    // SAFETY: called by the consumer on a schema made by `schema_of` (or on a child of one it
    // moved out); `private_data` is the `SchemaPrivate` boxed there, taken back exactly once
    // because `release` is cleared below.
    unsafe {
        let Some(s) = schema.as_mut() else { return };
        if s.release.is_none() || s.private_data.is_null() {
            return;
        }
        let p = Box::from_raw(s.private_data as *mut SchemaPrivate);
        for &c in p.children.iter().chain(std::iter::once(&p.dictionary)) {
            if c.is_null() {
                continue;
            }
            if let Some(release) = (*c).release {
                release(c);
            }
            drop(Box::from_raw(c));
        }
        drop(p);
        s.release = None;
        s.private_data = std::ptr::null_mut();
    }
}

struct ArrayPrivate {
    buffers: Box<[*const c_void]>,
    children: Box<[*mut ArrowArray]>,
    dictionary: *mut ArrowArray,
    _owner: Owner,
}

fn array_of(node: Node, owner: &Owner) -> ArrowArray {
    let children: Box<[*mut ArrowArray]> = node
        .children
        .into_iter()
        .map(|c| Box::into_raw(Box::new(array_of(c, owner))))
        .collect();
    let dictionary = node.dictionary.map_or(std::ptr::null_mut(), |d| {
        Box::into_raw(Box::new(array_of(*d, owner)))
    });
    let mut private = Box::new(ArrayPrivate {
        buffers: node.buffers.into_boxed_slice(),
        children,
        dictionary,
        _owner: Arc::clone(owner),
    });
    ArrowArray {
        length: node.len as i64,
        null_count: node.null_count as i64,
        offset: 0,
        n_buffers: private.buffers.len() as i64,
        n_children: private.children.len() as i64,
        buffers: private.buffers.as_mut_ptr(),
        children: private.children.as_mut_ptr(),
        dictionary,
        release: Some(release_array),
        private_data: Box::into_raw(private) as *mut c_void,
    }
}

unsafe extern "C" fn release_array(array: *mut ArrowArray) {
    // SAFETY: as for `release_schema`; dropping the private data drops one reference to the
    // owner of the buffers, which frees them when the last exported node is released.
    unsafe {
        let Some(a) = array.as_mut() else { return };
        if a.release.is_none() || a.private_data.is_null() {
            return;
        }
        let p = Box::from_raw(a.private_data as *mut ArrayPrivate);
        for &c in p.children.iter().chain(std::iter::once(&p.dictionary)) {
            if c.is_null() {
                continue;
            }
            if let Some(release) = (*c).release {
                release(c);
            }
            drop(Box::from_raw(c));
        }
        drop(p);
        a.release = None;
        a.private_data = std::ptr::null_mut();
    }
}

/// The capsule payloads. The structs hold raw pointers, but they own what they point to (or
/// share it through an `Arc` of `Send + Sync` data), so moving them between threads is sound.
#[repr(transparent)]
struct SendSchema(ArrowSchema);
// SAFETY: see above.
unsafe impl Send for SendSchema {}
#[repr(transparent)]
struct SendArray(ArrowArray);
// SAFETY: see above.
unsafe impl Send for SendArray {}

/// An `(arrow_schema, arrow_array)` capsule pair (the PyCapsule protocol) for a struct array
/// of `fields` / `columns` (a record batch of `len` rows) whose buffers `owner` keeps alive.
/// A capsule that is never consumed releases its struct when Python destroys it.
pub fn record_batch_capsules<'py>(
    py: Python<'py>,
    fields: Vec<Field>,
    columns: Vec<Node>,
    len: usize,
    owner: Owner,
) -> PyResult<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)> {
    let schema = schema_of(Field::new(c"+s", "", false).with_children(fields));
    let mut top = Node::new(len, 0, vec![std::ptr::null()]);
    top.children = columns;
    let array = array_of(top, &owner);
    let schema = PyCapsule::new_with_value_and_destructor(
        py,
        SendSchema(schema),
        c"arrow_schema",
        |mut s: SendSchema, _| {
            if let Some(release) = s.0.release {
                // SAFETY: the struct was made by `schema_of` and not released yet.
                unsafe { release(&mut s.0) }
            }
        },
    )?;
    let array = PyCapsule::new_with_value_and_destructor(
        py,
        SendArray(array),
        c"arrow_array",
        |mut a: SendArray, _| {
            if let Some(release) = a.0.release {
                // SAFETY: the struct was made by `array_of` and not released yet.
                unsafe { release(&mut a.0) }
            }
        },
    )?;
    Ok((schema, array))
}
