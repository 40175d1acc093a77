"""Large exports and imports without Python's cyclic garbage collector running over them.

A province-scale bundle makes millions of short-lived objects (rows, dicts, tuples); each full collection walks
every live one, which cost a large share of an import's time. None of them form reference cycles, so pausing the
collector for the duration frees nothing less (as desktop/services/demo_service.py does for the demo).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
