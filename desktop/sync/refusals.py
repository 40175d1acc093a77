"""Why an import refuses a bundle that passed the container's checks (docs/sync.md "Refusals").

The container's own reasons (not a bundle, bad signature, replay, …) are desktop.domain.sync_bundle.RefusalReason;
these come after it, from what the members hold and what the database says. Either way nothing is changed.
"""

from __future__ import annotations

from enum import StrEnum

from desktop.errors import TuoyuError

NOTHING_CHANGED = "没有导入任何内容，数据库保持原样。"


class ContentRefusal(StrEnum):
    BAD_CONTENT = "bad_content"  # the members are not what a Tuoyu export writes
    NOT_ALLOWED = "not_allowed"  # records this kind of node may not send, or of another county
    MISSING_REFERENCE = "missing_reference"  # a record points at one this database does not have
    DATABASE_REFUSED = "database_refused"  # the database refused a change (a rule or a unique value)
    UNKNOWN_BUNDLE = "unknown_bundle"  # a receipt for a bundle this node never sent to its source


class SyncContentRefused(TuoyuError):
    def __init__(self, reason: ContentRefusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def bad_content(label: str, problem: str) -> SyncContentRefused:
    return SyncContentRefused(
        ContentRefusal.BAD_CONTENT,
        f"“{label}”的内容不是托育监管导出的同步数据（{problem}）。{NOTHING_CHANGED}请对方重新导出。",
    )
