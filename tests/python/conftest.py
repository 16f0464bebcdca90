"""Shared fixtures of the Python suite (run by tests/python/run.sh)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List

import pytest

import tactful

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "assess.jsonl"


def datasets_dir() -> Path:
    """`$TACTFUL_DATASETS`, else `<repo>/../shared/datasets` (as CI lays it out)."""
    env = os.environ.get("TACTFUL_DATASETS")
    return Path(env) if env else REPO.parent / "shared" / "datasets"


def load_golden() -> List[Dict[str, Any]]:
    """The shared golden cases (format: tests/golden/README.md)."""
    cases = []
    with open(GOLDEN, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                case = json.loads(line)
                case["_line"] = n
                cases.append(case)
    return cases


@pytest.fixture(scope="session")
def engine() -> tactful.Engine:
    return tactful.Engine()


@pytest.fixture(scope="session")
def golden() -> List[Dict[str, Any]]:
    return load_golden()


@pytest.fixture(scope="session")
def sample_texts(golden: List[Dict[str, Any]]) -> List[str]:
    return [c["text"] for c in golden]
