//! Reading a string column through the Arrow C data interface (the PyCapsule protocol:
//! `array.__arrow_c_array__()` returns an `arrow_schema` and an `arrow_array` capsule).
//!
//! Only `utf8` (`u`), `large_utf8` (`U`), `binary` (`z`) and `large_binary` (`Z`) arrays are
//! read here; the Python side casts other string-like types first. A row that is not valid
//! UTF-8 becomes an error row: its bytes are handed over as [`Cell::Bytes`] and checked by the
//! worker thread that assesses the row, so one bad row never fails the others. The texts are
//! borrowed from the producer's buffers, which stay alive as long as the capsules do.

use std::ffi::{c_char, c_void, CStr};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

/// `struct ArrowSchema` of the Arrow C data interface.
#[repr(C)]
pub struct ArrowSchema {
    pub format: *const c_char,
    pub name: *const c_char,
    pub metadata: *const c_char,
    pub flags: i64,
    pub n_children: i64,
    pub children: *mut *mut ArrowSchema,
    pub dictionary: *mut ArrowSchema,
    pub release: Option<unsafe extern "C" fn(*mut ArrowSchema)>,
    pub private_data: *mut c_void,
}

/// `struct ArrowArray` of the Arrow C data interface.
#[repr(C)]
pub struct ArrowArray {
    pub length: i64,
    pub null_count: i64,
    pub offset: i64,
    pub n_buffers: i64,
    pub n_children: i64,
    pub buffers: *mut *const c_void,
    pub children: *mut *mut ArrowArray,
    pub dictionary: *mut ArrowArray,
    pub release: Option<unsafe extern "C" fn(*mut ArrowArray)>,
    pub private_data: *mut c_void,
}

/// One row of a text column.
pub enum Cell<'a> {
    /// The text.
    Text(&'a str),
    /// The bytes of an Arrow row, not yet checked to be UTF-8.
    Bytes(&'a [u8]),
    /// A null (or `None` / NaN) row.
    Missing,
}

/// Appends the rows of one chunk to `out` ([`Cell::Missing`] for a null row).
///
/// The returned slices borrow memory owned by `array`'s capsule: the caller keeps the
/// capsule alive for as long as it uses them (the `'a` lifetime).
pub fn read_strings<'a>(
    schema: &'a Bound<'_, PyCapsule>,
    array: &'a Bound<'_, PyCapsule>,
    out: &mut Vec<Cell<'a>>,
) -> PyResult<()> {
    use pyo3::types::PyCapsuleMethods;
    let sp = schema.pointer_checked(Some(c"arrow_schema"))?;
    let ap = array.pointer_checked(Some(c"arrow_array"))?;
    // SAFETY: the capsule names guarantee these are the C data interface structs, which the
    // producer keeps valid until the capsule is destroyed; we only read them.
    let (schema, array) = unsafe {
        (
            &*(sp.as_ptr() as *const ArrowSchema),
            &*(ap.as_ptr() as *const ArrowArray),
        )
    };
    if schema.release.is_none() || array.release.is_none() {
        return Err(PyValueError::new_err(
            "the Arrow array was already released",
        ));
    }
    if schema.format.is_null() {
        return Err(PyValueError::new_err("Arrow schema without a format"));
    }
    // SAFETY: non-null and NUL-terminated per the C data interface.
    let format = unsafe { CStr::from_ptr(schema.format) }.to_bytes();
    let large = match format {
        b"u" | b"z" => false,
        b"U" | b"Z" => true,
        other => {
            return Err(PyTypeError::new_err(format!(
                "expected an Arrow string array, got format {:?}",
                String::from_utf8_lossy(other)
            )))
        }
    };
    let (len, offset) = (array.length, array.offset);
    if len < 0 || offset < 0 || array.n_buffers != 3 || array.buffers.is_null() {
        return Err(PyValueError::new_err("malformed Arrow string array"));
    }
    let (len, offset) = (len as usize, offset as usize);
    if len == 0 {
        return Ok(());
    }
    // SAFETY: n_buffers == 3, so the buffer pointer array has three entries.
    let (validity, offsets, data) = unsafe {
        (
            *array.buffers as *const u8,
            *array.buffers.add(1),
            *array.buffers.add(2) as *const u8,
        )
    };
    if offsets.is_null() {
        return Err(PyValueError::new_err("Arrow string array without offsets"));
    }
    let offsets: Vec<usize> = if large {
        // SAFETY: a large_utf8 array of `offset + len` rows has `offset + len + 1` i64 offsets.
        let o = unsafe { std::slice::from_raw_parts(offsets as *const i64, offset + len + 1) };
        o.iter()
            .map(|&v| usize::try_from(v).unwrap_or(usize::MAX))
            .collect()
    } else {
        // SAFETY: as above with i32 offsets.
        let o = unsafe { std::slice::from_raw_parts(offsets as *const i32, offset + len + 1) };
        o.iter()
            .map(|&v| usize::try_from(v).unwrap_or(usize::MAX))
            .collect()
    };
    let (lo, hi) = (offsets[offset], offsets[offset + len]);
    if offsets[offset..].windows(2).any(|w| w[0] > w[1]) || hi == usize::MAX {
        return Err(PyValueError::new_err(
            "Arrow string array with invalid offsets",
        ));
    }
    if hi > lo && data.is_null() {
        return Err(PyValueError::new_err("Arrow string array without data"));
    }
    let data: &'a [u8] = if hi == 0 {
        &[]
    } else {
        // SAFETY: the data buffer holds at least `offsets[last]` bytes per the format.
        unsafe { std::slice::from_raw_parts(data, hi) }
    };
    let has_nulls = array.null_count != 0 && !validity.is_null();
    out.reserve(len);
    for i in 0..len {
        let row = offset + i;
        if has_nulls {
            // SAFETY: the validity bitmap has a bit for each of `offset + len` rows.
            let byte = unsafe { *validity.add(row / 8) };
            if byte & (1 << (row % 8)) == 0 {
                out.push(Cell::Missing);
                continue;
            }
        }
        out.push(Cell::Bytes(&data[offsets[row]..offsets[row + 1]]));
    }
    Ok(())
}
