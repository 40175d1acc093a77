"""What a field laptop may not do: change the register. The county keeps it; a laptop's copy is
replaced by each package, and its results carry inspections only — an edit made here would be lost."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import NodeKind
from desktop.errors import TuoyuError
from desktop.models import AppSetting
from desktop.services.installation import NODE_KIND_KEY


def is_field_laptop(session: Session) -> bool:
    return session.scalar(select(AppSetting.value).where(AppSetting.key == NODE_KIND_KEY)) == NodeKind.LAPTOP.value


def refuse_register_change_on_laptop(session: Session) -> None:
    if is_field_laptop(session):
        raise TuoyuError(
            "这是检查笔记本：机构档案、班级和从业人员以县区数据库为准，在笔记本上的修改不会交回县区，因此不能修改。"
            "现场发现的情况请记在检查记录的备注中，或回县区后修改档案。"
        )
