//! Calls the exported `extern "C"` functions from Rust and compares them with the core library:
//! every golden case must give the same assessment (byte-identical JSON) through the C ABI as
//! through `tactful::Engine`, every vocabulary code must be the core's, and every pointer
//! argument must be checked for NULL.

use std::ffi::{c_char, CStr};
use std::path::{Path, PathBuf};
use std::ptr::{null, null_mut};

use tactful::*;
use tactful_core as core;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Case {
    id: String,
    text: String,
    context: Option<String>,
}

/// The shared golden cases (when present) plus the C suite's own cases.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for file in ["tests/golden/assess.jsonl", "tests/c/cases.jsonl"] {
        let Ok(text) = std::fs::read_to_string(repo_root().join(file)) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{file}:{}: {e}", n + 1));
            out.push(Case {
                id: v["id"].as_str().unwrap_or("").to_string(),
                text: v["text"].as_str().expect("text").to_string(),
                context: v.get("context").map(|c| c.to_string()),
            });
        }
    }
    assert!(out.len() >= 8, "the C suite's own cases must be found");
    out
}

fn take_string(p: *mut c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: returned by the library, NUL-terminated.
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
    // SAFETY: owned string from the library.
    unsafe { tactful_string_free(p) };
    s
}

fn borrowed(p: *const c_char) -> &'static str {
    assert!(!p.is_null());
    // SAFETY: static or borrowed NUL-terminated string; the tests keep the owner alive.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap()
}

fn new_engine() -> *mut tactful_engine {
    let mut e = null_mut();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { tactful_engine_new(&mut e) }, tactful_result::Ok);
    assert!(!e.is_null());
    e
}

fn last_message() -> String {
    take_string(tactful_last_error_message())
}

#[test]
fn golden_cases_match_the_rust_engine() {
    let engine = new_engine();
    let rust = core::Engine::builder().build().unwrap();
    for case in cases() {
        let (ctx_ptr, ctx) = match &case.context {
            Some(json) => {
                let mut c = null_mut();
                // SAFETY: valid buffer and out-pointer.
                let r =
                    unsafe { tactful_context_from_json(json.as_ptr().cast(), json.len(), &mut c) };
                assert_eq!(r, tactful_result::Ok, "{}: {}", case.id, last_message());
                (c, core::Context::from_json(json).unwrap())
            }
            None => (null_mut(), core::Context::default()),
        };
        let expected = rust.assess(&case.text, &ctx).unwrap();
        let mut a = null_mut();
        // SAFETY: live engine and context, valid buffer and out-pointer.
        let r = unsafe {
            tactful_engine_assess(
                engine,
                case.text.as_ptr().cast(),
                case.text.len(),
                ctx_ptr,
                &mut a,
            )
        };
        assert_eq!(r, tactful_result::Ok, "{}", case.id);
        // SAFETY: `a` is a live assessment for the rest of the loop body.
        unsafe {
            let s = &expected.situation;
            assert_eq!(
                borrowed(tactful_assessment_category(a)),
                &*s.category.label,
                "{}",
                case.id
            );
            assert_eq!(
                tactful_assessment_emotion(a) as u32,
                s.emotion.label.code(),
                "{}",
                case.id
            );
            assert_eq!(
                tactful_assessment_urgency(a) as u32,
                s.urgency.code(),
                "{}",
                case.id
            );
            assert_eq!(
                tactful_assessment_stance(a) as u32,
                s.stance.code(),
                "{}",
                case.id
            );
            assert_eq!(
                tactful_assessment_style(a) as u32,
                s.style.code(),
                "{}",
                case.id
            );
            let rec = &expected.recommendation;
            assert_eq!(
                tactful_assessment_approach(a) as u32,
                rec.approach.code(),
                "{}",
                case.id
            );
            assert_eq!(
                tactful_assessment_empathy(a) as u32,
                rec.empathy.code(),
                "{}",
                case.id
            );
            assert_eq!(
                tactful_assessment_category_confidence(a),
                s.category.confidence
            );
            assert_eq!(
                tactful_assessment_emotion_confidence(a),
                s.emotion.confidence
            );
            assert_eq!(tactful_assessment_emotion_intensity(a), s.emotion.intensity);
            assert_eq!(tactful_assessment_sentiment(a), s.sentiment);
            assert_eq!(tactful_assessment_escalation_risk(a), s.escalation_risk);
            assert_eq!(tactful_assessment_churn_risk(a), s.churn_risk);
            for &e in core::Emotion::ALL {
                assert_eq!(
                    tactful_assessment_emotion_score(a, e.code()),
                    s.emotion.scores.get(e.as_str())
                );
            }
            assert_eq!(tactful_assessment_flag_count(a), s.flags.len());
            for (i, f) in s.flags.iter().enumerate() {
                assert_eq!(tactful_assessment_flag_at(a, i) as u32, f.code());
            }
            for &f in core::Flag::ALL {
                assert_eq!(tactful_assessment_has_flag(a, f.code()), s.has(f));
            }
            let mut opening = null_mut();
            assert_eq!(
                tactful_assessment_opening(a, &mut opening),
                tactful_result::Ok
            );
            assert_eq!(take_string(opening), rec.opening);
            let mut json = null_mut();
            assert_eq!(tactful_assessment_to_json(a, &mut json), tactful_result::Ok);
            assert_eq!(take_string(json), expected.to_json(), "{}", case.id);
            tactful_assessment_free(a);
            tactful_context_free(ctx_ptr);
        }
    }
    // SAFETY: engine from tactful_engine_new.
    unsafe { tactful_engine_free(engine) };
}

