"""The Arrow result of assess_arrow: the columns built by the worker threads, handed over
through the C data interface. Same values as assess_batch, labels decode to the vocabulary,
order kept across batches, nothing copied and nothing leaked."""

from __future__ import annotations

import gc
import math
from pathlib import Path

import pytest

import tactful

pa = pytest.importorskip("pyarrow")

MISSING = "the text is missing (None, NaN or null)"
EMPTY = "the text is empty"
NOT_UTF8 = "the text is not valid UTF-8: invalid utf-8 sequence of 1 bytes from index 0"

FLOATS = ("category_confidence", "emotion_confidence", "emotion_intensity", "sentiment",
          "escalation_risk", "churn_risk")


def _expected(a: tactful.Assessment) -> dict:
    s, r = a.situation, a.recommendation
    return {
        "category": s.category.label, "category_confidence": s.category.confidence,
        "emotion": s.emotion.label, "emotion_confidence": s.emotion.confidence,
        "emotion_intensity": s.emotion.intensity, "sentiment": s.sentiment,
        "urgency": s.urgency, "stance": s.stance, "style": s.style,
        "escalation_risk": s.escalation_risk, "churn_risk": s.churn_risk,
        "approach": r.approach, "empathy": r.empathy, "opening": r.opening,
        "flags": list(s.flags), "error": None,
    }


def test_mixed_input_gives_the_values_of_assess_batch() -> None:
    engine = tactful.Engine(max_input_bytes=4096)
    long_ok = "My card was charged twice for order 4411 and nobody answers my emails. " * 40  # ~2.9 KB
    too_long = "I want my money back for the broken blender, it cost me $300. " * 80  # 4960 bytes
    rows = [
        "Someone used my card in Madrid last night and took €900. Block it now!".encode(),
        None,
        b"",
        b"\xff\xfe not text",
        long_ok.encode(),
        too_long.encode(),
        "Danke schön, the refund arrived!".encode(),
    ]
    table = tactful.assess_arrow(pa.array(rows, pa.binary()), engine=engine)
    table.validate(full=True)  # the exported buffers are well-formed Arrow
    assert table.column_names == list(tactful.COLUMNS)
    got = table.to_pylist()
    texts = [r.decode() if r is not None and r != b"\xff\xfe not text" else None for r in rows]
    batch = engine.assess_batch([t if t is not None else "" for t in texts], errors="return")
    too_long_error = batch[5]
    assert isinstance(too_long_error, tactful.InputTooLargeError)
    for i, row in enumerate(got):
        if i == 1:
            want_error = MISSING
        elif i == 2:
            want_error = EMPTY
        elif i == 3:
            want_error = NOT_UTF8
        elif i == 5:
            want_error = str(too_long_error)
            assert want_error == "the text is 4960 bytes; this engine accepts at most 4096 bytes"
        else:
            want_error = None
        if want_error is None:
            assert row == _expected(batch[i]), i
        else:
            assert row["error"] == want_error, i
            assert {k: v for k, v in row.items() if k != "error"} == {
                k: None for k in tactful.COLUMNS if k != "error"
            }, i
    assert table.column("category").null_count == 4
    assert table.column("error").null_count == 3
    # a batch where every row failed: empty opening dictionary, still valid
    failed = tactful.assess_arrow(pa.array([None, ""]), engine=engine)
    failed.validate(full=True)
    assert failed.column("opening").to_pylist() == [None, None]
    assert failed.column("error").to_pylist() == [MISSING, EMPTY]


