"""The printers of this PC as Tuoyu uses them, and the folder PDFs were last saved to (for this session)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

_last_folder: Path | None = None


def default_printer() -> QPrinter | None:
    """The system's default printer (or, without a default, the first one); None when no printer is installed."""
    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        installed = QPrinterInfo.availablePrinters()
        if not installed:
            return None
        info = installed[0]
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def last_pdf_folder() -> Path:
    """Where the save dialog opens: the last folder used, else the Documents folder."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_pdf_folder(folder: Path) -> None:
    global _last_folder
    _last_folder = folder