#[test]
fn batch_matches_single_calls_and_isolates_bad_items() {
    let engine = new_engine();
    let cases = cases();
    let mut texts: Vec<*const c_char> = cases.iter().map(|c| c.text.as_ptr().cast()).collect();
    let mut lens: Vec<usize> = cases.iter().map(|c| c.text.len()).collect();
    let bad = b"caf\xe9";
    texts.push(bad.as_ptr().cast());
    lens.push(bad.len());
    texts.push(null());
    lens.push(3);
    texts.push(" ".as_ptr().cast());
    lens.push(1);
    let n = texts.len();
    let mut out = vec![null_mut(); n];
    let mut results = vec![tactful_result::Panic; n];
    // SAFETY: arrays of n elements.
    let r = unsafe {
        tactful_engine_assess_batch(
            engine,
            texts.as_ptr(),
            lens.as_ptr(),
            n,
            null(),
            out.as_mut_ptr(),
            results.as_mut_ptr(),
        )
    };
    assert_eq!(r, tactful_result::Ok);
    let rust = core::Engine::builder().build().unwrap();
    for (i, case) in cases.iter().enumerate() {
        assert_eq!(results[i], tactful_result::Ok);
        let mut json = null_mut();
        // SAFETY: live assessment.
        assert_eq!(
            unsafe { tactful_assessment_to_json(out[i], &mut json) },
            tactful_result::Ok
        );
        let expected = rust.assess(&case.text, &core::Context::default()).unwrap();
        assert_eq!(take_string(json), expected.to_json());
    }
    assert_eq!(
        &results[cases.len()..],
        &[
            tactful_result::InvalidUtf8,
            tactful_result::NullParameter,
            tactful_result::EmptyInput
        ]
    );
    assert!(out[cases.len()..].iter().all(|p| p.is_null()));
    for a in out {
        // SAFETY: each is NULL or a live assessment.
        unsafe { tactful_assessment_free(a) };
    }
    // SAFETY: engine from tactful_engine_new.
    unsafe { tactful_engine_free(engine) };
}

type NameFn = extern "C" fn(u32) -> *const c_char;

/// The C value of every core value: the same code and the same variant name. A value added
/// to a core enum fails here until its C enum has it (the wrapper maps through `code()`).
fn same_values<V: Copy + std::fmt::Debug, C: Copy + std::fmt::Debug>(
    all: &[V],
    code: fn(V) -> u32,
    as_str: fn(V) -> &'static str,
    to_c: impl Fn(V) -> Option<C>,
    c_code: fn(C) -> u32,
    name: Option<NameFn>,
) {
    for &v in all {
        let c = to_c(v);
        assert_eq!(c.map(c_code), Some(code(v)), "{v:?} has no C value");
        assert_eq!(format!("{c:?}"), format!("Some({v:?})"));
        if let Some(name) = name {
            assert_eq!(borrowed(name(code(v))), as_str(v));
        }
    }
}

