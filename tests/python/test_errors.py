"""Bad input gives the documented exceptions, never a crash or a hang."""

from __future__ import annotations

import pytest

import tactful

ERRORS = [
    (tactful.EmptyInputError, ValueError, 10),
    (tactful.InputTooLargeError, ValueError, 11),
    (tactful.PlaybookError, ValueError, 12),
    (tactful.ContextError, ValueError, 13),
    (tactful.ModelError, ValueError, 14),
    (tactful.FileReadError, OSError, 15),
    (tactful.UnknownValueError, ValueError, 16),
    (tactful.TurnError, ValueError, 17),
    (tactful.OptionError, ValueError, 18),
]


@pytest.mark.parametrize("cls,builtin,code", ERRORS)
def test_hierarchy(cls, builtin, code) -> None:
    assert issubclass(cls, tactful.TactfulError) and issubclass(cls, builtin)
    assert cls.code == code


@pytest.mark.parametrize("bad", [None, b"my card was stolen", 42, 3.5, ["text"], {"text": "x"}])
def test_non_str_text_is_type_error(engine: tactful.Engine, bad) -> None:
    with pytest.raises(TypeError, match="must be str"):
        engine.assess(bad)
    with pytest.raises(TypeError):
        engine.classify(bad)
    if bad is not None:  # None in a batch is a missing text: test_missing_text_in_batch
        with pytest.raises(TypeError, match=r"texts\[1\] must be str"):
            engine.assess_batch(["fine", bad])


def test_missing_text_in_batch(engine: tactful.Engine) -> None:
    assert issubclass(tactful.MissingTextError, tactful.TactfulError)
    assert issubclass(tactful.MissingTextError, ValueError)
    assert not issubclass(tactful.MissingTextError, tactful.EmptyInputError)
    assert tactful.MissingTextError.kind == "missing_text" and tactful.MissingTextError.code == 0
    texts = ["my card was stolen", "thanks!", "", "where is my parcel?", float("nan"), None]
    out = engine.assess_batch(texts, errors="return")
    assert isinstance(out[0], tactful.Assessment) and isinstance(out[3], tactful.Assessment)
    assert type(out[2]) is tactful.EmptyInputError
    for i in (4, 5):
        assert type(out[i]) is tactful.MissingTextError
        assert str(out[i]) == f"texts[{i}]: the text is missing (None, NaN or null)"
        assert out[i].kind == "missing_text" and out[i].code == 0
    # raise: the first failed item, here the missing one, names its row
    with pytest.raises(tactful.MissingTextError, match=r"^texts\[1\]: the text is missing") as e:
        engine.assess_batch(["my card was stolen", None, ""])
    assert e.value.index == 1
    # per-item contexts: still missing, not a context error
    out = engine.assess_batch([None, "a b c"], [{"csat": 2}, None], errors="return")
    assert type(out[0]) is tactful.MissingTextError
    assert tactful.assess_batch([None], errors="return")[0].kind == "missing_text"
    # a single call is not a column: None there stays a TypeError
    with pytest.raises(TypeError):
        engine.assess(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, False])
def test_prior_contacts_rejects_bool(engine: tactful.Engine, value: bool) -> None:
    # True is an int in Python; prior_contacts=True is a mistake, not one prior contact.
    with pytest.raises(TypeError, match="prior_contacts must be an int, not bool"):
        engine.assess("my card was stolen", prior_contacts=value)
    with pytest.raises(TypeError, match="not bool"):
        engine.classify("my card was stolen", prior_contacts=value)
    with pytest.raises(TypeError, match="not bool"):
        engine.review_reply("my card was stolen", "I'm blocking it now.", prior_contacts=value)
    with pytest.raises(TypeError, match="not bool"):
        tactful.Conversation(engine, prior_contacts=value)
    with pytest.raises(tactful.ContextError):
        engine.assess("my card was stolen", context={"prior_contacts": value})
    assert engine.assess("my card was stolen", prior_contacts=1).situation.has("repeat_contact")


def test_batch_of_a_single_string_is_type_error(engine: tactful.Engine) -> None:
    with pytest.raises(TypeError, match="sequence of str"):
        engine.assess_batch("not a list")
    with pytest.raises(TypeError):
        engine.assess_batch(b"bytes")


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty(engine: tactful.Engine, text: str) -> None:
    with pytest.raises(tactful.EmptyInputError) as e:
        engine.assess(text)
    assert e.value.code == 10 and e.value.kind == "empty_input"


