"""The shared golden reply reviews and conversations (tests/golden/reviews.jsonl and
conversations.jsonl) through Python, with the same rules as the Rust runners
(crates/tactful/tests/review_golden.rs, conversation_golden.rs)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

import tactful
from conftest import REPO

GOLDEN = REPO / "tests" / "golden"


def _read(name: str) -> List[Dict[str, Any]]:
    path = GOLDEN / name
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


REVIEWS = _read("reviews.jsonl")
CONVERSATIONS = _read("conversations.jsonl")


def check(expect: Dict[str, Any], observed: Dict[str, Any]) -> List[str]:
    """`KEY_min`/`KEY_max` compare numbers, `KEY_includes`/`KEY_excludes` list membership,
    any other key must be equal (None matches a missing value)."""
    fails = []
    for key, want in expect.items():
        for suffix in ("_min", "_max", "_includes", "_excludes"):
            if key.endswith(suffix):
                base, op = key[: -len(suffix)], suffix[1:]
                break
        else:
            base, op = key, "eq"
        got = observed.get(base)
        if op == "min":
            ok = isinstance(got, (int, float)) and got >= want
        elif op == "max":
            ok = isinstance(got, (int, float)) and got <= want
        elif op in ("includes", "excludes"):
            wanted = want if isinstance(want, list) else [want]
            have = got or []
            ok = all((w in have) == (op == "includes") for w in wanted)
        else:
            ok = got == want
        if not ok:
            fails.append(f"{key}: expected {want!r}, got {got!r}")
    return fails


def _dedup(codes: List[str]) -> List[str]:
    out: List[str] = []
    for c in codes:
        if not out or out[-1] != c:
            out.append(c)
    return out


def review_case(engine: tactful.Engine, case: Dict[str, Any]) -> tactful.ReplyReview:
    """The customer's message is assessed, then `given` pins parts of the situation."""
    ctx = case.get("context")
    a = engine.assess(case["customer"], context=ctx).to_dict()
    given = case.get("given", {})
    rec, sit = a["recommendation"], a["situation"]
    for key in ("approach", "empathy"):
        if key in given:
            rec[key] = given[key]
    if "emotion" in given:
        sit["emotion"]["label"] = given["emotion"]
    if "intensity" in given:
        sit["emotion"]["intensity"] = given["intensity"]
    for key in ("stance", "style"):
        if key in given:
            sit[key] = given[key]
    for flag in given.get("flags", []):
        assert flag in tactful.FLAGS, flag
        if flag not in sit["flags"]:
            sit["flags"].append(flag)
    return engine.review_reply(tactful.Assessment.from_dict(a), case["reply"], context=ctx)


def review_observed(r: tactful.ReplyReview) -> Dict[str, Any]:
    e, s = r.empathy, r.signals
    return {
        "score": r.score,
        "codes": _dedup([f["code"] for f in r.findings]),
        "approach": r.approach,
        "emotional_reactions": e["emotional_reactions"]["level"],
        "interpretations": e["interpretations"]["level"],
        "explorations": e["explorations"]["level"],
        "empathy_total": sum(e[k]["level"] for k in ("emotional_reactions", "interpretations", "explorations")),
        "ownership": bool(s["ownership"]),
        "next_step": bool(s["next_step"]),
        "time_frame": bool(s["time_frame"]),
        "suggestions": len(r.suggestions),
    }


@pytest.mark.skipif(not REVIEWS, reason="tests/golden/reviews.jsonl not present")
@pytest.mark.parametrize("case", REVIEWS, ids=[c["id"] for c in REVIEWS])
def test_golden_review(engine: tactful.Engine, case: Dict[str, Any]) -> None:
    assert case["expect"], case["id"]
    r = review_case(engine, case)
    fails = check(case["expect"], review_observed(r))
    assert not fails, f"{case['id']}: " + "; ".join(fails) + f" (score {r.score})"


def state_observed(s: Dict[str, Any]) -> Dict[str, Any]:
    rec = s.get("recommendation")
    esc = s["escalation"]
    return {
        **{k: s[k] for k in ("turns", "customer_turns", "agent_turns", "emotion", "sentiment", "heat",
                             "empathy_landed", "action_mode", "repetitions", "customer_waiting_seconds",
                             "longest_wait_seconds", "adaptations")},
        "supervisor_requested": esc["supervisor_requested"],
        "offer_supervisor": esc["offer_supervisor"],
        "offer_reason": esc.get("reason"),
        "approach": rec["approach"] if rec else None,
    }


def turn_observed(v: tactful.TurnView) -> Dict[str, Any]:
    o = state_observed(v.state)
    if v.signals is not None:
        o.update(repeated=v.signals["repeated"], calm=v.signals["calm"], turn_heat=v.signals["heat"])
    if v.review is not None:
        o.update(score=v.review.score, codes=[f["code"] for f in v.review.findings],
                 judged_approach=v.review.approach)
    o["waited_seconds"] = v.waited_seconds
    return o


@pytest.mark.skipif(not CONVERSATIONS, reason="tests/golden/conversations.jsonl not present")
@pytest.mark.parametrize("case", CONVERSATIONS, ids=[c["id"] for c in CONVERSATIONS])
def test_golden_conversation(engine: tactful.Engine, case: Dict[str, Any]) -> None:
    conv = tactful.Conversation(engine, context=case.get("context"))
    fails = []
    for t, turn in enumerate(case["turns"]):
        before = conv.state
        try:
            view = conv.push_turn(turn["speaker"], turn.get("text", ""), turn.get("timestamp"))
        except tactful.TactfulError as e:
            if "expect_error" not in turn:
                fails.append(f"turn {t}: error {e}")
            elif e.kind != turn["expect_error"]:
                fails.append(f"turn {t}: error {e.kind} instead of {turn['expect_error']}")
            if conv.state != before:
                fails.append(f"turn {t}: a failed push changed the state")
            continue
        if "expect_error" in turn:
            fails.append(f"turn {t}: expected error {turn['expect_error']}")
        elif "expect" in turn:
            fails += [f"turn {t}: {f}" for f in check(turn["expect"], turn_observed(view))]
    if "expect_final" in case:
        fails += [f"final: {f}" for f in check(case["expect_final"], state_observed(conv.state))]
    assert not fails, f"{case['id']}: " + "; ".join(fails)
