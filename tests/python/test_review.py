"""Reply review and conversation tracking through Python."""

from __future__ import annotations

import json

import pytest

import tactful

FRAUD = "Someone took $450 from my card, I did not make this payment!"
BAD = "We apologize for any inconvenience. Please be advised that you should have kept your card safe."
GOOD = "Maria, I've blocked the card right now and I'm refunding the $450 to your account within 24 hours."


def test_review_reply(engine: tactful.Engine) -> None:
    bad = engine.review_reply(FRAUD, BAD, customer_name="Maria")
    good = engine.review_reply(FRAUD, GOOD, customer_name="Maria")
    assert bad.has("blame") and bad.score < good.score
    assert 0 <= bad.score <= 100 and bad.suggestions
    assert {f["code"] for f in bad.findings} >= {"blame"}
    assert set(bad.parts) == {"empathy", "action", "tone", "clarity", "personalization", "fit"}
    assert bad.to_dict() == json.loads(bad.to_json())
    assert bad.approach in tactful.APPROACHES and bad.expected_empathy in tactful.EMPATHY_LEVELS
    # against an existing assessment
    a = engine.assess(FRAUD, customer_name="Maria")
    assert engine.review_reply(a, BAD, customer_name="Maria") == bad


def test_review_errors(engine: tactful.Engine) -> None:
    with pytest.raises(tactful.EmptyInputError):
        engine.review_reply(FRAUD, "   ")
    with pytest.raises(TypeError):
        engine.review_reply(FRAUD, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.review_reply(42, "fine reply")  # type: ignore[arg-type]


def test_empathy_mechanisms(engine: tactful.Engine) -> None:
    m = engine.empathy_mechanisms("I'm so sorry. That must be scary. How are you holding up?")
    assert m["emotional_reactions"]["level"] == 2 and m["interpretations"]["level"] == 2


def test_conversation_adapts_when_empathy_backfires(engine: tactful.Engine) -> None:
    c = tactful.Conversation(engine, channel="chat")
    first = c.push_customer("My card was charged twice for order 4411!", 0)
    assert first.speaker == "customer" and isinstance(first.assessment, tactful.Assessment)
    agent = c.push_agent("I'm so sorry you feel that way.", 30)
    assert isinstance(agent.review, tactful.ReplyReview) and agent.waited_seconds == 30
    v = c.push_customer("Stop apologizing and just fix it!", 60)
    assert v.state["empathy_landed"] is False and v.state["action_mode"]
    assert v.state["recommendation"]["approach"] == "resolve_first"
    assert c.state == v.state
    assert [t["speaker"] for t in c.recent_turns()] == ["customer", "agent", "customer"]
    with pytest.raises(tactful.TurnError):
        c.push_customer("and again", 10)  # timestamp goes backwards
    with pytest.raises(tactful.UnknownValueError):
        c.push_turn("robot", "hello")
    assert c.push_turn("agent", "I've reversed the duplicate charge; you'll see it within 2 days.", 90).index == 3
    with pytest.raises(TypeError):
        tactful.Conversation("not an engine")  # type: ignore[arg-type]
