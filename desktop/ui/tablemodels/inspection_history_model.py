"""An institution's inspections and its violations as tables: rows as the record shows them, overdue
notices in red, corrected violations with their earlier records in the tooltip."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.domain.registry_rules import format_date_cn
from desktop.services.inspection_history import InspectionLine
from desktop.services.violations import ViolationLine
from desktop.ui.tablemodels.rows_table_model import AnyIndex, RowsTableModel

OVERDUE_COLOUR = QColor("#b3261e")
SUPERSEDED_COLOUR = QColor("#5f6368")


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"¥{fen / 100:,.2f}"


class InspectionHistoryModel(RowsTableModel):
    HEADERS = (
        "检查日期",
        "类型",
        "期间",
        "检查人员",
        "结论",
        "得分",
        "整改通知书",
        "整改期限",
        "整改状态",
        "违法行为",
        "更正",
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.HEADERS, parent)
        self.lines: tuple[InspectionLine, ...] = ()

    def set_lines(self, lines: Sequence[InspectionLine]) -> None:
        self.lines = tuple(lines)
        self.set_rows([self._row(line) for line in self.lines])

    @staticmethod
    def _row(line: InspectionLine) -> tuple[Any, ...]:
        if line.follow_up_notice_number:
            notice = f"复查 {line.follow_up_notice_number}"
            state = "已销号" if line.closed_its_notice else ""
        else:
            notice, state = line.notice_number or "", line.notice_state_text
        conclusion = line.conclusion.label if line.finished else "草稿（未完成）"
        return (
            format_date_cn(line.inspected_on),
            line.kind.label,
            line.period,
            line.inspectors,
            conclusion,
            "" if line.score is None else line.score,
            notice,
            format_date_cn(line.deadline) if line.deadline and not line.follow_up_notice_number else "",
            state,
            line.violation_count or "",
            line.correction_text,
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and 0 <= index.row() < len(self.lines):
            line = self.lines[index.row()]
            if line.overdue:
                return QBrush(OVERDUE_COLOUR)
            if line.corrected_by_id is not None:
                return QBrush(SUPERSEDED_COLOUR)  # the correction above it is the record that stands
            return None
        return super().data(index, role)


class ViolationsModel(RowsTableModel):
    HEADERS = ("检查日期", "违法行为", "处理措施", "罚款", "决定书文号", "处理日期", "法律依据", "更正")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.HEADERS, parent)
        self.lines: tuple[ViolationLine, ...] = ()

    def set_lines(self, lines: Sequence[ViolationLine], inspected_on: dict) -> None:
        """``inspected_on`` maps each inspection id to the day it was inspected."""
        self.lines = tuple(lines)
        self.set_rows(
            [
                (
                    format_date_cn(inspected_on[v.inspection_id]) if v.inspection_id in inspected_on else "",
                    v.description,
                    v.action.label,
                    _yuan(v.fine_fen),
                    v.decision_number or "",
                    format_date_cn(v.decided_on),
                    v.legal_basis or "",
                    f"已更正 {len(v.earlier)} 次" if v.earlier else "",
                )
                for v in self.lines
            ]
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and 0 <= index.row() < len(self.lines):
            line = self.lines[index.row()]
            if line.earlier:
                return earlier_records_text(line)
        return super().data(index, role)


def describe(line: ViolationLine) -> str:
    """One violation record in a line: what, the action (and fine), decided when, under which number."""
    parts = [line.description, line.action.label + (f" {_yuan(line.fine_fen)}" if line.fine_fen else "")]
    if line.decision_number:
        parts.append(line.decision_number)
    if line.legal_basis:
        parts.append(f"依据：{line.legal_basis}")
    return f"{format_date_cn(line.decided_on)}　" + "；".join(parts)


def earlier_records_text(line: ViolationLine) -> str:
    """The records a violation corrected, oldest first, each marked 已更正."""
    return "\n".join(f"已更正：{describe(earlier)}" for earlier in line.earlier)
