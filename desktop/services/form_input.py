"""How typed form values are stored: trimmed, empty text as nothing, phone numbers in one format."""

from __future__ import annotations

from enum import Enum
from typing import Any

from desktop.domain.phone_numbers import validate_phone


def trimmed(values: dict[str, Any]) -> dict[str, Any]:
    """Strip text values; empty text becomes None. Enum members are left alone (StrEnums are str too)."""
    return {
        key: (value.strip() or None) if isinstance(value, str) and not isinstance(value, Enum) else value
        for key, value in values.items()
    }


def stored_phone(text: str | None) -> str | None:
    """A valid phone number in its normal form ("0936-8212345"), anything else as typed (the form
    has already shown the problem, and a warning may be saved)."""
    if not text:
        return text
    check = validate_phone(text)
    return check.normalized if check.ok else text
