"""tactful — know when to empathize and when to just fix it.

Reads what a customer wrote (plus what the contact center knows about them) and answers:
what situation is this, and how should the agent respond? A thin layer over the Rust crate
``tactful``: every decision is made there, the same as in the C ABI and the CLI.

>>> import tactful
>>> engine = tactful.Engine()
>>> a = engine.assess("Someone used my card abroad and took $900, block it now!", customer_name="Maria")
>>> a.situation.category.label, a.recommendation.approach     # doctest: +SKIP
('fraud_security', 'resolve_first')

Also: ``engine.review_reply(customer_text, draft)`` scores an agent's draft reply, and
:class:`Conversation` follows a conversation turn by turn. Notebook helpers:
:func:`assess_frame` (pandas) and :func:`assess_arrow` (pyarrow).
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Union

from ._context import Context
from ._errors import (
    ContextError,
    EmptyInputError,
    FileReadError,
    InputTooLargeError,
    MissingTextError,
    ModelError,
    OptionError,
    PlaybookError,
    TactfulError,
    TurnError,
    UnknownValueError,
)
from ._frames import COLUMNS, assess_arrow, assess_frame, default_engine
from ._tactful import (
    APPROACHES,
    CHANNELS,
    EMOTIONS,
    EMPATHY_LEVELS,
    FLAGS,
    RELATIONSHIPS,
    STANCES,
    STYLES,
    URGENCIES,
    Assessment,
    CategoryResult,
    Classification,
    Conversation,
    EmotionResult,
    Engine,
    Evidence,
    Recommendation,
    ReplyReview,
    Situation,
    TurnView,
    __version__,
    default_playbook_toml,
)

__all__ = [
    "APPROACHES",
    "CHANNELS",
    "COLUMNS",
    "EMOTIONS",
    "EMPATHY_LEVELS",
    "FLAGS",
    "RELATIONSHIPS",
    "STANCES",
    "STYLES",
    "URGENCIES",
    "Assessment",
    "CategoryResult",
    "Classification",
    "Context",
    "ContextError",
    "Conversation",
    "EmotionResult",
    "EmptyInputError",
    "Engine",
    "Evidence",
    "FileReadError",
    "InputTooLargeError",
    "MissingTextError",
    "ModelError",
    "OptionError",
    "PlaybookError",
    "Recommendation",
    "ReplyReview",
    "Situation",
    "TactfulError",
    "TurnError",
    "TurnView",
    "UnknownValueError",
    "__version__",
    "assess",
    "assess_arrow",
    "assess_batch",
    "assess_frame",
    "default_engine",
    "default_playbook_toml",
]


def assess(text: str, **context: Any) -> Assessment:
    """``default_engine().assess(text, **context)``: the embedded playbook and models.

    ``assess(text, context=ctx)`` with a :class:`Context` dict covers every field.
    """
    return default_engine().assess(text, **context)


def assess_batch(
    texts: Sequence[Optional[str]],
    contexts: Union[
        None, Context, Mapping[str, Any], str, Sequence[Union[Context, Mapping[str, Any], str, None]]
    ] = None,
    *,
    errors: str = "raise",
) -> List[Union[Assessment, TactfulError]]:
    """``default_engine().assess_batch(texts, contexts, errors=errors)``."""
    return default_engine().assess_batch(texts, contexts, errors=errors)