def test_five_megabytes_is_fine_and_limit_is_enforced(engine: tactful.Engine) -> None:
    big = ("My card was charged twice and nobody answers the phone. " * 100_000)[: 5 * 1024 * 1024]
    assert len(big.encode()) == 5 * 1024 * 1024
    a = engine.assess(big)
    assert a.situation.category.label in engine.categories
    small = tactful.Engine(max_input_bytes=1024 * 1024)
    with pytest.raises(tactful.InputTooLargeError) as e:
        small.assess(big)
    assert e.value.code == 11
    assert e.value.length == len(big.encode()) and e.value.limit == 1024 * 1024  # type: ignore[attr-defined]


def test_unpaired_surrogate_is_rejected(engine: tactful.Engine) -> None:
    with pytest.raises(UnicodeEncodeError):
        engine.assess("broken \udc80 text")


@pytest.mark.parametrize(
    "playbook,field",
    [
        ("version = 1\ncategories = 3\n", "categories"),
        ('{"version": 1, "categories": [], "approaches": [], "bogus": true}', "bogus"),
        ("this is = = not toml\n", None),
        ({"version": 99, "categories": [], "approaches": []}, None),
    ],
)
def test_malformed_playbook(playbook, field) -> None:
    with pytest.raises(tactful.PlaybookError) as e:
        tactful.Engine(playbook)
    assert e.value.code == 12 and isinstance(e.value, ValueError)
    if field is not None:
        assert field in e.value.field  # type: ignore[attr-defined]


def test_playbook_error_has_a_line() -> None:
    with pytest.raises(tactful.PlaybookError) as e:
        tactful.Engine("version = 1\n\nunknown_key = 5\n")
    assert e.value.line == 3  # type: ignore[attr-defined]


def test_missing_files(tmp_path) -> None:
    with pytest.raises(tactful.FileReadError) as e:
        tactful.Engine(tmp_path / "nope.toml")
    assert e.value.code == 15 and isinstance(e.value, OSError)
    with pytest.raises(tactful.FileReadError):
        tactful.Engine(model=tmp_path / "nope.bin")


def test_bad_model_bytes() -> None:
    with pytest.raises(tactful.ModelError) as e:
        tactful.Engine(model=b"\x00not a model")
    assert e.value.code == 14


def test_wrong_argument_types() -> None:
    with pytest.raises(TypeError):
        tactful.Engine(playbook=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        tactful.Engine(model=3.0)  # type: ignore[arg-type]
    with pytest.raises(tactful.OptionError) as e:
        tactful.Engine(max_input_bytes=0)
    assert e.value.code == 18


@pytest.mark.parametrize(
    "kwargs,mentions",
    [
        ({"channel": "pigeon"}, "pigeon"),
        ({"past_feedback": {"csat": 9}}, "csat"),
        ({"past_feedback": {"nps": 11}}, "nps"),
        ({"context": {"favourite_colour": "red"}}, "favourite_colour"),
        ({"relationship": "cousin"}, "cousin"),
        ({"prior_contacts": -1}, "-1"),
    ],
)
def test_bad_context(engine: tactful.Engine, kwargs, mentions) -> None:
    with pytest.raises(tactful.ContextError) as e:
        engine.assess("my card was stolen", **kwargs)
    assert e.value.code == 13 and isinstance(e.value, ValueError)
    assert mentions in str(e.value)


def test_context_lists_and_phrases_are_capped(engine: tactful.Engine) -> None:
    # The limits live in the core's context validation: 64 alternatives of 256 bytes.
    ok = ["store credit"] * 64
    engine.assess("my refund was refused", allowed_alternatives=ok, max_gesture="x" * 256)
    with pytest.raises(tactful.ContextError) as e:
        engine.assess("my refund was refused", allowed_alternatives=["store credit"] * 100_000)
    assert e.value.code == 13 and e.value.field == "allowed_alternatives"
    assert str(e.value) == (
        "invalid context: allowed_alternatives: 100000 entries, at most 64 are allowed"
    )
    with pytest.raises(tactful.ContextError) as e:
        engine.assess("my refund was refused", allowed_alternatives=["exchange", "y" * 257])
    assert str(e.value) == "invalid context: allowed_alternatives[1]: longer than 256 bytes"
    with pytest.raises(tactful.ContextError) as e:
        engine.assess("my refund was refused", context={"max_gesture": "z" * 257})
    assert str(e.value) == "invalid context: max_gesture: longer than 256 bytes"


def test_context_of_wrong_type(engine: tactful.Engine) -> None:
    with pytest.raises(TypeError):
        engine.assess("x y z", context=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.assess("x y z", channel=5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        engine.assess("x y z", context="{not json")


def test_unknown_flag(engine: tactful.Engine) -> None:
    s = engine.assess("my card was stolen").situation
    with pytest.raises(tactful.UnknownValueError) as e:
        s.has("no_such_flag")
    assert e.value.code == 16