/// The C value, or None for `*_UNKNOWN` (a core value the C enum lacks).
fn known<C: Copy>(c: C, code: fn(C) -> u32) -> Option<C> {
    (code(c) != 255).then_some(c)
}

#[test]
fn vocabulary_codes_and_names_are_the_cores() {
    use core::*;
    same_values(
        Emotion::ALL,
        Emotion::code,
        Emotion::as_str,
        |v| known(tactful_emotion::from(v), |c| c as u32),
        |c| c as u32,
        Some(tactful_emotion_name),
    );
    same_values(
        Urgency::ALL,
        Urgency::code,
        Urgency::as_str,
        |v| known(tactful_urgency::from(v), |c| c as u32),
        |c| c as u32,
        Some(tactful_urgency_name),
    );
    same_values(
        Stance::ALL,
        Stance::code,
        Stance::as_str,
        |v| known(tactful_stance::from(v), |c| c as u32),
        |c| c as u32,
        Some(tactful_stance_name),
    );
    same_values(
        Style::ALL,
        Style::code,
        Style::as_str,
        |v| known(tactful_style::from(v), |c| c as u32),
        |c| c as u32,
        Some(tactful_style_name),
    );
    same_values(
        Approach::ALL,
        Approach::code,
        Approach::as_str,
        |v| known(tactful_approach::from(v), |c| c as u32),
        |c| c as u32,
        Some(tactful_approach_name),
    );
    same_values(
        Empathy::ALL,
        Empathy::code,
        Empathy::as_str,
        |v| known(tactful_empathy::from(v), |c| c as u32),
        |c| c as u32,
        Some(tactful_empathy_name),
    );
    same_values(
        Flag::ALL,
        Flag::code,
        Flag::as_str,
        |v| known(tactful_flag::from(v), |c| c as u32),
        |c| c as u32,
        Some(tactful_flag_name),
    );
    same_values(
        Channel::ALL,
        Channel::code,
        Channel::as_str,
        |v| tactful_channel::try_from(v).ok(),
        |c| c as u32,
        Some(tactful_channel_name),
    );
    same_values(
        Relationship::ALL,
        Relationship::code,
        Relationship::as_str,
        |v| tactful_relationship::try_from(v).ok(),
        |c| c as u32,
        None,
    );
    assert!(tactful_emotion_name(255).is_null());
    assert!(tactful_flag_name(u32::MAX).is_null());
}

