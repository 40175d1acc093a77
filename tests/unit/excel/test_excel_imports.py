"""desktop.excel is the file side only: no database, no services, no Qt (DESIGN.md §1)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import desktop.excel

FORBIDDEN = ("sqlalchemy", "PySide6", "shiboken6", "desktop.db", "desktop.services", "desktop.ui", "desktop.models")


def test_excel_modules_load_no_database_services_or_qt():
    modules = [f"desktop.excel.{info.name}" for info in pkgutil.iter_modules(desktop.excel.__path__)]
    assert "desktop.excel.workbook_reader" in modules and "desktop.excel.institution_workbooks" in modules
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r}))\n"
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_reading_and_parsing_do_not_load_openpyxl():
    # openpyxl costs ~0.3 s to import; only writing needs it.
    code = (
        "import sys\n"
        "import desktop.excel.workbook_reader, desktop.excel.institution_sheet\n"
        "assert 'openpyxl' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
