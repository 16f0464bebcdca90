"""Type stubs of the native module ``tactful._tactful`` (checked by ``mypy.stubtest``)."""

import os
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union, final

from ._context import Context
from ._errors import TactfulError

__all__ = [
    'APPROACHES',
    'Assessment',
    'CHANNELS',
    'CategoryResult',
    'Classification',
    'Conversation',
    'EMOTIONS',
    'EMPATHY_LEVELS',
    'EmotionResult',
    'Engine',
    'Evidence',
    'FLAGS',
    'RELATIONSHIPS',
    'Recommendation',
    'ReplyReview',
    'STANCES',
    'STYLES',
    'Situation',
    'TurnView',
    'URGENCIES',
    '__version__',
    '_columns_from_arrow',
    '_columns_from_texts',
    'default_playbook_toml',
]

__version__: str
EMOTIONS: List[str]
URGENCIES: List[str]
STANCES: List[str]
STYLES: List[str]
APPROACHES: List[str]
EMPATHY_LEVELS: List[str]
CHANNELS: List[str]
FLAGS: List[str]
RELATIONSHIPS: List[str]

# The vocabulary as literal types for results (inputs take ``str`` and are checked at run time).
# ``tests/python/test_stubs.py`` checks each against the module's constants.
_Emotion = Literal['anger', 'frustration', 'anxiety', 'sadness', 'confusion', 'neutral', 'positive']
_Urgency = Literal['critical', 'high', 'normal', 'low']
_Stance = Literal['venting', 'seeking_resolution', 'seeking_information', 'giving_feedback', 'leaving']
_Style = Literal['data_driven', 'experience_driven', 'balanced']
_Approach = Literal[
    'resolve_first',
    'empathize_then_resolve',
    'listen_and_validate',
    'deescalate',
    'inform_concisely',
    'appreciate',
    'retain',
]
_Empathy = Literal['none', 'brief', 'full']
_Flag = Literal[
    'money_at_risk',
    'security',
    'safety',
    'repeat_contact',
    'vulnerable',
    'legal_threat',
    'regulator_threat',
    'chargeback_threat',
    'social_media_threat',
    'churn_threat',
    'profanity',
    'abuse',
    'sarcasm',
    'policy_conflict',
    'high_value',
    'supervisor_requested',
    'shouting',
    'company_at_fault',
    'negative_history',
    'low_confidence',
    'high_value_item',
    'non_english',
]

# `context=`: a `tactful.Context` (a typed dict), any other dict, or the context as JSON text.
# `Mapping[str, Any]` stays so that code passing a `Dict[str, Any]` keeps type-checking; a
# value annotated `tactful.Context` gets its keys and vocabularies checked.
_ContextLike = Union[Context, Mapping[str, Any], str, None]
_PastFeedback = Union[Mapping[str, int], str]

def default_playbook_toml() -> str:
    """The embedded default playbook as TOML text (start a custom playbook from it)."""

