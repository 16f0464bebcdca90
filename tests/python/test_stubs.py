"""The literal types of the stubs list exactly the vocabulary the native module reports."""

import ast
from pathlib import Path

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
