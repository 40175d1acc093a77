"""Starting an inspection of one institution: which kind (or which notice to re-check), who inspects."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from desktop.domain.enums import InspectionKind
from desktop.errors import TuoyuError
from desktop.services.inspection_ledger import half_year, quarter
from desktop.services.inspections import open_notices_of, start_inspection
from desktop.services.startup import AppContext
from desktop.ui.dialogs.inspection_dialog import InspectionDialog


def run_new_inspection(ctx: AppContext, institution_id: uuid.UUID, *, parent: QWidget) -> bool:
    """Ask what to inspect, open the inspection screen; True when something was saved."""
    today = date.today()
    choices: list[tuple[str, InspectionKind, uuid.UUID | None]] = [
        (f"半年检查（{half_year(today)}）", InspectionKind.SEMIANNUAL_INSPECTION, None),
        (f"季度抽查（{quarter(today)}）", InspectionKind.QUARTERLY_SPOT_CHECK, None),
        (f"专项检查（{quarter(today)}）", InspectionKind.SPECIAL, None),
    ]
    choices += [
        (f"整改回头看：{n.document_number}（期限 {n.deadline:%Y-%m-%d}）", InspectionKind.FOLLOW_UP, n.id)
        for n in open_notices_of(ctx, institution_id)
    ]
    label, ok = QInputDialog.getItem(parent, "新建检查", "检查类型：", [c[0] for c in choices], 0, False)
    if not ok:
        return False
    _, kind, notice_id = next(c for c in choices if c[0] == label)
    inspectors, ok = QInputDialog.getText(parent, "新建检查", "检查人员（至少两人，用顿号分隔）：")
    if not ok:
        return False
    if len([name for name in inspectors.replace(",", "、").replace("，", "、").split("、") if name.strip()]) < 2:
        QMessageBox.warning(parent, "未开始", "现场检查应由两名以上检查人员进行，请填写至少两人的姓名。")
        return False
    period = (
        half_year(today) if kind in (InspectionKind.SEMIANNUAL_INSPECTION, InspectionKind.FOLLOW_UP) else quarter(today)
    )
    try:
        inspection_id = start_inspection(
            ctx,
            institution_id,
            kind=kind,
            period=period,
            inspected_at=datetime.now(UTC),
            inspectors=inspectors,
            follow_up_of=notice_id,
        )
    except TuoyuError as error:
        QMessageBox.warning(parent, "未开始", error.message)
        return False
    InspectionDialog(ctx, inspection_id, today=today, parent=parent).exec()
    return True
