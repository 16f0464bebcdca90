"""The shared golden cases through Python: the same expectations the Rust suite checks
(tests/golden/README.md), and — when the `tactful` CLI is built — the very same JSON as Rust."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import tactful
from conftest import GOLDEN, REPO, load_golden

CASES = load_golden()

VOCAB = {
    "category": None,  # playbook labels, checked against the engine's categories
    "emotion": tactful.EMOTIONS,
    "urgency": tactful.URGENCIES,
    "stance": tactful.STANCES,
    "style": tactful.STYLES,
    "approach": tactful.APPROACHES,
    "empathy": tactful.EMPATHY_LEVELS,
}
KNOWN_EXPECT = set(VOCAB) | {
    "flags",
    "not_flags",
    "opening_contains",
    "opening_not_contains",
    "min_escalation_risk",
    "max_escalation_risk",
    "min_churn_risk",
    "max_churn_risk",
    "sentiment_sign",
}


def _one_of(v: Any) -> List[str]:
    return [v] if isinstance(v, str) else list(v)


def _sign_ok(sign: str, s: float) -> bool:
    if sign == "positive":
        return s >= 0.05
    if sign == "negative":
        return s <= -0.05
    if sign == "neutral":
        return -0.25 < s < 0.25
    raise AssertionError(f"unknown sentiment sign {sign!r}")


def check(case: Dict[str, Any], a: tactful.Assessment, categories: List[str]) -> List[str]:
    """Every failed expectation of `case` as `field: expected ..., got ...`."""
    s, r = a.situation, a.recommendation
    got = {
        "category": s.category.label,
        "emotion": s.emotion.label,
        "urgency": s.urgency,
        "stance": s.stance,
        "style": s.style,
        "approach": r.approach,
        "empathy": r.empathy,
    }
    fails = []
    for key, want in case["expect"].items():
        assert key in KNOWN_EXPECT, f"{case['id']}: unknown expect key {key!r}"
        if key in VOCAB:
            allowed = VOCAB[key] if VOCAB[key] is not None else categories
            for w in _one_of(want):
                assert w in allowed, f"{case['id']}: {w!r} is not a {key}"
            if got[key] not in _one_of(want):
                fails.append(f"{key}: expected {want}, got {got[key]!r}")
        elif key == "flags":
            missing = [f for f in want if f not in s.flags]
            if missing:
                fails.append(f"flags: missing {missing}, got {s.flags}")
        elif key == "not_flags":
            present = [f for f in want if f in s.flags]
            if present:
                fails.append(f"not_flags: {present} present")
        elif key == "opening_contains":
            if want not in r.opening:
                fails.append(f"opening: {want!r} not in {r.opening!r}")
        elif key == "opening_not_contains":
            present = [w for w in want if w in r.opening]
            if present:
                fails.append(f"opening: {present!r} in {r.opening!r}")
        elif key.startswith(("min_", "max_")):
            value = getattr(s, key[4:])
            ok = value >= want if key.startswith("min_") else value <= want
            if not ok:
                fails.append(f"{key[4:]}: {value} vs {key} {want}")
        elif key == "sentiment_sign":
            if not any(_sign_ok(w, s.sentiment) for w in _one_of(want)):
                fails.append(f"sentiment: {s.sentiment} is not {want}")
    return fails


def test_golden_file_is_readable() -> None:
    assert len(CASES) >= 10, GOLDEN
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for c in CASES:
        assert isinstance(c["text"], str) and c["text"].strip(), c["id"]
        assert c["expect"], c["id"]


def _known_failures() -> set:
    """Case ids listed in tests/golden/known-failures.txt (`id field  # reason`)."""
    ids = set()
    for line in (GOLDEN.parent / "known-failures.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("rules_only "):
            continue
        ids.add(line.split()[0])
    return ids


def test_golden_known_failures(engine: tactful.Engine) -> None:
    """Exact expectations, listed failures, like the Rust suite: through Python, exactly the
    cases listed in tests/golden/known-failures.txt fail. That Python gives the very same
    answers as Rust is checked byte for byte by test_golden_json_equals_rust_cli."""
    failed = set()
    for case in CASES:
        a = engine.assess(case["text"], context=case.get("context"))
        if check(case, a, engine.categories):
            failed.add(case["id"])
    listed = _known_failures() & {c["id"] for c in CASES}
    assert failed - listed == set(), f"new golden failures through Python: {sorted(failed - listed)}"
    assert listed - failed == set(), f"listed as failing but passing: {sorted(listed - failed)}"


def test_golden_batch_equals_single(engine: tactful.Engine) -> None:
    texts = [c["text"] for c in CASES]
    contexts = [c.get("context") for c in CASES]
    batch = engine.assess_batch(texts, contexts)
    for c, b in zip(CASES, batch):
        assert b == engine.assess(c["text"], context=c.get("context")), c["id"]


def _cli() -> Optional[Path]:
    env = os.environ.get("TACTFUL_CLI")
    if env:
        return Path(env)
    targets = [os.environ.get("CARGO_TARGET_DIR"), str(REPO / "target")]
    for t in filter(None, targets):
        for profile in ("release", "debug"):
            p = Path(t) / profile / "tactful"
            if p.is_file() and os.access(p, os.X_OK):
                return p
    found = shutil.which("tactful")
    return Path(found) if found else None


def _stale(cli: Path) -> bool:
    """True when the core or CLI sources changed after this binary was built."""
    built = cli.stat().st_mtime
    roots = [REPO / "crates" / "tactful", REPO / "crates" / "tactful-cli" / "src"]
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and "target" not in path.parts and path.stat().st_mtime > built:
                return True
    return False


def test_golden_json_equals_rust_cli(engine: tactful.Engine, tmp_path: Path) -> None:
    """Python's assessment JSON is byte-for-byte the Rust CLI's for every golden case."""
    cli = _cli()
    if cli is None:
        pytest.skip("the tactful CLI is not built (cargo build -p tactful-cli, or set TACTFUL_CLI)")
    if "TACTFUL_CLI" not in os.environ and _stale(cli):
        pytest.skip(f"{cli} is older than the sources: cargo build -p tactful-cli (run.sh does)")
    lines = [json.dumps({"id": c["id"], "text": c["text"], "context": c.get("context")}) for c in CASES]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = subprocess.run(
        [str(cli), "batch", "--input", str(src)], capture_output=True, text=True, check=True
    ).stdout
    rust = {}
    for line in out.splitlines():
        row = json.loads(line)
        assert "assessment" in row, row
        rust[row["id"]] = row["assessment"]
    assert set(rust) == {c["id"] for c in CASES}
    for c in CASES:
        py = engine.assess(c["text"], context=c.get("context")).to_dict()
        assert py == rust[c["id"]], c["id"]
