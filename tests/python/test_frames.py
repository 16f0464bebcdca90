"""assess_frame (pandas) and assess_arrow (pyarrow) agree with assess, row by row."""

from __future__ import annotations

import math

import pytest

import tactful

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")


def _row_of(a: tactful.Assessment) -> dict:
    s, r = a.situation, a.recommendation
    return {
        "category": s.category.label,
        "category_confidence": s.category.confidence,
        "emotion": s.emotion.label,
        "emotion_confidence": s.emotion.confidence,
        "emotion_intensity": s.emotion.intensity,
        "sentiment": s.sentiment,
        "urgency": s.urgency,
        "stance": s.stance,
        "style": s.style,
        "escalation_risk": s.escalation_risk,
        "churn_risk": s.churn_risk,
        "approach": r.approach,
        "empathy": r.empathy,
        "opening": r.opening,
        "flags": s.flags,
    }


MISSING = "the text is missing (None, NaN or null)"
EMPTY = "the text is empty"


def _check_frame(out, texts, engine, **ctx) -> None:
    assert list(out.columns) == list(tactful.COLUMNS)
    for i, t in enumerate(texts):
        row = out.iloc[i]
        if t is None or not str(t).strip():
            assert row["error"] == (MISSING if t is None else EMPTY)
            assert pd.isna(row["category"]) and math.isnan(row["sentiment"])
            continue
        want = _row_of(engine.assess(t, **ctx))
        got = {k: row[k] for k in want}
        got["flags"] = list(got["flags"])
        assert got == want, t
        assert pd.isna(row["error"])


def test_assess_frame_matches_assess(engine, sample_texts) -> None:
    texts = sample_texts + [None, "   ", float("nan")]
    df = pd.DataFrame({"msg": texts}, index=[f"r{i}" for i in range(len(texts))])
    out = tactful.assess_frame(df, "msg", engine=engine, context={"channel": "chat"})
    assert list(out.index) == list(df.index)
    assert str(out["category"].dtype) == "category" and out["sentiment"].dtype == "float64"
    _check_frame(out, [None if isinstance(t, float) else t for t in texts], engine, channel="chat")


def test_missing_text_is_its_own_error_not_empty(engine) -> None:
    # None, NaN (object column), pandas.NA (string column) and an Arrow null are "missing";
    # "" is "empty". Neither fails the frame, and the other rows are assessed as usual.
    texts = ["My card was stolen, block it", None, float("nan"), "", "Where is my parcel?"]
    out = tactful.assess_frame(pd.DataFrame({"text": texts}), engine=engine)
    assert out["error"].tolist()[1:4] == [MISSING, MISSING, EMPTY]
    assert pd.isna(out["error"][0]) and pd.isna(out["error"][4])
    assert out["category"][0] == engine.assess(texts[0]).situation.category.label
    strings = pd.DataFrame({"text": pd.array(["thanks!", None], dtype="string")})
    assert pd.isna(strings["text"][1]) and strings["text"][1] is pd.NA
    assert tactful.assess_frame(strings, engine=engine)["error"].tolist()[1] == MISSING
    table = tactful.assess_arrow(pa.array(["thanks!", None, ""]), engine=engine)
    assert table.column("error").to_pylist() == [None, MISSING, EMPTY]
    assert table.column("category").null_count == 2
    # a bad context does not hide a missing text
    bad = pd.DataFrame({"text": [None], "ctx": [{"csat": 2}]})
    assert tactful.assess_frame(bad, context_column="ctx", engine=engine)["error"][0] == MISSING


def test_assess_frame_context_column(engine) -> None:
    df = pd.DataFrame({
        "text": ["My card was stolen, block it", "Where is my parcel?", "thanks!"],
        "ctx": [{"customer_name": "Maria"}, '{"channel": "sms"}', None],
    })
    out = tactful.assess_frame(df, context_column="ctx", engine=engine)
    assert out["opening"][0] == engine.assess(df.text[0], customer_name="Maria").recommendation.opening
    assert out["opening"][1] == engine.assess(df.text[1], channel="sms").recommendation.opening
    bad = pd.DataFrame({"text": ["a b c"], "ctx": [{"csat": 2}]})
    assert "unknown field" in tactful.assess_frame(bad, context_column="ctx")["error"][0]


def test_assess_frame_edge_cases(engine) -> None:
    empty = tactful.assess_frame(pd.DataFrame({"text": []}), engine=engine)
    assert len(empty) == 0 and list(empty.columns) == list(tactful.COLUMNS)
    with pytest.raises(KeyError):
        tactful.assess_frame(pd.DataFrame({"x": ["a"]}))
    with pytest.raises(TypeError):
        tactful.assess_frame(pd.DataFrame({"text": ["fine", 42]}))
    # the default engine
    df = pd.DataFrame({"text": ["My card was stolen"]})
    assert tactful.assess_frame(df)["category"][0] == engine.assess("My card was stolen").situation.category.label


