"""The areas of the main window. Each area is one view; a new area is one more entry in AREAS.

Only areas that work are listed: an issue that builds 检查, 整改, 补贴, 打印, 同步, 统计 or 设置 adds its
view here when it lands, so the window never shows an empty placeholder screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from desktop.services.startup import AppContext
from desktop.ui.views.inspection_overview_view import InspectionOverviewView
from desktop.ui.views.institution_list_view import InstitutionListView
from desktop.ui.views.subsidy_view import SubsidyView
from desktop.ui.views.sync_view import SyncView


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    create: Callable[[AppContext], QWidget]


AREAS: tuple[Area, ...] = (
    Area("institutions", "机构档案", InstitutionListView),
    Area("inspections", "检查", InspectionOverviewView),
    Area("subsidies", "补贴", SubsidyView),
    Area("sync", "同步", SyncView),
)