#[test]
fn version_matches_cargo_toml_and_the_header() {
    assert_eq!(borrowed(tactful_version()), env!("CARGO_PKG_VERSION"));
    assert_eq!(
        TACTFUL_VERSION_MAJOR.to_string(),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        TACTFUL_VERSION_MINOR.to_string(),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        TACTFUL_VERSION_PATCH.to_string(),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(tactful_abi_version(), TACTFUL_ABI_VERSION);
    let header = std::fs::read_to_string(repo_root().join("include/tactful.h")).unwrap();
    for (name, value) in [
        ("TACTFUL_VERSION_MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
        ("TACTFUL_VERSION_MINOR", env!("CARGO_PKG_VERSION_MINOR")),
        ("TACTFUL_VERSION_PATCH", env!("CARGO_PKG_VERSION_PATCH")),
        ("TACTFUL_ABI_VERSION", &TACTFUL_ABI_VERSION.to_string()),
    ] {
        let define = format!("#define {name} {value}\n");
        assert!(
            header.contains(&define),
            "include/tactful.h lacks `{}`",
            define.trim()
        );
    }
}

#[test]
fn every_pointer_is_checked_for_null() {
    let engine = new_engine();
    let text = "My card was stolen";
    let mut a = null_mut();
    // SAFETY: each call passes NULL where the contract allows checking it.
    unsafe {
        let t = text.as_ptr().cast();
        let n = text.len();
        assert_eq!(
            tactful_engine_assess(null(), t, n, null(), &mut a),
            tactful_result::NullParameter
        );
        assert!(last_message().contains("engine"));
        assert_eq!(
            tactful_engine_assess(engine, null(), n, null(), &mut a),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_engine_assess(engine, null(), 0, null(), &mut a),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_engine_assess(engine, t, n, null(), null_mut()),
            tactful_result::NullParameter
        );
        assert!(a.is_null(), "out-parameters are written only on success");
        assert_eq!(
            tactful_engine_new(null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_engine_from_playbook_text(null(), 0, &mut null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_engine_from_playbook_path(null(), 0, &mut null_mut()),
            tactful_result::NullParameter
        );
        assert!(tactful_engine_clone(null()).is_null());
        assert!(!tactful_engine_has_models(null()));
        assert_eq!(tactful_engine_max_input_bytes(null()), 0);
        assert_eq!(
            tactful_context_from_json(null(), 0, &mut null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_context_from_json("{}".as_ptr().cast(), 2, null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_context_set_channel(null_mut(), 0),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_context_set_customer_name(null_mut(), t, n),
            tactful_result::NullParameter
        );
        let ctx = tactful_context_new();
        assert_eq!(
            tactful_context_set_customer_name(ctx, null(), 1),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_context_add_allowed_alternative(ctx, null(), 1),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_context_set_max_gesture(ctx, null(), 1),
            tactful_result::NullParameter
        );
        tactful_context_free(ctx);
        assert!(tactful_assessment_category(null()).is_null());
        assert!(tactful_assessment_sentiment(null()).is_nan());
        assert_eq!(tactful_assessment_emotion(null()), tactful_emotion::Unknown);
        assert_eq!(
            tactful_assessment_approach(null()),
            tactful_approach::Unknown
        );
        assert_eq!(tactful_assessment_flag_count(null()), 0);
        assert_eq!(tactful_assessment_flag_at(null(), 0), tactful_flag::Unknown);
        assert_eq!(
            tactful_assessment_opening(null(), &mut null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_assessment_to_json(null(), &mut null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_engine_builder_build(null_mut(), &mut null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_engine_builder_set_rules_only(null_mut(), true),
            tactful_result::NullParameter
        );
        let mut results = [tactful_result::Ok; 1];
        let mut outs = [null_mut(); 1];
        let texts = [t];
        let lens = [n];
        assert_eq!(
            tactful_engine_assess_batch(
                engine,
                null(),
                lens.as_ptr(),
                1,
                null(),
                outs.as_mut_ptr(),
                results.as_mut_ptr()
            ),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_engine_assess_batch(
                engine,
                texts.as_ptr(),
                lens.as_ptr(),
                1,
                null(),
                null_mut(),
                results.as_mut_ptr()
            ),
            tactful_result::NullParameter
        );
        tactful_assessment_free(null_mut());
        tactful_context_free(null_mut());
        tactful_engine_free(null_mut());
        tactful_engine_builder_free(null_mut());
        tactful_string_free(null_mut());
        tactful_engine_free(engine);
    }
}

#[test]
fn bad_text_and_bad_playbooks_give_codes_and_details() {
    let engine = new_engine();
    let mut a = null_mut();
    // SAFETY: valid buffers and out-pointers throughout.
    unsafe {
        let bad = b"caf\xc3";
        assert_eq!(
            tactful_engine_assess(engine, bad.as_ptr().cast(), 4, null(), &mut a),
            tactful_result::InvalidUtf8
        );
        assert!(last_message().contains("UTF-8"));
        assert_eq!(
            tactful_engine_assess(engine, "".as_ptr().cast(), 0, null(), &mut a),
            tactful_result::EmptyInput
        );
        assert!(a.is_null());

        let pb = "version = 1\ncolour = 3\n";
        let mut e = null_mut();
        let r = tactful_engine_from_playbook_text(pb.as_ptr().cast(), pb.len(), &mut e);
        assert_eq!(r, tactful_result::InvalidPlaybook);
        assert!(e.is_null());
        assert_eq!(tactful_last_error_code(), tactful_result::InvalidPlaybook);
        assert!(last_message().contains("colour"));

        let broken = "version = 1\ncategories = [\n";
        let r = tactful_engine_from_playbook_text(broken.as_ptr().cast(), broken.len(), &mut e);
        assert_eq!(r, tactful_result::InvalidPlaybook);
        assert!(
            tactful_last_error_line() >= 2,
            "line {}",
            tactful_last_error_line()
        );

        let path = "/nonexistent/playbook.toml";
        let r = tactful_engine_from_playbook_path(path.as_ptr().cast(), path.len(), &mut e);
        assert_eq!(r, tactful_result::Io);
        assert!(last_message().contains(path));

        let default = core::Playbook::default_toml();
        let r = tactful_engine_from_playbook_text(default.as_ptr().cast(), default.len(), &mut e);
        assert_eq!(r, tactful_result::Ok);
        tactful_engine_free(e);

        let json = r#"{"channel":"chat","colour":1}"#;
        let mut c = null_mut();
        let r = tactful_context_from_json(json.as_ptr().cast(), json.len(), &mut c);
        assert_eq!(r, tactful_result::InvalidContext);
        assert!(c.is_null());
        assert_eq!(take_string(tactful_last_error_field()), "colour");

        let ctx = tactful_context_new();
        assert_eq!(
            tactful_context_set_csat(ctx, 9),
            tactful_result::InvalidContext
        );
        assert_eq!(
            tactful_context_set_csat(ctx, 70000),
            tactful_result::InvalidContext
        );
        assert_eq!(tactful_context_set_csat(ctx, 4), tactful_result::Ok);
        assert_eq!(
            tactful_context_set_nps(ctx, 11),
            tactful_result::InvalidContext
        );
        assert_eq!(
            tactful_context_set_channel(ctx, 99),
            tactful_result::UnknownValue
        );
        assert_eq!(
            tactful_context_set_relationship(ctx, 3),
            tactful_result::UnknownValue
        );
        assert_eq!(
            tactful_context_set_channel(ctx, tactful_channel::Chat as u32),
            tactful_result::Ok
        );
        assert_eq!(
            tactful_context_set_relationship(ctx, tactful_relationship::HighValue as u32),
            tactful_result::Ok
        );
        let long = "x".repeat(200);
        assert_eq!(
            tactful_context_set_customer_name(ctx, long.as_ptr().cast(), long.len()),
            tactful_result::InvalidContext
        );
        let name = "Maria";
        assert_eq!(
            tactful_context_set_customer_name(ctx, name.as_ptr().cast(), name.len()),
            tactful_result::Ok
        );
        let alt = "store credit";
        assert_eq!(
            tactful_context_add_allowed_alternative(ctx, alt.as_ptr().cast(), alt.len()),
            tactful_result::Ok
        );
        assert_eq!(
            tactful_context_set_policy_conflict(ctx, true),
            tactful_result::Ok
        );
        let expected = core::Context::builder()
            .channel(core::Channel::Chat)
            .relationship(core::Relationship::HighValue)
            .past_feedback(core::PastFeedback::Csat(4))
            .customer_name("Maria")
            .allowed_alternative("store credit")
            .policy_conflict(true)
            .build()
            .unwrap();
        let text = "I want my money back for the broken blender.";
        let mut a = null_mut();
        assert_eq!(
            tactful_engine_assess(engine, text.as_ptr().cast(), text.len(), ctx, &mut a),
            tactful_result::Ok
        );
        let mut json = null_mut();
        assert_eq!(tactful_assessment_to_json(a, &mut json), tactful_result::Ok);
        let rust = core::Engine::builder()
            .build()
            .unwrap()
            .assess(text, &expected)
            .unwrap();
        assert_eq!(
            take_string(json),
            rust.to_json(),
            "the context set through C is the Rust one"
        );
        tactful_assessment_free(a);
        tactful_context_free(ctx);
        tactful_engine_free(engine);
    }
}

#[test]
fn builder_options_and_input_limit() {
    // SAFETY: valid pointers throughout; the builder is consumed by build.
    unsafe {
        let b = tactful_engine_builder_new();
        assert_eq!(
            tactful_engine_builder_set_max_input_bytes(b, 64),
            tactful_result::Ok
        );
        assert_eq!(
            tactful_engine_builder_set_rules_only(b, true),
            tactful_result::Ok
        );
        let broken = "{\"version\": 1,";
        assert_eq!(
            tactful_engine_builder_set_playbook_text(b, broken.as_ptr().cast(), broken.len()),
            tactful_result::InvalidPlaybook
        );
        let mut e = null_mut();
        assert_eq!(tactful_engine_builder_build(b, &mut e), tactful_result::Ok);
        assert!(!tactful_engine_has_models(e));
        assert_eq!(tactful_engine_max_input_bytes(e), 64);
        let text = "a".repeat(65);
        let mut a = null_mut();
        assert_eq!(
            tactful_engine_assess(e, text.as_ptr().cast(), text.len(), null(), &mut a),
            tactful_result::InputTooLarge
        );
        let clone = tactful_engine_clone(e);
        tactful_engine_free(e);
        assert_eq!(
            tactful_engine_max_input_bytes(clone),
            64,
            "a clone outlives the original handle"
        );
        tactful_engine_free(clone);

        let b = tactful_engine_builder_new();
        assert_eq!(
            tactful_engine_builder_set_max_input_bytes(b, 0),
            tactful_result::Ok
        );
        assert_eq!(
            tactful_engine_builder_build(b, &mut e),
            tactful_result::InvalidOption
        );

        let b = tactful_engine_builder_new();
        let junk = [0u8, 1, 2, 3];
        assert_eq!(
            tactful_engine_builder_set_model_bytes(b, junk.as_ptr(), junk.len()),
            tactful_result::Ok
        );
        assert_eq!(
            tactful_engine_builder_build(b, &mut e),
            tactful_result::InvalidModel
        );
        let b = tactful_engine_builder_new();
        tactful_engine_builder_free(b);
    }
}

#[test]
fn nul_in_a_name_is_dropped_from_the_opening() {
    let engine = new_engine();
    // SAFETY: valid pointers throughout.
    unsafe {
        let ctx = tactful_context_new();
        let name = "Ma\0ria";
        assert_eq!(
            tactful_context_set_customer_name(ctx, name.as_ptr().cast(), name.len()),
            tactful_result::Ok
        );
        let text = "My card was stolen, block it!";
        let mut a = null_mut();
        assert_eq!(
            tactful_engine_assess(engine, text.as_ptr().cast(), text.len(), ctx, &mut a),
            tactful_result::Ok
        );
        let mut o = null_mut();
        assert_eq!(tactful_assessment_opening(a, &mut o), tactful_result::Ok);
        let opening = take_string(o);
        assert!(!opening.contains('\0'));
        tactful_assessment_free(a);
        tactful_context_free(ctx);
        tactful_engine_free(engine);
    }
}

#[test]
fn reply_review_matches_the_rust_engine() {
    let engine = new_engine();
    let rust = core::Engine::builder().build().unwrap();
    let customer = "Someone took $450 from my card, I did not make this payment!";
    let draft = "We apologize for any inconvenience. Please be advised that you should have kept your card safe.";
    let json = r#"{"customer_name":"Maria","channel":"chat"}"#;
    let ctx = core::Context::from_json(json).unwrap();
    // SAFETY: valid buffers, live objects and out-pointers throughout.
    unsafe {
        let mut c = null_mut();
        assert_eq!(
            tactful_context_from_json(json.as_ptr().cast(), json.len(), &mut c),
            tactful_result::Ok
        );
        let mut r = null_mut();
        let res = tactful_engine_review_reply(
            engine,
            customer.as_ptr().cast(),
            customer.len(),
            draft.as_ptr().cast(),
            draft.len(),
            c,
            &mut r,
        );
        assert_eq!(res, tactful_result::Ok);
        let expected = rust.review_reply(customer, draft, &ctx).unwrap();
        assert_eq!(tactful_review_score(r), i32::from(expected.score));
        assert_eq!(tactful_review_approach(r) as u32, expected.approach.code());
        assert_eq!(
            tactful_review_expected_empathy(r) as u32,
            expected.expected_empathy.code()
        );
        assert_eq!(
            tactful_review_empathy_total(r),
            i32::from(expected.empathy.total())
        );
        assert_eq!(tactful_review_finding_count(r), expected.findings.len());
        for (i, f) in expected.findings.iter().enumerate() {
            assert_eq!(borrowed(tactful_review_finding_code(r, i)), f.code.as_str());
            assert_eq!(borrowed(tactful_review_finding_message(r, i)), f.message);
            assert_eq!(
                tactful_review_finding_severity(r, i) as u32,
                f.severity as u32
            );
            assert!(tactful_review_has_finding(
                r,
                f.code.as_str().as_ptr().cast(),
                f.code.as_str().len()
            ));
        }
        assert!(tactful_review_finding_code(r, expected.findings.len()).is_null());
        assert_eq!(
            tactful_review_suggestion_count(r),
            expected.suggestions.len()
        );
        for (i, s) in expected.suggestions.iter().enumerate() {
            assert_eq!(borrowed(tactful_review_suggestion_at(r, i)), s);
        }
        let mut out = null_mut();
        assert_eq!(tactful_review_to_json(r, &mut out), tactful_result::Ok);
        assert_eq!(take_string(out), expected.to_json());
        tactful_review_free(r);

        // Against an existing assessment.
        let mut a = null_mut();
        assert_eq!(
            tactful_engine_assess(engine, customer.as_ptr().cast(), customer.len(), c, &mut a),
            tactful_result::Ok
        );
        let mut r = null_mut();
        assert_eq!(
            tactful_engine_review_reply_for(
                engine,
                a,
                draft.as_ptr().cast(),
                draft.len(),
                c,
                &mut r
            ),
            tactful_result::Ok
        );
        let expected = rust
            .review_reply_for(&rust.assess(customer, &ctx).unwrap(), draft, &ctx)
            .unwrap();
        let mut out = null_mut();
        assert_eq!(tactful_review_to_json(r, &mut out), tactful_result::Ok);
        assert_eq!(take_string(out), expected.to_json());
        tactful_review_free(r);

        // Errors and NULLs.
        let mut r = null_mut();
        assert_eq!(
            tactful_engine_review_reply(
                engine,
                customer.as_ptr().cast(),
                customer.len(),
                " ".as_ptr().cast(),
                1,
                c,
                &mut r
            ),
            tactful_result::EmptyInput
        );
        assert_eq!(
            tactful_engine_review_reply(
                engine,
                null(),
                0,
                draft.as_ptr().cast(),
                draft.len(),
                c,
                &mut r
            ),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_engine_review_reply_for(
                engine,
                null(),
                draft.as_ptr().cast(),
                draft.len(),
                c,
                &mut r
            ),
            tactful_result::NullParameter
        );
        assert!(r.is_null());
        assert_eq!(tactful_review_score(null()), -1);
        assert_eq!(tactful_review_finding_count(null()), 0);
        assert_eq!(
            tactful_review_finding_severity(null(), 0),
            tactful_severity::Unknown
        );
        assert!(!tactful_review_has_finding(
            null(),
            "blame".as_ptr().cast(),
            5
        ));
        assert_eq!(
            tactful_review_to_json(null(), &mut null_mut()),
            tactful_result::NullParameter
        );
        tactful_review_free(null_mut());
        tactful_assessment_free(a);
        tactful_context_free(c);
        tactful_engine_free(engine);
    }
}

#[test]
fn conversation_matches_the_rust_tracker() {
    let engine = new_engine();
    let turns: [(bool, &str, i64); 5] = [
        (true, "My card was charged twice for order 4411!", 0),
        (false, "I'm so sorry you feel that way.", 30),
        (true, "Stop apologizing and just fix it!", 60),
        (
            false,
            "I've refunded the second charge; you'll see it within 3 days.",
            90,
        ),
        (true, "Thanks, that's all I needed.", -1),
    ];
    let mut rust = core::Conversation::new(
        core::Engine::builder().build().unwrap(),
        core::Context::default(),
    );
    // SAFETY: live objects and valid buffers throughout.
    unsafe {
        let mut c = null_mut();
        assert_eq!(
            tactful_conversation_new(engine, null(), &mut c),
            tactful_result::Ok
        );
        tactful_engine_free(engine); // the conversation keeps its own reference
        assert_eq!(tactful_conversation_approach(c), tactful_approach::Unknown);
        for (customer, text, ts) in turns {
            let rust_ts = u64::try_from(ts).ok();
            let view = if customer {
                rust.push_customer(text, rust_ts).unwrap()
            } else {
                rust.push_agent(text, rust_ts).unwrap()
            };
            let mut t = null_mut();
            let r = if customer {
                tactful_conversation_push_customer(c, text.as_ptr().cast(), text.len(), ts, &mut t)
            } else {
                tactful_conversation_push_agent(c, text.as_ptr().cast(), text.len(), ts, &mut t)
            };
            assert_eq!(r, tactful_result::Ok);
            assert_eq!(tactful_turn_index(t), view.index);
            assert_eq!(tactful_turn_assessment(t).is_null(), !customer);
            assert_eq!(tactful_turn_review(t).is_null(), customer);
            if customer {
                let mut j = null_mut();
                assert_eq!(
                    tactful_assessment_to_json(tactful_turn_assessment(t), &mut j),
                    tactful_result::Ok
                );
                assert_eq!(take_string(j), view.assessment.as_ref().unwrap().to_json());
            } else {
                assert_eq!(
                    tactful_review_score(tactful_turn_review(t)),
                    i32::from(view.review.as_ref().unwrap().score)
                );
            }
            let mut j = null_mut();
            assert_eq!(tactful_turn_to_json(t, &mut j), tactful_result::Ok);
            assert_eq!(take_string(j), serde_json::to_string(&view).unwrap());
            tactful_turn_free(t);
            let s = rust.state();
            assert_eq!(tactful_conversation_turn_count(c), s.turns);
            assert_eq!(tactful_conversation_heat(c), s.heat);
            assert_eq!(tactful_conversation_action_mode(c), s.action_mode);
            assert_eq!(
                tactful_conversation_offer_supervisor(c),
                s.escalation.offer_supervisor
            );
            assert_eq!(tactful_conversation_repetitions(c), s.repetitions);
            assert_eq!(
                tactful_conversation_empathy_landed(c),
                s.empathy_landed.map_or(-1, i32::from)
            );
            let approach = s.recommendation.as_ref().map(|r| r.approach.code());
            assert_eq!(Some(tactful_conversation_approach(c) as u32), approach);
            let mut j = null_mut();
            assert_eq!(
                tactful_conversation_state_to_json(c, &mut j),
                tactful_result::Ok
            );
            assert_eq!(take_string(j), serde_json::to_string(s).unwrap());
        }
        // A timestamp going backwards is an invalid turn and changes nothing; NULL out is fine.
        let text = "Hello again";
        let before = tactful_conversation_turn_count(c);
        assert_eq!(
            tactful_conversation_push_customer(
                c,
                text.as_ptr().cast(),
                text.len(),
                200,
                null_mut()
            ),
            tactful_result::Ok
        );
        assert_eq!(
            tactful_conversation_push_customer(
                c,
                text.as_ptr().cast(),
                text.len(),
                100,
                null_mut()
            ),
            tactful_result::InvalidTurn
        );
        assert_eq!(tactful_conversation_turn_count(c), before + 1);
        assert_eq!(
            tactful_conversation_push_agent(c, "".as_ptr().cast(), 0, -1, null_mut()),
            tactful_result::EmptyInput
        );
        assert_eq!(
            tactful_conversation_push_agent(null_mut(), text.as_ptr().cast(), 1, -1, null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_conversation_push_customer(c, null(), 1, -1, null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_conversation_new(null(), null(), &mut null_mut()),
            tactful_result::NullParameter
        );
        assert_eq!(
            tactful_conversation_state_to_json(null(), &mut null_mut()),
            tactful_result::NullParameter
        );
        assert!(tactful_conversation_heat(null()).is_nan());
        assert!(tactful_turn_assessment(null()).is_null());
        assert_eq!(
            tactful_turn_to_json(null(), &mut null_mut()),
            tactful_result::NullParameter
        );
        tactful_turn_free(null_mut());
        tactful_conversation_free(null_mut());
        tactful_conversation_free(c);
    }
}
