"""A small sample of customer messages for the scale-out examples (id + text)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATASETS = Path(os.environ.get("TACTFUL_DATASETS", REPO.parent / "shared" / "datasets"))


def load_messages(limit: int) -> pd.DataFrame:
    """`limit` messages with string ids: public datasets when present, else the golden cases."""
    files = [DATASETS / "airline_tweets" / "dev.jsonl", DATASETS / "bitext_customer_support" / "dev.jsonl"]
    files = [f for f in files if f.is_file()] or [REPO / "tests" / "golden" / "assess.jsonl"]
    df = pd.concat([pd.read_json(f, lines=True, dtype={"id": str})[["id", "text"]] for f in files])
    df = df.head(limit).reset_index(drop=True)
    df["id"] = df["id"].astype(str)
    # A missing and a blank message: the distributed path must report them like assess_frame.
    extra = pd.DataFrame({"id": ["blank-1", "missing-1"], "text": ["   ", None]})
    return pd.concat([df, extra], ignore_index=True)
