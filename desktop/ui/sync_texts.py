"""How the sync screens write times, sizes and table names, so the menu, the dialogs and the 同步 area agree."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.services.nodes import CHINA_TIME
from desktop.sync.import_plan import label_of

BUNDLE_FILTER = "同步包或回执 (*.tuoyu-sync);;所有文件 (*)"
RECEIPT_REMINDER = (
    "请把文件用 U 盘交给对方导入。对方导入后会生成回执，请把回执带回本机，用“导入同步包或回执”导入；"
    "在此之前，这个同步包在“同步 → 对账”中列为未确认。"
)


def when(moment: datetime | str | None) -> str:
    """Beijing time to the minute (2026-11-23 15:12), or “—”. Accepts the ISO text conflicts carry."""
    if moment is None or moment == "":
        return "—"
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(CHINA_TIME):%Y-%m-%d %H:%M}"


def file_size_text(size: int) -> str:
    """“812 字节”, “35.2 KB”, “1.4 MB”: what a clerk compares with the file on the USB stick."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1_048_576:.1f} MB"


def table_name(table: str) -> str:
    """A synced table as a person reads it (机构档案, 在托幼儿 …)."""
    return label_of(table)
