"""The literal types of the stubs list exactly the vocabulary the native module reports."""

import ast
import json
import re
import typing
from pathlib import Path

import pytest

import tactful

STUB = Path(tactful.__file__).with_name("_tactful.pyi")


def _literals() -> dict:
    """`_Name = Literal[...]` assignments of the stub file, as name -> tuple of strings."""
    out = {}
    for node in ast.parse(STUB.read_text(encoding="utf-8")).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target, value = node.targets[0], node.value
        if not (isinstance(target, ast.Name) and isinstance(value, ast.Subscript)):
            continue
        if getattr(value.value, "id", None) != "Literal":
            continue
        elts = value.slice.elts if isinstance(value.slice, ast.Tuple) else [value.slice]
        out[target.id] = tuple(e.value for e in elts)
    return out


def test_stub_literals_match_the_vocabulary():
    lit = _literals()
    assert lit["_Emotion"] == tuple(tactful.EMOTIONS)
    assert lit["_Urgency"] == tuple(tactful.URGENCIES)
    assert lit["_Stance"] == tuple(tactful.STANCES)
    assert lit["_Style"] == tuple(tactful.STYLES)
    assert lit["_Approach"] == tuple(tactful.APPROACHES)
    assert lit["_Empathy"] == tuple(tactful.EMPATHY_LEVELS)
    assert lit["_Flag"] == tuple(tactful.FLAGS)


def test_results_are_within_their_literal_types():
    lit = _literals()
    a = tactful.Engine().assess("Someone took $900 from my account, block my card now!")
    s, r = a.situation, a.recommendation
    assert s.emotion.label in lit["_Emotion"]
    assert s.urgency in lit["_Urgency"] and s.stance in lit["_Stance"]
    assert s.style in lit["_Style"]
    assert all(f in lit["_Flag"] for f in s.flags)
    assert r.approach in lit["_Approach"] and r.empathy in lit["_Empathy"]


def test_context_literals_match_the_vocabulary():
    from tactful import _context

    assert typing.get_args(_context._Channel) == tuple(tactful.CHANNELS)
    assert typing.get_args(_context._Relationship) == tuple(tactful.RELATIONSHIPS)
    assert tactful.RELATIONSHIPS == ["new", "established", "high_value"]
    assert typing.get_args(_context._PastFeedbackWord) == ("positive", "negative")
    engine = tactful.Engine()
    for word in typing.get_args(_context._PastFeedbackWord):
        engine.assess("Where is my parcel?", context={"past_feedback": word})
    with pytest.raises(tactful.ContextError):
        engine.assess("Where is my parcel?", context={"past_feedback": "neutral"})


def test_context_fields_are_the_core_context_fields():
    fields = list(typing.get_type_hints(tactful.Context))
    assert fields == [
        "channel",
        "customer_name",
        "prior_contacts",
        "past_feedback",
        "relationship",
        "policy_conflict",
        "allowed_alternatives",
        "max_gesture",
    ]
    assert tactful.Context.__required_keys__ == frozenset()
    # The core's own list of fields, from its unknown-field error.
    with pytest.raises(tactful.ContextError) as e:
        tactful.Engine().assess("hi", context={"no_such_field": 1})
    assert re.findall(r"`(\w+)`", str(e.value).split("expected one of", 1)[1]) == fields
    # The stub's context keywords are the same fields, in the same order, on every method.
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    methods = {
        f"{c.name}.{f.name}": [a.arg for a in f.args.kwonlyargs]
        for c in tree.body
        if isinstance(c, ast.ClassDef) and c.name in ("Engine", "Conversation")
        for f in c.body
        if isinstance(f, ast.FunctionDef) and any(a.arg == "context" for a in f.args.kwonlyargs)
    }
    assert sorted(methods) == [
        "Conversation.__new__",
        "Engine.assess",
        "Engine.classify",
        "Engine.recommend",
        "Engine.review_reply",
    ]
    for name, kwargs in methods.items():
        assert kwargs == ["context", *fields], name


def test_a_context_dict_is_the_keywords():
    ctx: tactful.Context = {
        "channel": "email",
        "customer_name": "Maria",
        "prior_contacts": 2,
        "past_feedback": {"csat": 1},
        "relationship": "high_value",
        "policy_conflict": True,
        "allowed_alternatives": ["store credit"],
        "max_gesture": "10% discount",
    }
    assert tactful.Context(**ctx) == ctx and type(tactful.Context(**ctx)) is dict
    engine = tactful.Engine()
    text = "I want a refund for this broken kettle, I've asked twice already."
    by_dict = engine.assess(text, context=ctx)
    assert by_dict == engine.assess(text, **ctx)
    assert by_dict == engine.assess(text, context=json.dumps(ctx))
    assert by_dict != engine.assess(text)
    assert by_dict.recommendation.opening.startswith("Maria")
