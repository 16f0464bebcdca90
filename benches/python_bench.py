"""Throughput of the tactful Python package beside VADER, on the same messages, in one run.

    python benches/python_bench.py [--n 100000] [--repeat 3] [--only arrow,frame] [--json out.json]

Measures texts/s for: `Engine.assess` in a Python loop, `Engine.assess_batch`,
`tactful.assess_frame` (pandas), `tactful.assess_arrow` (pyarrow), and VADER's
`SentimentIntensityAnalyzer.polarity_scores` in a Python loop (vaderSentiment from PyPI; it
only scores sentiment, where tactful also classifies the issue, emotion, urgency, stance and
style and writes a recommendation). Messages: customer texts from the public datasets in
`$TACTFUL_DATASETS` (or `../shared/datasets`), repeated to `--n`; the golden cases when the
datasets are absent. This is a benchmark, not a test: it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Callable, Dict, List

REPO = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("TACTFUL_DATASETS", REPO.parent / "shared" / "datasets"))
SOURCES = [
    "multidogo/train.jsonl",
    "airline_tweets/train.jsonl",
    "banking77/train.jsonl",
    "bitext_customer_support/train.jsonl",
    "complaints_twitter/train.jsonl",
]


def load_texts(n: int) -> List[str]:
    texts: List[str] = []
    for rel in SOURCES:
        path = DATASETS / rel
        if not path.is_file():
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                if row.get("speaker", "customer") == "customer" and str(row.get("text", "")).strip():
                    texts.append(row["text"])
    if not texts:
        with open(REPO / "tests" / "golden" / "assess.jsonl", encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    reps = n // len(texts) + 1
    return (texts * reps)[:n]


REPEAT = 1
ONLY: List[str] = []


def timed(label: str, n: int, fn: Callable[[], object], results: Dict[str, Dict[str, float]]) -> None:
    """Wall-clock texts/s, and texts per CPU-second of this process (which stays meaningful
    when other jobs share the machine: wall/CPU tells how many cores the run really got).
    With `--repeat K` the fastest of K runs is kept; with `--only` paths whose label contains
    none of the given words are skipped."""
    if ONLY and not any(word in label for word in ONLY):
        return
    best = None
    for _ in range(REPEAT):
        t0, start = os.times(), time.perf_counter()
        fn()
        secs = time.perf_counter() - start
        t1 = os.times()
        cpu = (t1.user - t0.user) + (t1.system - t0.system)
        if best is None or secs < best[0]:
            best = (secs, cpu)
    secs, cpu = best
    results[label] = {"texts_per_s": n / secs, "texts_per_cpu_s": n / max(cpu, 1e-9), "cores_used": cpu / secs}
    print(f"{label:<36} {n / secs:>10,.0f} texts/s  {n / max(cpu, 1e-9):>10,.0f} texts/CPU-s  "
          f"{cpu / secs:4.2f} cores  ({secs:5.2f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="keep the fastest of K runs per path")
    parser.add_argument("--only", default="", help="comma-separated words: run only the paths "
                        "whose label contains one (e.g. arrow,frame)")
    args = parser.parse_args()
    global REPEAT, ONLY
    REPEAT = max(1, args.repeat)
    ONLY = [w for w in args.only.split(",") if w]

    import pandas as pd
    import pyarrow as pa

    import tactful

    texts = load_texts(args.n)
    n = len(texts)
    mean_len = sum(len(t) for t in texts) / n
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{n:,} messages, mean {mean_len:.0f} chars; {os.cpu_count()} cores, load average {load:.1f}; "
          f"Python {platform.python_version()}; tactful {tactful.__version__}")
    engine = tactful.Engine()
    engine.assess_batch(texts[:2000])  # warm up: pool threads, lazily parsed data

    results: Dict[str, Dict[str, float]] = {}
    timed("tactful assess (Python loop)", n, lambda: [engine.assess(t) for t in texts], results)
    timed("tactful assess_batch", n, lambda: engine.assess_batch(texts), results)
    df = pd.DataFrame({"text": texts})
    timed("tactful assess_frame (pandas)", n, lambda: tactful.assess_frame(df, engine=engine), results)
    arr = pa.array(texts, pa.string())
    timed("tactful assess_arrow (pyarrow)", n, lambda: tactful.assess_arrow(arr, engine=engine), results)
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("vaderSentiment is not installed: pip install vaderSentiment==3.3.2")
    else:
        vader = SentimentIntensityAnalyzer()
        timed("VADER polarity_scores (Python loop)", n, lambda: [vader.polarity_scores(t) for t in texts], results)
    if args.json:
        args.json.write_text(json.dumps({"n": n, "cores": os.cpu_count(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