def test_dictionary_columns_decode_to_the_vocabulary(engine, sample_texts) -> None:
    table = tactful.assess_arrow(pa.array(sample_texts + [None]), engine=engine)
    schema = table.schema
    vocab = {
        "emotion": tactful.EMOTIONS, "urgency": tactful.URGENCIES, "stance": tactful.STANCES,
        "style": tactful.STYLES, "approach": tactful.APPROACHES, "empathy": tactful.EMPATHY_LEVELS,
    }
    assert schema.field("category").type == pa.dictionary(pa.int16(), pa.string())
    for name in vocab:
        assert schema.field(name).type == pa.dictionary(pa.int8(), pa.string()), name
    assert schema.field("opening").type == pa.dictionary(pa.int32(), pa.large_string())
    assert schema.field("flags").type == pa.list_(pa.dictionary(pa.int8(), pa.string()))
    assert schema.field("error").type == pa.large_string()
    for name in FLOATS:
        assert schema.field(name).type == pa.float64(), name
    for chunk in table.column("category").chunks:
        assert chunk.dictionary.to_pylist() == engine.categories
    for name, names in vocab.items():
        for chunk in table.column(name).chunks:
            assert chunk.dictionary.to_pylist() == list(names), name
    for chunk in table.column("flags").chunks:
        assert chunk.values.dictionary.to_pylist() == list(tactful.FLAGS)
    # each opening is stored once per chunk
    for chunk in table.column("opening").chunks:
        values = chunk.dictionary.to_pylist()
        assert len(values) == len(set(values))
    want = [engine.assess(t) for t in sample_texts]
    assert table.column("approach").to_pylist() == [a.recommendation.approach for a in want] + [None]
    assert table.column("opening").to_pylist() == [a.recommendation.opening for a in want] + [None]
    assert table.column("flags").to_pylist() == [list(a.situation.flags) for a in want] + [None]
    assert table.column("category").cast(pa.string()).to_pylist() == (
        [a.situation.category.label for a in want] + [None]
    )


def test_many_rows_keep_their_order_across_batches(engine, sample_texts) -> None:
    n = 50_003  # not a multiple of any batch size
    step = 7  # consecutive rows differ, and a batch boundary shifts the pattern
    texts = [sample_texts[(i * step) % len(sample_texts)] for i in range(n)]
    texts[12_345] = None
    table = tactful.assess_arrow(pa.array(texts), engine=engine)
    table.validate(full=True)
    assert table.num_rows == n
    assert table.column("opening").num_chunks > 1
    by_text = {t: engine.assess(t) for t in set(sample_texts)}
    want_cat = [by_text[t].situation.category.label if t is not None else None for t in texts]
    want_open = [by_text[t].recommendation.opening if t is not None else None for t in texts]
    assert table.column("category").to_pylist() == want_cat
    assert table.column("opening").to_pylist() == want_open
    assert table.column("error").to_pylist()[12_344:12_347] == [None, MISSING, None]
    sent = table.column("sentiment").to_pylist()
    assert sent[n - 1] == by_text[texts[n - 1]].situation.sentiment
    assert sent[12_345] is None
    # the pandas path reads the same columns
    frame = tactful.assess_frame(pa.table({"text": texts}).to_pandas(), engine=engine)
    assert frame["category"].astype(object).where(frame["category"].notna(), None).tolist() == want_cat
    assert math.isnan(frame["sentiment"][12_345])


def test_the_result_is_not_copied_into_pyarrow_memory(engine, sample_texts) -> None:
    texts = pa.array((sample_texts * (20_000 // len(sample_texts) + 1))[:20_000])
    gc.collect()
    before = pa.total_allocated_bytes()
    table = tactful.assess_arrow(texts, engine=engine)
    # The buffers are Rust's, taken over through the C data interface: pyarrow's own pool
    # grows by far less than the table's size (it would grow by all of it for a copy).
    assert table.nbytes > 1_000_000
    assert pa.total_allocated_bytes() - before < table.nbytes // 20
    del table


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_repeated_calls_do_not_leak(engine, sample_texts) -> None:
    texts = pa.array((sample_texts * (10_000 // len(sample_texts) + 1))[:10_000])
    for _ in range(3):  # warm up: pool threads, allocator arenas
        tactful.assess_arrow(texts, engine=engine).to_pandas()
    gc.collect()
    before = _rss_kb()
    size = tactful.assess_arrow(texts, engine=engine).nbytes
    for _ in range(20):
        table = tactful.assess_arrow(texts, engine=engine)
        table.column("opening").to_pylist()
        del table
    gc.collect()
    grown = _rss_kb() - before
    # 20 leaked tables would be 20 × `size` (≈ 0.8 MB each); allow a few MB of allocator noise.
    assert size > 500_000
    assert grown * 1024 < 5 * size, (grown, size)
