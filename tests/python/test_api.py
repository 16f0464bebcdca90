"""The Python surface: result objects, conversions, contexts, batch, pickling."""

from __future__ import annotations

import json
import pickle

import pytest

import tactful

FRAUD = "Someone took $450 from my account and I didn't authorize it! Block my card now."


def test_attribute_access_matches_to_dict(engine: tactful.Engine) -> None:
    a = engine.assess(FRAUD, customer_name="Maria", channel="chat", prior_contacts=1)
    d = a.to_dict()
    s, r = a.situation, a.recommendation
    assert s.category.label == d["situation"]["category"]["label"]
    assert s.category.confidence == d["situation"]["category"]["confidence"]
    assert s.category.scores == d["situation"]["category"]["scores"]
    assert s.emotion.label == d["situation"]["emotion"]["label"]
    assert s.emotion.intensity == d["situation"]["emotion"]["intensity"]
    assert s.emotion.scores == d["situation"]["emotion"]["scores"]
    for key in ("sentiment", "urgency", "stance", "style", "escalation_risk", "churn_risk", "flags"):
        assert getattr(s, key) == d["situation"][key], key
    for key in ("approach", "empathy", "tone", "opening", "steps", "avoid", "channel_tips", "rationale"):
        assert getattr(r, key) == d["recommendation"][key], key
    assert [e.to_dict() for e in a.evidence] == d["evidence"]
    assert json.loads(a.to_json()) == d
    assert s.to_dict() == d["situation"] and r.to_dict() == d["recommendation"]
    assert list(s.category.scores) == engine.categories
    assert list(s.emotion.scores) == tactful.EMOTIONS
    assert abs(sum(s.category.scores.values()) - 1) < 1e-9
    assert "repeat_contact" in s.flags and s.has("repeat_contact")
    assert s.category.label in engine.categories
    assert s.urgency in tactful.URGENCIES and r.approach in tactful.APPROACHES


def test_evidence_offsets_are_utf8_bytes(engine: tactful.Engine) -> None:
    text = "J'ai été débité deux fois 😡 de 120 € sur ma carte, remboursez-moi!"
    a = engine.assess(text)
    raw = text.encode()
    for e in a.evidence:
        assert raw[e.start : e.end].decode() == e.text


def test_results_are_immutable(engine: tactful.Engine) -> None:
    a = engine.assess(FRAUD)
    with pytest.raises(AttributeError):
        a.situation = None  # type: ignore[misc]
    with pytest.raises(AttributeError):
        a.recommendation.opening = "hi"  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        engine.max_input_bytes = 3  # type: ignore[misc]


def test_context_keywords_and_mapping_agree(engine: tactful.Engine) -> None:
    ctx = {"channel": "email", "customer_name": "Ana", "prior_contacts": 2,
           "past_feedback": {"csat": 1}, "relationship": "high_value"}
    by_kw = engine.assess(FRAUD, channel="email", customer_name="Ana", prior_contacts=2,
                          past_feedback={"csat": 1}, relationship="high_value")
    assert by_kw == engine.assess(FRAUD, context=ctx)
    assert by_kw == engine.assess(FRAUD, context=json.dumps(ctx))
    # keywords override the mapping
    assert engine.assess(FRAUD, context={"customer_name": "Bob"}, customer_name="Ana").recommendation.opening \
        == engine.assess(FRAUD, customer_name="Ana").recommendation.opening


def test_name_reaches_the_opening(engine: tactful.Engine) -> None:
    a = engine.assess(FRAUD, customer_name="Maria")
    assert "Maria" in a.recommendation.opening


def test_classify_and_recommend_compose(engine: tactful.Engine) -> None:
    c = engine.classify(FRAUD, channel="phone")
    a = engine.assess(FRAUD, channel="phone")
    assert c.situation == a.situation
    assert c.to_dict()["situation"] == a.to_dict()["situation"]
    r = engine.recommend(c.situation, channel="phone")
    assert r.approach == a.recommendation.approach
    with pytest.raises(TypeError):
        engine.recommend("not a situation")  # type: ignore[arg-type]


