//! `tactful_engine` and `tactful_engine_builder`: build once, assess from any thread.

use std::ffi::c_char;

use tactful_core::{Context, Engine, EngineBuilder, Playbook};

use crate::assessment::tactful_assessment;
use crate::context::tactful_context;
use crate::error::{fail, fail_with, guard_or, tactful_result};
use crate::ffi::{Castable, Out};

/// Reads messages and recommends responses. Build one and share it.
///
/// Thread safety: every function taking a `const tactful_engine *` may be called from any
/// number of threads at once on the same engine. Ownership: each handle is released with
/// `tactful_engine_free`; `tactful_engine_clone` gives another handle on the same engine
/// (reference counted), so different owners (threads, modules) can free theirs independently.
/// Assessments do not borrow from the engine: they may outlive it.
#[derive(Debug)]
pub struct tactful_engine {
    pub(crate) inner: Engine,
}

impl Castable for tactful_engine {}

/// Configures an engine: playbook, models, input limit. Every option has a default.
///
/// Ownership: created by `tactful_engine_builder_new`, consumed by `tactful_engine_builder_build`
/// (which frees it, on success and on failure) or released with `tactful_engine_builder_free`.
/// Thread safety: not thread-safe; use one builder from one thread at a time.
#[derive(Debug)]
pub struct tactful_engine_builder {
    inner: Option<EngineBuilder>,
}

impl Castable for tactful_engine_builder {}

fn engine_out(out: Out<'_, *mut tactful_engine>, built: Engine) {
    out.write(tactful_engine { inner: built }.into_ptr());
}

/// Builds an engine with the embedded default playbook and models.
///
/// On success `*out` receives a new engine to release with `tactful_engine_free`; on failure
/// it is left unchanged. Thread-safe.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_new(out: *mut *mut tactful_engine) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            engine_out(out, Engine::builder().build().map_err(fail)?);
            Ok(())
    }
}

/// Builds an engine from a playbook given as text, TOML or JSON (JSON when it starts with `{`),
/// with the embedded models.
///
/// A malformed playbook gives `TACTFUL_RESULT_INVALID_PLAYBOOK` and the last error names the
/// field, line and column (`tactful_last_error_message`, `_field`, `_line`, `_column`).
/// On success `*out` receives a new engine to release with `tactful_engine_free`.
///
/// # Safety
/// `playbook` must point to `len` readable bytes; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_from_playbook_text(
    playbook: *const c_char,
    len: usize,
    out: *mut *mut tactful_engine,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let text = try_str!(playbook, len)?;
            let pb = Playbook::from_str_any(text).map_err(fail)?;
            engine_out(out, Engine::builder().playbook(pb).build().map_err(fail)?);
            Ok(())
    }
}

/// Builds an engine from a playbook file (`.toml` or `.json`; the path is UTF-8, `len` bytes),
/// with the embedded models. A missing file gives `TACTFUL_RESULT_IO`.
///
/// # Safety
/// `path` must point to `len` readable bytes; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_from_playbook_path(
    path: *const c_char,
    len: usize,
    out: *mut *mut tactful_engine,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let path = try_str!(path, len)?;
            let built = Engine::builder()
                .playbook_path(path)
                .build()
                .map_err(fail)?;
            engine_out(out, built);
            Ok(())
    }
}

/// Another handle on the same engine (a reference count increment; nothing is copied), or
/// NULL when `engine` is NULL. Release it with `tactful_engine_free`. Thread-safe.
///
/// # Safety
/// `engine` must be NULL or a live engine.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_clone(
    engine: *const tactful_engine,
) -> *mut tactful_engine {
    guard_or(std::ptr::null_mut(), || match try_ref!(engine) {
        Ok(e) => tactful_engine {
            inner: e.inner.clone(),
        }
        .into_ptr(),
        Err(_) => std::ptr::null_mut(),
    })
}

