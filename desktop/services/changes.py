"""What a command touched, so the UI can refresh exactly that (Anki's OpChanges)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    institutions: frozenset[uuid.UUID] = frozenset()
    # Set when so much changed (demo load, restore) that every view should reload.
    everything: bool = False
