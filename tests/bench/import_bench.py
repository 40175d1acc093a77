"""Import and export of 10,000 institutions, beside openpyxl alone doing the bare read and write.

    .venv/bin/python -m tests.bench.import_bench [--repeat 3]

Target (issue 3): the whole validated import of a 10,000-row .xlsx faster than openpyxl's bare
read_only read of the same file, measured in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from desktop.demo.zhangye import Scale
from desktop.services.demo_service import load_demo
from desktop.services.institution_export import export_institutions
from desktop.services.institution_import import import_institutions
from desktop.services.startup import open_app

TODAY = date(2026, 11, 23)


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def openpyxl_read(path: Path) -> int:
    workbook = load_workbook(path, read_only=True)
    rows = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return rows


def openpyxl_write(path: Path, rows: list[tuple]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def excel_style_copy(source: Path, folder: Path) -> Path | None:
    """The same sheet saved the way Excel and WPS save it (shared strings), when LibreOffice is here.

    openpyxl reads such files about twice as slowly as the ones it writes itself; clerks' files
    are of this kind, so the comparison that matters is on this copy.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    out = folder / "excel-style"
    out.mkdir()
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / source.name


def compare(label: str, sheet: Path, work: Path, repeat: int, expected: int) -> tuple[float, float]:
    imports, reads = [], []
    for attempt in range(repeat):
        reads.append(timed(lambda: openpyxl_read(sheet))[0])
        target = open_app(data_dir=work / f"{label}-{attempt}", url=None)
        seconds, report = timed(lambda target=target: import_institutions(target, sheet, today=TODAY))
        assert report.committed and report.created == expected, report.errors[:3]
        imports.append(seconds)
        target.close()
    return statistics.median(imports), statistics.median(reads)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.import_bench")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tuoyu-import-") as folder:
        work = Path(folder)
        source = open_app(data_dir=work / "source", url=None)
        load_demo(source, scale=Scale.PROVINCE, seed=1, today=TODAY)
        sheet = work / "province.xlsx"
        exports, writes = [], []
        for _ in range(args.repeat):
            seconds, count = timed(lambda: export_institutions(source, sheet))
            exports.append(seconds)
            rows = list(load_workbook(sheet, read_only=True).active.iter_rows(values_only=True))
            writes.append(timed(lambda rows=rows: openpyxl_write(work / "raw.xlsx", rows))[0])
        source.close()
        median = statistics.median
        print(f"10,000 institutions × {len(rows[0])} columns (.xlsx, median of {args.repeat})")
        cases = [("as openpyxl writes it (inline strings)", sheet)]
        excel_style = excel_style_copy(sheet, work)
        if excel_style is not None:
            cases.append(("as Excel/WPS write it (shared strings)", excel_style))
        for label, path in cases:
            imported, read = compare(label[:5], path, work, args.repeat, count)
            print(f"  file {label}")
            print(f"    import (read + check + write to SQLite) {imported:6.2f} s")
            print(f"    openpyxl read_only bare read            {read:6.2f} s   ratio {imported / read:.2f}x")
        print(f"  export (query + write .xlsx)               {median(exports):6.2f} s")
        write_ratio = median(exports) / median(writes)
        print(f"  openpyxl write_only bare write             {median(writes):6.2f} s   ratio {write_ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