/// Releases one engine handle. The engine itself goes when its last handle is freed.
/// `tactful_engine_free(NULL)` is a no-op. No call may be using this handle meanwhile.
///
/// # Safety
/// `engine` must be NULL or a handle from this library that was not freed yet.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_free(engine: *mut tactful_engine) {
    free_box!(engine)
}

/// True when the engine uses trained models (otherwise its rules work alone); false for NULL.
///
/// # Safety
/// `engine` must be NULL or a live engine.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_has_models(engine: *const tactful_engine) -> bool {
    read_or!(engine, false, |e| e.inner.has_models())
}

/// The largest text the engine accepts, in bytes (0 for NULL).
///
/// # Safety
/// `engine` must be NULL or a live engine.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_max_input_bytes(engine: *const tactful_engine) -> usize {
    read_or!(engine, 0, |e| e.inner.max_input_bytes())
}

/// What situation this is and how to respond.
///
/// `text` is the customer's message, UTF-8, `len` bytes (need not be NUL-terminated; NULL is an
/// error even when `len` is 0). `ctx` may be NULL for "nothing known". Errors:
/// `NULL_PARAMETER`, `INVALID_UTF8`, `EMPTY_INPUT`, `INPUT_TOO_LARGE`, `INVALID_CONTEXT`.
///
/// On success `*out` receives a new assessment to release with `tactful_assessment_free`; on
/// failure it is left unchanged. Thread-safe: call it from any number of threads on one
/// engine. Neither `text` nor `ctx` is referenced after the call returns.
///
/// # Safety
/// `engine` and `ctx` must be NULL or live objects; `text` must point to `len` readable bytes;
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_assess(
    engine: *const tactful_engine,
    text: *const c_char,
    len: usize,
    ctx: *const tactful_context,
    out: *mut *mut tactful_assessment,
) -> tactful_result {
    ffi_boundary! {
            let out = try_out!(out)?;
            let engine = try_ref!(engine)?;
            let text = try_str!(text, len)?;
            let default_ctx;
            let ctx = match opt_ref!(ctx) {
                Some(c) => &c.inner,
                None => {
                    default_ctx = Context::default();
                    &default_ctx
                }
            };
            let a = engine.inner.assess(text, ctx).map_err(fail)?;
            out.write(tactful_assessment::boxed(a));
            Ok(())
    }
}

