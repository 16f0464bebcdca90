"""The Python examples are tests too: the notebook on a small sample, Spark and Dask."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

EXAMPLES = REPO / "examples" / "python"
PNGS = ("category_by_approach.png", "emotion_urgency_heatmap.png", "resolve_first_share.png")


def _run(args, timeout: int = 600) -> str:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONUNBUFFERED="1")
    p = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout,
                       env=env, cwd=REPO)
    assert p.returncode == 0, f"{args[0]} failed:\n{p.stdout[-3000:]}\n{p.stderr[-5000:]}"
    return p.stdout


def test_notebook_draws_the_pictures(tmp_path: Path) -> None:
    out = _run([str(EXAMPLES / "transcript_audit.py"), "--limit", "400", "--out", str(tmp_path)])
    assert "messages assessed" in out
    for name in PNGS:
        png = tmp_path / name
        assert png.is_file(), name
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000, name


def _java() -> bool:
    try:
        return subprocess.run(["java", "-version"], capture_output=True).returncode == 0
    except OSError:
        return False


def test_spark_map_in_arrow_equals_assess_frame() -> None:
    pytest.importorskip("pyspark")
    if not _java():
        pytest.skip("Spark needs Java 17 (apt-get install openjdk-17-jre-headless)")
    out = _run([str(EXAMPLES / "spark_audit.py"), "--limit", "300"])
    assert "identical to assess_frame" in out


def test_dask_map_partitions_equals_assess_frame() -> None:
    pytest.importorskip("dask.distributed")
    out = _run([str(EXAMPLES / "dask_audit.py"), "--limit", "300"])
    assert "identical to assess_frame" in out


def test_ipynb_is_current() -> None:
    sys.path.insert(0, str(EXAMPLES))
    from _to_ipynb import render

    py = EXAMPLES / "transcript_audit.py"
    assert py.with_suffix(".ipynb").read_text(encoding="utf-8") == render(py), (
        "regenerate: python examples/python/_to_ipynb.py examples/python/transcript_audit.py"
    )
