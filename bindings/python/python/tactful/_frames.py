"""Columnar helpers for notebooks: pandas and Arrow in, flat columns out.

The work happens in Rust, in parallel, with the GIL released: worker threads write the result
columns straight into Arrow buffers. ``assess_arrow`` hands those buffers to pyarrow through
the Arrow C data interface (no copy, no Python object per row); ``assess_frame`` reads the same
columns as raw little-endian bytes (numbers, dictionary codes) plus the opening / error / flags
values pandas itself holds as Python objects. pandas and pyarrow are optional and imported only
when these functions are called.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _tactful
from ._context import Context

__all__ = ["COLUMNS", "assess_frame", "assess_arrow", "default_engine"]

#: The columns of :func:`assess_frame` and :func:`assess_arrow`, in order.
COLUMNS = (
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
)

_LABELS = ("category", "emotion", "urgency", "stance", "style", "approach", "empathy")

ContextLike = Union[Context, Mapping[str, Any], str, None]


_DEFAULT: List[_tactful.Engine] = []


def default_engine() -> _tactful.Engine:
    """The engine with the embedded playbook and models, built once per process.

    (Two threads racing on the first call may each build one; both are identical.)
    """
    if not _DEFAULT:
        _DEFAULT.append(_tactful.Engine())
    return _DEFAULT[0]


def _need(module: str, extra: str) -> Any:
    try:
        return __import__(module)
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"this function needs {module}: pip install 'tactful[{extra}]'"
        ) from e


def assess_frame(
    df: Any,
    text: str = "text",
    *,
    engine: Optional[_tactful.Engine] = None,
    context: ContextLike = None,
    context_column: Optional[str] = None,
) -> Any:
    """Assesses every row of ``df[text]`` (a pandas DataFrame) and returns a DataFrame of
    flat columns (see :data:`COLUMNS`).

    The result has ``df``'s index, so ``df.join(assess_frame(df))`` puts them side by side.
    Label columns are ``category`` dtype; failed rows (empty or missing text, bad context) have
    NaN/missing values and a message in ``error`` instead of failing the whole frame.
    ``context`` applies to every row; ``context_column`` names a column of per-row contexts
    (dicts, JSON strings or None).
    """
    pd = _need("pandas", "pandas")
    import numpy as np

    if text not in df.columns:
        raise KeyError(f"no column {text!r} in the DataFrame")
    column = df[text]
    contexts = df[context_column].tolist() if context_column is not None else None
    chunks = _arrow_chunks(column)
    if chunks is not None:  # Arrow-backed strings: read in place, no Python str per row
        capsules = [c.__arrow_c_array__() for c in chunks]
        raw = _tactful._columns_from_arrow(
            engine or default_engine(), capsules, context, contexts, True
        )
    else:
        raw = _tactful._columns_from_texts(
            engine or default_engine(), column.tolist(), context, contexts, True
        )
    n = raw["length"]
    data: Dict[str, Any] = {}
    labels = raw["labels"]
    floats = raw["float64"]
    for name in COLUMNS:
        if name in labels:
            codes, dtype, names = labels[name]
            data[name] = pd.Categorical.from_codes(
                np.frombuffer(codes, dtype=np.dtype(dtype).newbyteorder("<")),
                categories=names,
            )
        elif name in floats:
            data[name] = np.frombuffer(floats[name], dtype="<f8").copy()
        elif name == "flags":
            data[name] = [list(f) if f is not None else None for f in raw["flags"]]
        else:
            data[name] = pd.array(raw[name], dtype="string") if n else pd.array([], dtype="string")
    return pd.DataFrame(data, index=df.index, columns=list(COLUMNS))


def _arrow_chunks(column: Any) -> Optional[List[Any]]:
    """The Arrow chunks behind a pandas string column stored in Arrow, else None."""
    dtype = column.dtype
    storage = getattr(dtype, "storage", None)
    if not (str(storage).startswith("pyarrow") or type(dtype).__name__ == "ArrowDtype"):
        return None
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        return None
    try:
        return _string_chunks(pa, pa.chunked_array(pa.array(column.array)))
    except (TypeError, pa.ArrowInvalid):
        return None


def _string_chunks(pa: Any, texts: Any) -> List[Any]:
    """The texts as Arrow utf8/large_utf8/binary/large_binary arrays (one per chunk)."""
    if isinstance(texts, pa.Table):
        raise TypeError("pass one column of the table, e.g. table['text']")
    if isinstance(texts, pa.ChunkedArray):
        chunks = list(texts.chunks)
        typ = texts.type
    elif isinstance(texts, pa.Array):
        chunks = [texts]
        typ = texts.type
    elif hasattr(texts, "__arrow_c_array__") or hasattr(texts, "__arrow_c_stream__"):
        arr = pa.array(texts) if hasattr(texts, "__arrow_c_array__") else pa.chunked_array(texts)
        return _string_chunks(pa, arr)
    elif isinstance(texts, (str, bytes)):
        raise TypeError(f"texts must be an Arrow string array or a sequence of str, not {type(texts).__name__}")
    else:
        chunks = [pa.array(texts, type=pa.large_string())]
        typ = pa.large_string()
    if (
        pa.types.is_string(typ)
        or pa.types.is_large_string(typ)
        or pa.types.is_binary(typ)
        or pa.types.is_large_binary(typ)
    ):
        return chunks
    if pa.types.is_dictionary(typ) or getattr(pa.types, "is_string_view", lambda t: False)(typ):
        return [c.cast(pa.large_string()) for c in chunks]
    raise TypeError(f"texts must be an Arrow string array, not {typ}")


def assess_arrow(
    texts: Any,
    *,
    engine: Optional[_tactful.Engine] = None,
    context: ContextLike = None,
    contexts: Optional[Sequence[ContextLike]] = None,
) -> Any:
    """Assesses an Arrow string array / chunked array (e.g. ``table["text"]``) into a
    ``pyarrow.Table``.

    The strings are read in place through the Arrow C data interface; worker threads write
    the result columns into Rust buffers that pyarrow takes over through the same interface,
    without a copy and with no Python object per row. The table has one chunk per batch of
    rows a worker assessed. Label columns are dictionary-encoded (int8 codes, int16 for
    ``category``); ``opening`` is ``dictionary<int32, large_string>`` (the same opening is
    stored once per chunk); ``flags`` is ``list<dictionary<int8, string>>``; ``error`` is
    ``large_string``. Null or empty texts give a null row with a message in
    ``error``; so does a row that is not valid UTF-8 (in a ``binary`` / ``large_binary``
    column, or a string column built without validation): one bad row never fails the call. ``contexts`` (a sequence or Arrow column of dict / JSON text / None) gives one
    context per row.
    """
    pa = _need("pyarrow", "arrow")
    chunks = _string_chunks(pa, texts)
    if contexts is not None and hasattr(contexts, "to_pylist"):  # an Arrow column of JSON text
        contexts = contexts.to_pylist()
    capsules = [c.__arrow_c_array__() for c in chunks]
    pairs = _tactful._columns_from_arrow(
        engine or default_engine(), capsules, context, contexts, False
    )
    return _to_table(pa, pairs)


def _to_table(pa: Any, pairs: List[Any]) -> Any:
    """The record batches built in Rust, imported through the Arrow C data interface (the
    capsules hand pyarrow the Rust buffers; nothing is copied)."""
    batches = [pa.RecordBatch._import_from_c_capsule(schema, array) for schema, array in pairs]
    return pa.Table.from_batches(batches)
