"""The headless layers stay headless (DESIGN.md §1), and the Qt pin guards a known crash."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

NON_UI_MODULES = [
    "desktop.cli",
    "desktop.services.startup",
    "desktop.services.institution_queries",
    "desktop.services.demo_service",
    "desktop.services.maintenance",
    "desktop.db.migrate",
    "desktop.domain.identifiers",
    "desktop.demo.zhangye",
]


def test_no_headless_module_loads_qt():
    code = (
        "import sys, importlib\n"
        f"for name in {NON_UI_MODULES!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pyside6_is_not_the_release_that_aborts_on_python_311():
    # PySide6 6.12.0 drops references to None with item models and aborts (none_dealloc) before
    # Python 3.12, where None became immortal. See performance-baselines.md pitfall 1.
    major, minor = (int(part) for part in version("PySide6-Essentials").split(".")[:2])
    assert sys.version_info >= (3, 12) or (major, minor) < (6, 12)
