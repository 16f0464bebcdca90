"""tactful over a Spark DataFrame with `mapInArrow` — and a check against `assess_frame`.

    python examples/python/spark_audit.py [--limit N]        # local[2], as the tests run it

Each Spark task hands its rows to tactful as Arrow record batches; `tactful.assess_arrow`
reads the text column in place, assesses it in Rust on the task's cores, and returns Arrow
columns: no Python object is made per row on the way in or out.

On a cluster the code is the same; only the executors need the `tactful` wheel:

* install it on every node (`pip install tactful-*.whl` in the image or bootstrap script), or
* ship an environment: `venv-pack -o env.tar.gz` (or `conda-pack`), then
  `spark-submit --master yarn --archives env.tar.gz#env --conf spark.pyspark.python=./env/bin/python spark_audit.py`
  (`spark.archives` in the session config does the same from a notebook).

`--py-files` alone is not enough for tactful: it carries pure-Python code, not the compiled
extension inside the wheel. Executors build one `tactful.Engine` per Python worker (the
default engine is cached per process), so there is nothing to broadcast; a custom playbook
travels with the function (`Engine` pickles to its playbook JSON).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa

import tactful

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sample import load_messages  # noqa: E402

LABELS = ("category", "emotion", "urgency", "stance", "style", "approach", "empathy")
FLOATS = ("category_confidence", "emotion_confidence", "emotion_intensity", "sentiment",
          "escalation_risk", "churn_risk")

# The Spark schema of the result: tactful's flat columns with labels as plain strings.
SCHEMA = ", ".join(
    ["id string"]
    + [f"{c} double" if c in FLOATS else f"{c} string" for c in tactful.COLUMNS if c != "flags"]
    + ["flags array<string>"]
)
OUT_COLUMNS = ["id"] + [c for c in tactful.COLUMNS if c != "flags"] + ["flags"]


def assess_batches(batches):
    """mapInArrow function: Arrow batches of (id, text) in, batches of assessments out."""
    import pyarrow as pa

    import tactful

    for batch in batches:
        table = tactful.assess_arrow(batch.column("text"))
        cols = [batch.column("id")]
        for name in OUT_COLUMNS[1:]:
            col = table.column(name).combine_chunks()
            # Spark has no dictionary or large_string type: decode labels, narrow offsets.
            if name == "flags":
                col = col.cast(pa.list_(pa.string()))
            elif name not in FLOATS:
                col = col.cast(pa.string())
            cols.append(col)
        yield pa.RecordBatch.from_arrays(cols, names=OUT_COLUMNS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--master", default=os.environ.get("SPARK_MASTER", "local[2]"))
    args = parser.parse_args()

    # The executors' Python must be this one (the one with tactful installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(args.master)
        .appName("tactful-audit")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        local = load_messages(args.limit)
        sdf = spark.createDataFrame(local, schema="id string, text string")
        result = sdf.mapInArrow(assess_batches, SCHEMA)

        # What an analyst would do next, on the cluster:
        result.groupBy("category", "approach").count().orderBy("count", ascending=False).show(8)

        got = result.toPandas().set_index("id").sort_index()
        check(local, got)
        print(f"spark: {len(got)} rows assessed with mapInArrow, identical to assess_frame")
    finally:
        spark.stop()


def check(local: pd.DataFrame, got: pd.DataFrame) -> None:
    """The distributed result must equal `assess_frame` on the same rows."""
    want = tactful.assess_frame(local.set_index("id")).sort_index()
    assert list(got.index) == list(want.index), "row ids differ"
    for name in tactful.COLUMNS:
        a = want[name].astype(object).where(want[name].notna(), None).tolist()
        b = got[name].astype(object).where(got[name].notna(), None).tolist()
        if name == "flags":
            a = [list(x) if x is not None else None for x in a]
            b = [list(x) if x is not None else None for x in b]
        assert a == b, f"column {name} differs from assess_frame"


if __name__ == "__main__":
    main()