/// Assesses `count` texts with one context, in parallel inside the library; one bad item never
/// fails the batch.
///
/// `texts[i]` points to `lens[i]` bytes of UTF-8. The caller provides two arrays of `count`
/// elements: `out_assessments[i]` receives a new assessment (release each with
/// `tactful_assessment_free`) or NULL when item i failed, and `out_results[i]` that item's
/// result code. The call itself returns `TACTFUL_RESULT_OK` unless an array or the engine is
/// NULL (then nothing is written). `ctx` may be NULL. Per-item error details are not kept:
/// re-assess one item to get its message. Thread-safe like `tactful_engine_assess`, and
/// fork-safe: the work runs on threads started for this call and joined before it returns
/// (`TACTFUL_NUM_THREADS` caps how many; default one per core), so no thread outlives the call,
/// a child created by `fork()` never waits on its parent's threads, and nothing is left for a
/// leak checker at exit.
///
/// # Safety
/// `texts`, `lens`, `out_assessments` and `out_results` must each hold `count` elements; each
/// `texts[i]` must be NULL or point to `lens[i]` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_assess_batch(
    engine: *const tactful_engine,
    texts: *const *const c_char,
    lens: *const usize,
    count: usize,
    ctx: *const tactful_context,
    out_assessments: *mut *mut tactful_assessment,
    out_results: *mut tactful_result,
) -> tactful_result {
    ffi_boundary! {
            let engine = try_ref!(engine)?;
            let item = std::mem::size_of::<*const c_char>().max(std::mem::size_of::<usize>());
            let too_large = match count.checked_mul(item) {
                Some(bytes) => bytes > isize::MAX as usize,
                None => true,
            };
            if too_large {
                return Err(fail_with(
                    tactful_result::OutOfRange,
                    format!("batch count {count} is too large"),
                ));
            }
            let out_assessments = try_out_array!(out_assessments, count)?;
            let out_results = try_out_array!(out_results, count)?;
            let texts = try_slice!(texts, count)?;
            let lens = try_slice!(lens, count)?;
            let ctx = opt_ref!(ctx)
                .map(|c| c.inner.clone())
                .unwrap_or_default();
            // Invalid items are answered here; the valid ones are assessed in parallel.
            let mut results = vec![tactful_result::Ok; count];
            let mut valid: Vec<&str> = Vec::with_capacity(count);
            let mut valid_index: Vec<usize> = Vec::with_capacity(count);
            for (i, (&t, &l)) in texts.iter().zip(lens).enumerate() {
                match try_str!(t, l, "texts[i]") {
                    Ok(s) => {
                        valid.push(s);
                        valid_index.push(i);
                    }
                    Err(c) => results[i] = c,
                }
            }
            let mut assessments: Vec<*mut tactful_assessment> = vec![std::ptr::null_mut(); count];
            // On threads started for this call (fork-safe, nothing left running afterwards).
            // The texts are copied so the threads own their work (a memcpy beside ≈ 15 µs of
            // analysis per text).
            let owned: Vec<Box<str>> = valid.iter().map(|&t| t.into()).collect();
            let core = engine.inner.clone();
            let answers = crate::pool::map(owned, move |t| core.assess(t, &ctx));
            for (r, i) in answers.into_iter().zip(valid_index) {
                match r {
                    Ok(a) => assessments[i] = tactful_assessment::boxed(a),
                    Err(e) => results[i] = fail(e),
                }
            }
            out_assessments.write(assessments);
            out_results.write(results);
            Ok(())
    }
}

/// A builder with every option at its default (embedded playbook and models, 16 MiB input
/// limit), or NULL if the library failed internally.
///
/// Ownership: pass it to `tactful_engine_builder_build` (which frees it) or release it with
/// `tactful_engine_builder_free`.
#[no_mangle]
pub extern "C" fn tactful_engine_builder_new() -> *mut tactful_engine_builder {
    guard_or(std::ptr::null_mut(), || {
        tactful_engine_builder {
            inner: Some(Engine::builder()),
        }
        .into_ptr()
    })
}

/// Releases a builder that was not built. `tactful_engine_builder_free(NULL)` is a no-op.
///
/// # Safety
/// `builder` must be NULL or a builder from this library not yet freed or built.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_builder_free(builder: *mut tactful_engine_builder) {
    free_box!(builder)
}

/// Applies `f` to the builder's state (the builder is unchanged when `f` fails).
fn with_builder(
    b: &mut tactful_engine_builder,
    f: impl FnOnce(EngineBuilder) -> Result<EngineBuilder, (EngineBuilder, tactful_result)>,
) -> Result<(), tactful_result> {
    let current = b
        .inner
        .take()
        .ok_or_else(|| fail_with(tactful_result::AlreadyUsed, "the builder was already built"))?;
    match f(current) {
        Ok(next) => {
            b.inner = Some(next);
            Ok(())
        }
        Err((unchanged, c)) => {
            b.inner = Some(unchanged);
            Err(c)
        }
    }
}

/// Uses a playbook given as TOML or JSON text (parsed and validated now: a malformed playbook
/// gives `TACTFUL_RESULT_INVALID_PLAYBOOK` with field and line in the last error, and leaves the
/// builder unchanged). Default: the embedded playbook.
///
/// # Safety
/// `builder` must be a valid builder; `playbook` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_builder_set_playbook_text(
    builder: *mut tactful_engine_builder,
    playbook: *const c_char,
    len: usize,
) -> tactful_result {
    ffi_boundary! {
        with_builder(try_mut!(builder)?, |b| {
            let text = match try_str!(playbook, len) {
                Ok(t) => t,
                Err(c) => return Err((b, c)),
            };
            match Playbook::from_str_any(text) {
                Ok(pb) => Ok(b.playbook(pb)),
                Err(e) => Err((b, fail(e))),
            }
        })
    }
}

