"""What resolving a sync conflict a given way will do to the record, worked out from the conflict's view before
anything is written: the arguments for desktop.sync.conflicts.resolve_conflict and, for the confirmation, each
field that will change from what the database holds now.

A choice per field is sent as few per-field exceptions as possible: the side most fields take is kept whole and
the others are named, and a choice that takes every field from one side is that side kept whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from desktop.sync.conflicts import MINE, THEIRS, ConflictVersion, ConflictView

SIDE_NAMES = {MINE: "本机版本", THEIRS: "对方版本"}
EMPTY = "（空）"


@dataclass(frozen=True)
class ResolutionPlan:
    keep: str  # MINE or THEIRS
    fields: dict[str, str] = field(default_factory=dict)  # column → side, where it differs from ``keep``
    changes: tuple[str, ...] = ()  # “联系电话：13800002222 → 13900001111”, or what happens to the record as a whole

    @property
    def by_field(self) -> bool:
        return bool(self.fields)

    def describe(self) -> str:
        """“保留本机版本”, or “以对方版本为准，其中 2 个字段取本机版本”."""
        if not self.fields:
            return f"保留{SIDE_NAMES[self.keep]}"
        other = THEIRS if self.keep == MINE else MINE
        return f"以{SIDE_NAMES[self.keep]}为准，其中 {len(self.fields)} 个字段取{SIDE_NAMES[other]}"


def side_index(view: ConflictView, side: str) -> int:
    """The position of this node's (MINE) or the other side's (THEIRS) version in ``view.versions``."""
    wanted = (lambda v: v.mine) if side == MINE else (lambda v: v.theirs)
    found = next((i for i, v in enumerate(view.versions) if wanted(v)), None)
    if found is None:  # every candidate is the same content as mine: “theirs” is mine
        found = next(i for i, v in enumerate(view.versions) if v.mine)
    return found


def current_index(view: ConflictView) -> int | None:
    return next((i for i, v in enumerate(view.versions) if v.current), None)


def a_side_deleted(view: ConflictView) -> bool:
    """One side deleted the record: the service takes such a conflict whole only."""
    return any(view.versions[side_index(view, side)].deleted for side in (MINE, THEIRS))


def plan_whole(view: ConflictView, side: str) -> ResolutionPlan:
    return ResolutionPlan(side, {}, _changes(view, {d.column: side for d in view.differences}, side))


def plan_by_field(view: ConflictView, choices: Mapping[str, str]) -> ResolutionPlan:
    """``choices``: for each differing column, the side to take it from (columns left out follow mine)."""
    chosen = {d.column: choices.get(d.column, MINE) for d in view.differences}
    theirs = sum(side == THEIRS for side in chosen.values())
    keep = THEIRS if theirs > len(chosen) - theirs else MINE
    exceptions = {column: side for column, side in chosen.items() if side != keep}
    return ResolutionPlan(keep, exceptions, _changes(view, chosen, keep))


def _changes(view: ConflictView, chosen: Mapping[str, str], keep: str) -> tuple[str, ...]:
    now = current_index(view)
    kept: ConflictVersion = view.versions[side_index(view, keep)]
    holding_deleted = now is not None and view.versions[now].deleted
    if kept.deleted:
        return () if holding_deleted else ("删除这条记录",)
    lines = ["恢复这条记录（数据库中现为已删除）"] if holding_deleted else []
    for difference in view.differences:
        value = difference.values[side_index(view, chosen[difference.column])]
        before = None if now is None or holding_deleted else difference.values[now]
        if before is None:
            continue
        if value != before:
            lines.append(f"{difference.label}：{before or EMPTY} → {value or EMPTY}")
    return tuple(lines)