def test_batch_equals_single(engine: tactful.Engine, sample_texts: list) -> None:
    texts = sample_texts * 3  # > 64 items: the parallel path
    batch = engine.assess_batch(texts)
    assert len(batch) == len(texts)
    for t, b in zip(texts, batch):
        assert b == engine.assess(t)
    shared = engine.assess_batch(texts[:5], {"channel": "chat", "customer_name": "Li"})
    assert shared == [engine.assess(t, channel="chat", customer_name="Li") for t in texts[:5]]
    per = engine.assess_batch(texts[:3], [None, {"channel": "sms"}, '{"prior_contacts": 3}'])
    assert per[1] == engine.assess(texts[1], channel="sms")
    assert per[2] == engine.assess(texts[2], prior_contacts=3)
    assert tactful.assess_batch(texts[:2]) == batch[:2]
    assert tactful.assess(texts[0]) == batch[0]


def test_batch_bad_items(engine: tactful.Engine) -> None:
    out = engine.assess_batch(["my card was stolen", "   ", "thanks!"], errors="return")
    assert isinstance(out[0], tactful.Assessment) and isinstance(out[2], tactful.Assessment)
    assert isinstance(out[1], tactful.EmptyInputError) and out[1].code == 10
    with pytest.raises(tactful.EmptyInputError) as e:
        engine.assess_batch(["my card was stolen", "   "])
    assert e.value.index == 1  # type: ignore[attr-defined]
    bad_ctx = engine.assess_batch(["a b c", "d e f"], [None, {"csat": 3}], errors="return")
    assert isinstance(bad_ctx[0], tactful.Assessment)
    assert isinstance(bad_ctx[1], tactful.ContextError)
    with pytest.raises(ValueError):
        engine.assess_batch(["a"], [None, None])
    with pytest.raises(ValueError):
        engine.assess_batch(["a"], errors="ignore")
    assert engine.assess_batch([]) == []


def test_pickle_round_trip(engine: tactful.Engine) -> None:
    e2 = pickle.loads(pickle.dumps(engine))
    assert e2.assess(FRAUD) == engine.assess(FRAUD)
    custom = tactful.Engine(tactful.default_playbook_toml(), max_input_bytes=1000, rules_only=True)
    c2 = pickle.loads(pickle.dumps(custom))
    assert c2.max_input_bytes == 1000 and not c2.has_models
    assert c2.assess(FRAUD) == custom.assess(FRAUD)


def test_custom_playbook_from_text_dict_and_path(tmp_path, engine: tactful.Engine) -> None:
    toml = tactful.default_playbook_toml()
    path = tmp_path / "pb.toml"
    path.write_text(toml, encoding="utf-8")
    as_dict = json.loads(engine.playbook_json())
    for pb in (toml, str(path), path, as_dict, engine.playbook_json()):
        e = tactful.Engine(pb)
        assert e.categories == engine.categories
        assert e.assess(FRAUD).situation == engine.assess(FRAUD).situation
    assert tactful.Engine(playbook=engine.playbook_toml()).categories == engine.categories


def test_vocabularies() -> None:
    assert "resolve_first" in tactful.APPROACHES and len(tactful.APPROACHES) == 7
    assert tactful.EMOTIONS == ["anger", "frustration", "anxiety", "sadness", "confusion", "neutral", "positive"]
    assert tactful.URGENCIES == ["critical", "high", "normal", "low"]
    assert "in_person" in tactful.CHANNELS and "money_at_risk" in tactful.FLAGS
    assert tactful.__version__
    assert repr(tactful.Engine()).startswith("Engine(")


def test_assessment_from_json_round_trip(engine: tactful.Engine) -> None:
    a = engine.assess(FRAUD, customer_name="Maria")
    assert tactful.Assessment.from_json(a.to_json()) == a
    d = a.to_dict()
    d["recommendation"]["approach"] = "listen_and_validate"
    edited = tactful.Assessment.from_dict(d)
    assert edited.recommendation.approach == "listen_and_validate"
    with pytest.raises(ValueError):
        tactful.Assessment.from_json('{"situation": 1}')
    with pytest.raises(ValueError):
        d["recommendation"]["approach"] = "shrug"
        tactful.Assessment.from_dict(d)
