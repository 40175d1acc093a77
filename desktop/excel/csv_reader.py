"""CSV files as Excel and WPS save them in China: UTF-8 with or without BOM, or GBK/GB18030.

Bytes that are valid in none of these are refused rather than replaced with "�": a name with a
replacement character in it would be stored for good (reliability anchor B14).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from desktop.excel.errors import ExcelFileError
from desktop.excel.sheet_data import SheetRow

DELIMITERS = (",", "\t", ";")
_SNIFF_LINES = 30


def decode_csv(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes. Raises ``ExcelFileError``."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]  # Excel's "Unicode 文本" is UTF-16 with a BOM
    else:
        candidates = ["utf-8", "gb18030"]  # GB18030 is a superset of GBK and GB2312
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary data that happens to decode
        return text, encoding
    raise ExcelFileError(
        f"文件“{path.name}”不是可以识别的文本文件：既不是 UTF-8 编码，也不是 GBK/GB18030 编码，"
        "或者文件已损坏。请用 Excel 或 WPS 打开后另存为“CSV UTF-8（逗号分隔）”，或另存为 .xlsx 后再导入。",
        code="excel.csv_encoding",
    )


def detect_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits the first lines into the most consistent columns."""
    sample = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(fields) for fields in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        common, lines = Counter(counts).most_common(1)[0] if counts else (1, 0)
        score = (lines, common) if common > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_rows(path: Path, text: str, delimiter: str, *, max_rows: int) -> list[SheetRow]:
    """Rows holding a value, numbered by record (as Excel numbers them when it opens the file)."""
    rows: list[SheetRow] = []
    try:
        for number, fields in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            values = [field if field != "" else None for field in fields]
            while values and values[-1] is None:
                values.pop()
            if not values:
                continue
            rows.append(SheetRow(number, tuple(values)))
            if len(rows) > max_rows:
                raise too_many_rows(path, max_rows)
    except csv.Error as error:
        raise ExcelFileError(
            f"文件“{path.name}”的 CSV 格式有误（{error}），可能是引号没有配对或某一格内容过长。"
            "请用 Excel 或 WPS 打开检查后另存为 .xlsx 再导入。",
            code="excel.csv_format",
        ) from error
    return rows


def too_many_rows(path: Path, max_rows: int) -> ExcelFileError:
    return ExcelFileError(
        f"文件“{path.name}”的数据超过 {max_rows:,} 行，超过了一次导入的上限。请拆分成几个文件后分别导入。",
        code="excel.too_many_rows",
    )
