"""The exception hierarchy of tactful, mirroring the Rust ``tactful::Error`` enum.

Every exception raised for bad input or configuration is a :class:`TactfulError`; most also
derive from the builtin a Python programmer would catch (``ValueError`` or ``OSError``).
``.code`` is the stable numeric code shared with the C ABI (``Error::code()`` in Rust) and
``.kind`` its stable name. Wrong argument types (``None``, ``bytes``, numbers where text is
expected) raise the builtin ``TypeError``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "TactfulError",
    "EmptyInputError",
    "InputTooLargeError",
    "PlaybookError",
    "ContextError",
    "ModelError",
    "FileReadError",
    "UnknownValueError",
    "TurnError",
    "OptionError",
    "MissingTextError",
]


class TactfulError(Exception):
    """Base class of every tactful error.

    Attributes: ``code`` (stable number, as in Rust and C), ``kind`` (stable name) and
    ``message``; subclasses add details such as ``field``.
    """

    code: int = 0
    kind: str = "unknown"

    def __init__(self, message: str = "", **details: Any) -> None:
        super().__init__(message)
        self.message = message
        for key, value in details.items():
            setattr(self, key, value)


class EmptyInputError(TactfulError, ValueError):
    """The text is empty or only whitespace (code 10)."""

    code = 10
    kind = "empty_input"


class InputTooLargeError(TactfulError, ValueError):
    """The text is longer than the engine's ``max_input_bytes`` (code 11).

    ``length`` and ``limit`` are in UTF-8 bytes.
    """

    code = 11
    kind = "input_too_large"
    length: Optional[int] = None
    limit: Optional[int] = None


class PlaybookError(TactfulError, ValueError):
    """The playbook is malformed or inconsistent (code 12).

    ``field`` names the offending field; ``line``/``column`` point into the text when known.
    """

    code = 12
    kind = "invalid_playbook"
    field: str = ""
    line: Optional[int] = None
    column: Optional[int] = None


class ContextError(TactfulError, ValueError):
    """The context is malformed: unknown field or out-of-range value (code 13)."""

    code = 13
    kind = "invalid_context"
    field: str = ""


class ModelError(TactfulError, ValueError):
    """A model file is corrupt, of an unsupported version or does not fit the playbook (code 14)."""

    code = 14
    kind = "invalid_model"


class FileReadError(TactfulError, OSError):
    """A playbook or model file could not be read (code 15); ``path`` names it."""

    code = 15
    kind = "io"
    path: str = ""


class UnknownValueError(TactfulError, ValueError):
    """A string is not one of a vocabulary's values, e.g. an unknown flag (code 16)."""

    code = 16
    kind = "unknown_value"
    field: str = ""
    value: str = ""


class TurnError(TactfulError, ValueError):
    """A conversation turn is out of order or malformed (code 17)."""

    code = 17
    kind = "invalid_turn"


class OptionError(TactfulError, ValueError):
    """An engine option is out of range, e.g. ``max_input_bytes=0`` (code 18)."""

    code = 18
    kind = "invalid_option"


class MissingTextError(TactfulError, ValueError):
    """A batch item's text is missing: ``None``, NaN or ``pandas.NA`` (code 0).

    Raised (or, with ``errors="return"``, returned in place) by ``assess_batch``, with
    ``.index`` naming the item; ``assess_frame`` and ``assess_arrow`` put its message in the
    row's ``error`` column. Distinct from :class:`EmptyInputError` (a text that is there but
    empty). The engine never sees a missing text, so there is no Rust code: ``.code`` is 0.
    """

    code = 0
    kind = "missing_text"
    index: Optional[int] = None


_BY_KIND: Dict[str, Type[TactfulError]] = {
    cls.kind: cls
    for cls in (
        EmptyInputError,
        InputTooLargeError,
        PlaybookError,
        ContextError,
        ModelError,
        FileReadError,
        UnknownValueError,
        TurnError,
        OptionError,
        MissingTextError,
    )
}


def _from_rust(kind: str, code: int, message: str, details: Dict[str, Any]) -> TactfulError:
    """Builds the exception for a Rust error (called by the native module only).

    An error kind newer than this file still becomes a ``TactfulError`` with the right code.
    """
    cls = _BY_KIND.get(kind, TactfulError)
    exc = cls(message, **details)
    exc.code = code
    exc.kind = kind
    return exc
