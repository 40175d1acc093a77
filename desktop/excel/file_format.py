"""Which kind of file this really is, judged by its first bytes and not by its name.

Clerks rename files, WPS saves web pages as ".xls", and e-mail clients lose extensions, so the
name is only used to choose between CSV and "not a spreadsheet" for plain text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop.excel.errors import ExcelFileError
from desktop.excel.ole2 import MAGIC as OLE2_MAGIC
from desktop.excel.ole2 import CompoundFile
from desktop.excel.sheet_data import FileFormat
from desktop.excel.xlsx_inspection import ZIP_ERRORS

SUPPORTED = "支持的格式为 Excel 工作簿（.xlsx、.xls）和 CSV 文件（.csv）"
SAVE_AS_XLSX = "请用 Excel 或 WPS 打开该文件，另存为“Excel 工作簿（*.xlsx）”后再导入。"
_TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})


def not_workbook(path: Path, what: str, *, code: str = "excel.not_workbook") -> ExcelFileError:
    return ExcelFileError(f"文件“{path.name}”{what}，不能作为表格导入。{SUPPORTED}。", code=code)


def sniff_format(path: Path, head: bytes) -> FileFormat:
    """The format of ``path`` from its first bytes ``head``. Raises ``ExcelFileError`` with the reason."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(path)
    if head.startswith(b"%PDF"):
        raise not_workbook(path, "是 PDF 文件")
    if head.startswith((b"MZ", b"\x7fELF")):
        raise not_workbook(path, "是可执行程序")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise not_workbook(path, "是图片")
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        raise not_workbook(path, "是压缩包，请先解压")
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"<head", b"<meta")) or (
        b"<html" in lowered[:2048]
    ):
        # What Excel 2003 "XML 表格" and many web systems' "导出 Excel" buttons produce.
        raise ExcelFileError(
            f"文件“{path.name}”实际上是网页（HTML）或 XML 表格，只是扩展名为{path.suffix or '空'}。" + SAVE_AS_XLSX,
            code="excel.html",
        )
    if path.suffix.lower() in _TEXT_SUFFIXES:
        return FileFormat.CSV
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".et", ".ods"):
        raise not_workbook(path, "已损坏，或是其他类型的文件被改了扩展名", code="excel.damaged")
    raise not_workbook(path, f"的类型（{path.suffix or '无扩展名'}）不受支持")


def _sniff_zip(path: Path) -> FileFormat:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.NameToInfo)
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except ZIP_ERRORS as error:
        raise not_workbook(path, "已损坏（压缩结构不完整），可能是复制或下载没有完成", code="excel.damaged") from error
    if any(name.endswith("workbook.xml") for name in names):
        return FileFormat.XLSX
    if "xl/workbook.bin" in names:
        raise ExcelFileError(f"文件“{path.name}”是 Excel 二进制工作簿（.xlsb）。" + SAVE_AS_XLSX, code="excel.xlsb")
    if b"opendocument.spreadsheet" in mimetype:
        raise ExcelFileError(
            f"文件“{path.name}”是 OpenDocument 表格（.ods）。"
            + SAVE_AS_XLSX.replace("Excel 或 WPS", "WPS 或 LibreOffice"),
            code="excel.ods",
        )
    if "word/document.xml" in names or b"opendocument.text" in mimetype:
        raise not_workbook(path, "是 Word 文档")
    if "ppt/presentation.xml" in names:
        raise not_workbook(path, "是 PowerPoint 演示文稿")
    raise not_workbook(path, "是压缩包，里面没有 Excel 工作表")


def _sniff_ole2(path: Path) -> FileFormat:
    try:
        streams = {name.casefold() for name in CompoundFile(path.read_bytes()).stream_names()}
    except (ValueError, OSError) as error:
        raise not_workbook(path, "已损坏，无法读取", code="excel.damaged") from error
    if "encryptedpackage" in streams:
        raise encrypted(path)
    if "workbook" in streams or "book" in streams:
        return FileFormat.XLS
    if "worddocument" in streams:
        raise not_workbook(path, "是 Word 文档（.doc）")
    if "powerpoint document" in streams:
        raise not_workbook(path, "是 PowerPoint 演示文稿（.ppt）")
    raise not_workbook(path, "不是 Excel 工作簿")


def encrypted(path: Path) -> ExcelFileError:
    return ExcelFileError(
        f"文件“{path.name}”设置了打开密码（已加密），无法读取。请在 Excel 或 WPS 中打开，"
        "在“文件 → 信息 → 保护工作簿”（WPS：“文件 → 文档加密”）中清除密码并保存，然后重新导入。",
        code="excel.encrypted",
    )
