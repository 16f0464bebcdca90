"""``tactful.Context``: what the contact center knows about the customer, as a typed dict.

A ``TypedDict`` is a plain ``dict`` at run time: ``Context(channel="chat")`` is
``{"channel": "chat"}``, and the binding reads it as any other ``context=`` dict (the fields
are the context JSON's, checked by the Rust core). The class exists for type checkers, which
check the keys and the closed vocabularies (``channel``, ``relationship``, the words of
``past_feedback``) of a value annotated ``tactful.Context``.
"""

from __future__ import annotations

from typing import List, Literal, TypedDict, Union

__all__ = ["Context"]

# ``tests/python/test_stubs.py`` checks each against the module's constants.
_Channel = Literal["phone", "chat", "email", "social", "sms", "in_person"]
_Relationship = Literal["new", "established", "high_value"]
_PastFeedbackWord = Literal["positive", "negative"]


class _Csat(TypedDict):
    csat: int


class _Nps(TypedDict):
    nps: int


_PastFeedback = Union[_Csat, _Nps, _PastFeedbackWord]


class Context(TypedDict, total=False):
    """The context of a message; every field is optional.

    >>> import tactful
    >>> ctx: tactful.Context = {"channel": "chat", "customer_name": "Maria", "prior_contacts": 1}
    >>> tactful.Engine().assess("Where is my refund?", context=ctx).situation.flags
    ['repeat_contact']
    """

    channel: _Channel
    """Where the conversation happens (default: unknown, advice stays channel-neutral)."""
    customer_name: str
    """The customer's name, used in the opening line (at most 128 bytes are used)."""
    prior_contacts: int
    """Earlier contacts about this same issue, >= 0; one or more makes a repeat contact."""
    past_feedback: _PastFeedback
    """The last feedback: ``{"csat": 1..5}``, ``{"nps": 0..10}``, ``"positive"``, ``"negative"``."""
    relationship: _Relationship
    """The relationship with the customer (default: unknown)."""
    policy_conflict: bool
    """The request conflicts with policy, e.g. a refund outside the window."""
    allowed_alternatives: List[str]
    """What the agent may offer instead when policy says no (at most 64, 256 bytes each)."""
    max_gesture: str
    """The largest goodwill gesture the agent may offer, e.g. ``"10% discount"``."""