/// Loads the playbook from a `.toml` or `.json` file when the engine is built (UTF-8 path,
/// `len` bytes). Default: the embedded playbook.
///
/// # Safety
/// `builder` must be a valid builder; `path` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_builder_set_playbook_path(
    builder: *mut tactful_engine_builder,
    path: *const c_char,
    len: usize,
) -> tactful_result {
    ffi_boundary! {
        with_builder(try_mut!(builder)?, |b| match try_str!(path, len) {
            Ok(p) => Ok(b.playbook_path(p)),
            Err(c) => Err((b, c)),
        })
    }
}

/// Loads a model file when the engine is built (UTF-8 path, `len` bytes), e.g. one retrained on
/// your own labeled tickets. Default: the embedded models.
///
/// # Safety
/// `builder` must be a valid builder; `path` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_builder_set_model_path(
    builder: *mut tactful_engine_builder,
    path: *const c_char,
    len: usize,
) -> tactful_result {
    ffi_boundary! {
        with_builder(try_mut!(builder)?, |b| match try_str!(path, len) {
            Ok(p) => Ok(b.model_path(p)),
            Err(c) => Err((b, c)),
        })
    }
}

/// Uses a model file given as bytes (copied; the buffer may be freed after the call).
/// Default: the embedded models.
///
/// # Safety
/// `builder` must be a valid builder; `bytes` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_builder_set_model_bytes(
    builder: *mut tactful_engine_builder,
    bytes: *const u8,
    len: usize,
) -> tactful_result {
    ffi_boundary! {
        with_builder(try_mut!(builder)?, |b| match try_slice!(bytes, len) {
            Ok(m) => Ok(b.model_bytes(m.to_vec())),
            Err(c) => Err((b, c)),
        })
    }
}

/// Uses the rules alone, without trained models (`true`), or the models again (`false`).
/// Default: `false`.
///
/// # Safety
/// `builder` must be a valid builder.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_builder_set_rules_only(
    builder: *mut tactful_engine_builder,
    rules_only: bool,
) -> tactful_result {
    ffi_boundary! {
        with_builder(try_mut!(builder)?, |b| Ok(b.rules_only(rules_only)))
    }
}

/// The largest text accepted, in bytes; longer texts give `TACTFUL_RESULT_INPUT_TOO_LARGE`.
/// Default: 16 MiB. 0 is rejected when the engine is built (`TACTFUL_RESULT_INVALID_OPTION`).
///
/// # Safety
/// `builder` must be a valid builder.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_builder_set_max_input_bytes(
    builder: *mut tactful_engine_builder,
    max_input_bytes: usize,
) -> tactful_result {
    ffi_boundary! {
        with_builder(try_mut!(builder)?, |b| Ok(b.max_input_bytes(max_input_bytes)))
    }
}

/// Validates everything and builds the engine.
///
/// The builder is consumed and freed by this call whatever the result: do not use or free it
/// afterwards. On success `*out` receives a new engine to release with `tactful_engine_free`;
/// on failure it is left unchanged and the last error says why (e.g. the model file).
///
/// # Safety
/// `builder` must be NULL or a builder from this library not yet freed or built; `out` must
/// be writable.
#[no_mangle]
pub unsafe extern "C" fn tactful_engine_builder_build(
    builder: *mut tactful_engine_builder,
    out: *mut *mut tactful_engine,
) -> tactful_result {
    ffi_boundary! {
            // Freed here whatever happens next.
            let b = try_box!(builder)?;
            let out = try_out!(out)?;
            let inner = b.inner.ok_or_else(|| {
                fail_with(tactful_result::AlreadyUsed, "the builder was already built")
            })?;
            engine_out(out, inner.build().map_err(fail)?);
            Ok(())
    }
}