@final
class Evidence:
    """A span of the input that supports a decision (byte offsets into the UTF-8 text)."""

    @property
    def signal(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class CategoryResult:
    """The issue category: a playbook label with its confidence and every category's probability."""

    @property
    def label(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def scores(self) -> Dict[str, float]: ...

@final
class EmotionResult:
    """The customer's emotion with its strength."""

    @property
    def label(self) -> _Emotion: ...
    @property
    def confidence(self) -> float: ...
    @property
    def intensity(self) -> float: ...
    @property
    def scores(self) -> Dict[str, float]: ...

@final
class Situation:
    """What situation this is: category, emotion, sentiment, urgency, stance, style, risks, flags."""

    @property
    def category(self) -> CategoryResult: ...
    @property
    def emotion(self) -> EmotionResult: ...
    @property
    def sentiment(self) -> float: ...
    @property
    def urgency(self) -> _Urgency: ...
    @property
    def stance(self) -> _Stance: ...
    @property
    def style(self) -> _Style: ...
    @property
    def escalation_risk(self) -> float: ...
    @property
    def churn_risk(self) -> float: ...
    @property
    def flags(self) -> List[_Flag]: ...
    def has(self, flag: str) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Recommendation:
    """How the agent should respond."""

    @property
    def approach(self) -> _Approach: ...
    @property
    def empathy(self) -> _Empathy: ...
    @property
    def tone(self) -> List[str]: ...
    @property
    def opening(self) -> str: ...
    @property
    def steps(self) -> List[str]: ...
    @property
    def avoid(self) -> List[str]: ...
    @property
    def channel_tips(self) -> List[str]: ...
    @property
    def rationale(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Assessment:
    """What situation this is and how to respond (the result of ``Engine.assess``)."""

    @property
    def situation(self) -> Situation: ...
    @property
    def recommendation(self) -> Recommendation: ...
    @property
    def evidence(self) -> List[Evidence]: ...
    @staticmethod
    def from_json(json: str) -> "Assessment": ...
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> "Assessment": ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Classification:
    """The classifier's output without a recommendation (the result of ``Engine.classify``)."""

    @property
    def situation(self) -> Situation: ...
    @property
    def evidence(self) -> List[Evidence]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Engine:
    """Reads messages and recommends responses. Build one, share it between threads.

    ``context=`` takes every context field at once: a :class:`tactful.Context` dict, any
    dict, or the context as JSON text. The context keywords (``channel=``, ``customer_name=``,
    ...) are the same fields one by one, and override ``context=``; ``prior_contacts`` is an
    ``int`` >= 0 (a ``bool`` is a ``TypeError``, although ``True`` is an ``int`` in Python).
    """

    def __new__(
        cls,
        playbook: Union[str, "os.PathLike[str]", Mapping[str, Any], None] = None,
        *,
        model: Union[str, "os.PathLike[str]", bytes, None] = None,
        rules_only: bool = False,
        max_input_bytes: Optional[int] = None,
    ) -> "Engine": ...
    @staticmethod
    def _from_state(
        playbook_json: Optional[str],
        model: Union[str, bytes, None],
        rules_only: bool,
        max_input_bytes: int,
    ) -> "Engine": ...
    def __reduce__(self) -> Tuple[Any, ...]: ...
    @property
    def has_models(self) -> bool: ...
    @property
    def max_input_bytes(self) -> int: ...
    @property
    def categories(self) -> List[str]: ...
    def playbook_toml(self) -> str: ...
    def playbook_json(self) -> str: ...
    def assess(
        self,
        text: str,
        *,
        context: _ContextLike = None,
        channel: Optional[str] = None,
        customer_name: Optional[str] = None,
        prior_contacts: Optional[int] = None,
        past_feedback: Optional[_PastFeedback] = None,
        relationship: Optional[str] = None,
        policy_conflict: Optional[bool] = None,
        allowed_alternatives: Optional[List[str]] = None,
        max_gesture: Optional[str] = None,
    ) -> Assessment: ...
    def classify(
        self,
        text: str,
        *,
        context: _ContextLike = None,
        channel: Optional[str] = None,
        customer_name: Optional[str] = None,
        prior_contacts: Optional[int] = None,
        past_feedback: Optional[_PastFeedback] = None,
        relationship: Optional[str] = None,
        policy_conflict: Optional[bool] = None,
        allowed_alternatives: Optional[List[str]] = None,
        max_gesture: Optional[str] = None,
    ) -> Classification: ...
    def recommend(
        self,
        situation: Situation,
        *,
        context: _ContextLike = None,
        channel: Optional[str] = None,
        customer_name: Optional[str] = None,
        prior_contacts: Optional[int] = None,
        past_feedback: Optional[_PastFeedback] = None,
        relationship: Optional[str] = None,
        policy_conflict: Optional[bool] = None,
        allowed_alternatives: Optional[List[str]] = None,
        max_gesture: Optional[str] = None,
    ) -> Recommendation: ...
    def review_reply(
        self,
        customer: Union[str, Assessment],
        draft: str,
        *,
        context: _ContextLike = None,
        channel: Optional[str] = None,
        customer_name: Optional[str] = None,
        prior_contacts: Optional[int] = None,
        past_feedback: Optional[_PastFeedback] = None,
        relationship: Optional[str] = None,
        policy_conflict: Optional[bool] = None,
        allowed_alternatives: Optional[List[str]] = None,
        max_gesture: Optional[str] = None,
    ) -> ReplyReview: ...
    def empathy_mechanisms(self, text: str) -> Dict[str, Any]: ...
    def assess_batch(
        self,
        texts: Sequence[Optional[str]],
        contexts: Union[_ContextLike, Sequence[_ContextLike]] = None,
        *,
        errors: str = "raise",
    ) -> List[Union[Assessment, TactfulError]]:
        """Assesses many texts in parallel with the GIL released.

        A missing text (``None``, NaN, ``pandas.NA``) is that item's
        ``MissingTextError`` (``kind == "missing_text"``, not ``EmptyInputError``); any other
        non-``str`` item is a ``TypeError``. With ``errors="raise"`` the first failed item's
        exception is raised, with ``.index`` and a message naming the item; with
        ``errors="return"`` failed items are exception instances in place.
        """
        ...

@final
class ReplyReview:
    """The review of a draft reply: a score 0..100 with its parts, findings and suggestions."""

    @property
    def score(self) -> int: ...
    @property
    def approach(self) -> _Approach: ...
    @property
    def expected_empathy(self) -> _Empathy: ...
    @property
    def words(self) -> int: ...
    @property
    def findings_omitted(self) -> int: ...
    @property
    def suggestions(self) -> List[str]: ...
    @property
    def findings(self) -> List[Dict[str, Any]]: ...
    @property
    def parts(self) -> Dict[str, Dict[str, int]]: ...
    @property
    def empathy(self) -> Dict[str, Any]: ...
    @property
    def signals(self) -> Dict[str, Any]: ...
    def has(self, code: str) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class TurnView:
    """The result of pushing one turn into a ``Conversation``."""

    @property
    def index(self) -> int: ...
    @property
    def speaker(self) -> str: ...
    @property
    def timestamp(self) -> Optional[int]: ...
    @property
    def assessment(self) -> Optional[Assessment]: ...
    @property
    def review(self) -> Optional[ReplyReview]: ...
    @property
    def signals(self) -> Optional[Dict[str, Any]]: ...
    @property
    def waited_seconds(self) -> Optional[int]: ...
    @property
    def state(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

@final
class Conversation:
    """Follows one conversation turn by turn and adapts the recommendation."""

    def __new__(
        cls,
        engine: Optional[Engine] = None,
        *,
        context: _ContextLike = None,
        channel: Optional[str] = None,
        customer_name: Optional[str] = None,
        prior_contacts: Optional[int] = None,
        past_feedback: Optional[_PastFeedback] = None,
        relationship: Optional[str] = None,
        policy_conflict: Optional[bool] = None,
        allowed_alternatives: Optional[List[str]] = None,
        max_gesture: Optional[str] = None,
    ) -> "Conversation": ...
    def push_customer(self, text: str, timestamp: Optional[int] = None) -> TurnView: ...
    def push_agent(self, text: str, timestamp: Optional[int] = None) -> TurnView: ...
    def push_turn(self, speaker: str, text: str, timestamp: Optional[int] = None) -> TurnView: ...
    @property
    def state(self) -> Dict[str, Any]: ...
    def recent_turns(self) -> List[Dict[str, Any]]: ...

def _columns_from_texts(
    engine: Engine,
    texts: Sequence[Optional[str]],
    context: _ContextLike = None,
    contexts: Optional[Sequence[_ContextLike]] = None,
    lists: bool = True,
) -> Any: ...
def _columns_from_arrow(
    engine: Engine,
    chunks: Sequence[Tuple[object, object]],
    context: _ContextLike = None,
    contexts: Optional[Sequence[_ContextLike]] = None,
    lists: bool = False,
) -> Any: ...