def test_assess_arrow_equals_frame(engine, sample_texts) -> None:
    texts = sample_texts + [None, ""]
    frame = tactful.assess_frame(pd.DataFrame({"text": texts}), engine=engine)
    table = tactful.assess_arrow(pa.array(texts), engine=engine)
    assert table.column_names == list(tactful.COLUMNS)
    assert pa.types.is_dictionary(table.schema.field("category").type)
    assert pa.types.is_dictionary(table.schema.field("approach").type)
    back = table.to_pandas()
    for col in tactful.COLUMNS:
        a = frame[col].astype(object).where(frame[col].notna(), None).tolist()
        b = back[col].astype(object).where(back[col].notna(), None).tolist()
        if col == "flags":
            a = [list(x) if x is not None else None for x in a]
            b = [list(x) if x is not None else None for x in b]
        assert a == b, col
    assert table.column("category").null_count == 2
    assert table.column("error").null_count == len(texts) - 2


def test_assess_arrow_inputs(engine, sample_texts) -> None:
    base = tactful.assess_arrow(pa.array(sample_texts), engine=engine)
    # chunked, large_string, sliced, dictionary-encoded, a table column, a plain list
    chunked = pa.chunked_array([sample_texts[:7], sample_texts[7:]])
    assert tactful.assess_arrow(chunked, engine=engine).equals(base)
    assert tactful.assess_arrow(pa.array(sample_texts, pa.large_string()), engine=engine).equals(base)
    sliced = pa.array(["x"] + sample_texts + ["y"]).slice(1, len(sample_texts))
    assert tactful.assess_arrow(sliced, engine=engine).equals(base)
    assert tactful.assess_arrow(pa.array(sample_texts).dictionary_encode(), engine=engine).equals(base)
    table = pa.table({"text": sample_texts})
    assert tactful.assess_arrow(table["text"], engine=engine).equals(base)
    assert tactful.assess_arrow(sample_texts, engine=engine).equals(base)
    with pytest.raises(TypeError):
        tactful.assess_arrow(table, engine=engine)
    with pytest.raises(TypeError):
        tactful.assess_arrow(pa.array([1, 2, 3]), engine=engine)
    with pytest.raises(TypeError):
        tactful.assess_arrow("one string", engine=engine)
    empty = tactful.assess_arrow(pa.array([], pa.string()), engine=engine)
    assert empty.num_rows == 0 and empty.column_names == list(tactful.COLUMNS)


def test_assess_arrow_contexts(engine) -> None:
    texts = ["My card was stolen, block it", "Where is my parcel?"]
    t = tactful.assess_arrow(pa.array(texts), engine=engine, contexts=[{"customer_name": "Maria"}, None])
    assert t.column("opening")[0].as_py() == engine.assess(texts[0], customer_name="Maria").recommendation.opening
    as_column = tactful.assess_arrow(pa.array(texts), engine=engine,
                                     contexts=pa.array(['{"customer_name": "Maria"}', None]))
    assert as_column.equals(t)
    shared = tactful.assess_arrow(pa.array(texts), engine=engine, context={"channel": "email"})
    assert shared.column("opening")[1].as_py() == engine.assess(texts[1], channel="email").recommendation.opening


def test_assess_arrow_many_rows(engine, sample_texts) -> None:
    texts = (sample_texts * (40_000 // len(sample_texts) + 1))[:40_000]  # several internal chunks
    t = tactful.assess_arrow(pa.array(texts), engine=engine)
    assert t.num_rows == 40_000 and t.column("error").null_count == 40_000
    i = 33_333
    assert t.column("opening")[i].as_py() == engine.assess(texts[i]).recommendation.opening


def test_assess_arrow_bad_bytes_and_big_rows(engine) -> None:
    offsets = pa.py_buffer(bytes(pa.array([0, 2, 5], pa.int32()).buffers()[1]))
    bad = pa.Array.from_buffers(pa.string(), 2, [None, offsets, pa.py_buffer(b"ok\xff\xfe!")])
    # One row that is not UTF-8 is an error row; the other rows are assessed.
    t = tactful.assess_arrow(bad, engine=engine)
    assert t.num_rows == 2
    assert t.column("error")[0].as_py() is None
    assert t.column("opening")[0].as_py() == engine.assess("ok").recommendation.opening
    assert t.column("error")[1].as_py() == (
        "the text is not valid UTF-8: invalid utf-8 sequence of 1 bytes from index 0"
    )
    assert t.column("category")[1].as_py() is None
    big = "My card was charged twice and nobody answers. " * 110_000  # ~5 MB
    t = tactful.assess_arrow(pa.array([big, "thanks!"]), engine=engine)
    assert t.column("error").null_count == 2
    small = tactful.Engine(max_input_bytes=1 << 20)
    t = tactful.assess_arrow(pa.array([big, "thanks!"]), engine=small)
    assert "at most" in t.column("error")[0].as_py() and t.column("error")[1].as_py() is None


@pytest.mark.parametrize("typ", ["binary", "large_binary"])
def test_assess_arrow_binary_column_with_a_bad_row(engine, typ) -> None:
    rows = [b"My card was charged twice", b"\xff\xfe not text", None, "Danke schön".encode()]
    t = tactful.assess_arrow(pa.array(rows, type=getattr(pa, typ)()), engine=engine)
    assert t.num_rows == 4
    errors = t.column("error").to_pylist()
    assert errors == [
        None,
        "the text is not valid UTF-8: invalid utf-8 sequence of 1 bytes from index 0",
        MISSING,
        None,
    ]
    expected = engine.assess("My card was charged twice").situation.category.label
    assert t.column("category")[0].as_py() == expected
    assert t.column("opening")[3].as_py() == engine.assess("Danke schön").recommendation.opening
