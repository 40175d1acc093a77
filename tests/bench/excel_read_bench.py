"""Reading clerks' sheets: python-calamine against openpyxl read_only, and Tuoyu's reader and parser on top.

    .venv/bin/python -m tests.bench.excel_read_bench [--rows 10000] [--repeat 3] [--json FILE]

The sheet is an institution register of ``--rows`` rows × 20 columns of Chinese text, codes,
numbers and dates. Files: .xlsx as openpyxl writes it (inline strings), .xlsx as Excel/WPS/LibreOffice
write it (shared strings; needs ``soffice``), .xls (needs ``soffice``), .csv in UTF-8 and GBK.
Figures are the best of ``--repeat`` runs; machines are noisy, so read the ratios.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from desktop.domain.enums import FilingStatus, OperatingStatus, SponsorType
from desktop.domain.identifiers import make_credit_code
from desktop.excel.institution_sheet import parse_institution_sheet
from desktop.excel.workbook_reader import read_sheet
from desktop.paths import resources_dir

HEADERS = [
    "序号", "机构名称", "统一社会信用代码", "举办主体", "所属县区", "乡镇（街道）", "详细地址", "法定代表人",
    "联系人", "联系电话", "托位数", "建筑面积（平方米）", "全日托收费（元/月）", "是否提供膳食", "备案状态",
    "备案号", "备案日期", "是否普惠", "运营状态", "备注",
]  # fmt: skip


def _regions() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    import tomllib

    data = tomllib.loads((resources_dir() / "regions" / "620700.toml").read_text(encoding="utf-8"))
    counties = {c["code"]: c["name"] for c in data["counties"]}
    townships = {c["code"]: {t["code"]: t["name"] for t in c["townships"]} for c in data["counties"]}
    return counties, townships


def make_rows(count: int, seed: int = 1) -> list[list[object]]:
    counties, townships = _regions()
    rng = random.Random(seed)
    sponsors = [member.label for member in SponsorType]
    rows = []
    for index in range(count):
        county = rng.choice(list(counties))
        township = townships[county][rng.choice(list(townships[county]))]
        body = f"MA{index:06X}"[-8:]
        rows.append([
            index + 1,
            f"{counties[county]}{township}第{index + 1}托育中心",
            make_credit_code("5", "2", county, body),
            rng.choice(sponsors),
            counties[county],
            township,
            f"{counties[county]}{township}幸福路{rng.randint(1, 300)}号",
            rng.choice("张王李赵刘陈杨黄") + rng.choice(["伟", "芳", "娜", "敏", "静", "强"]),
            rng.choice("张王李赵刘陈杨黄") + rng.choice(["丽", "军", "洋", "勇", "艳", "杰"]),
            f"139{rng.randint(0, 99_999_999):08d}",
            rng.randint(10, 200),
            round(rng.uniform(100, 2000), 2),
            rng.choice([800, 1200, 1500.5, 2000]),
            rng.choice(["是", "否"]),
            FilingStatus.FILED.label,
            f"甘卫托备〔2024〕{index + 1}号",
            date(2021, 1, 1) + timedelta(days=rng.randint(0, 1500)),
            rng.choice(["是", "否"]),
            OperatingStatus.OPERATING.label,
            "按要求配备保育人员，消防验收已通过",
        ])  # fmt: skip
    return rows


def write_files(folder: Path, rows: list[list[object]]) -> dict[str, Path]:
    from openpyxl import Workbook

    files: dict[str, Path] = {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("托育机构名单")
    sheet.append(["2024年张掖市托育机构名单"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    files["xlsx (openpyxl)"] = folder / "openpyxl.xlsx"
    workbook.save(files["xlsx (openpyxl)"])
    for name, encoding in (("csv utf-8", "utf-8-sig"), ("csv gbk", "gbk")):
        path = folder / f"{encoding}.csv"
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["2024年张掖市托育机构名单"])
            writer.writerow(HEADERS)
            writer.writerows(rows)
        files[name] = path
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        source = files["xlsx (openpyxl)"]
        for target, key in (("xls", "xls"), ("xlsx", "xlsx (Excel-style)")):
            out = folder / "office"
            subprocess.run(
                [soffice, "--headless", "--convert-to", target, "--outdir", str(out), str(source)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            files[key] = out / f"{source.stem}.{target}"
    return files


def best_of(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def openpyxl_read_only(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def calamine_raw(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as workbook:
        return len(workbook.get_sheet_by_index(0).to_python(skip_empty_area=False))


def xlsx_scan(path: Path) -> object:
    import zipfile

    from desktop.excel.workbook_reader import DEFAULT_MAX_BYTES, DEFAULT_MAX_CELLS
    from desktop.excel.xlsx_inspection import check_zip, inspect_xlsx_sheet, list_xlsx_sheets

    with zipfile.ZipFile(path) as archive:
        check_zip(archive, max_bytes=DEFAULT_MAX_BYTES)
        part = list_xlsx_sheets(archive)[0].part
        return inspect_xlsx_sheet(archive, part, max_cells=DEFAULT_MAX_CELLS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.excel_read_bench")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    from importlib.metadata import version

    import lxml  # noqa: F401  (openpyxl is measured at its best: with lxml)

    counties, townships = _regions()
    results: dict[str, float] = {}
    print(f"python-calamine {version('python-calamine')}, openpyxl {version('openpyxl')} (lxml), "
          f"{args.rows:,} rows × {len(HEADERS)} columns, best of {args.repeat}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        files = write_files(Path(folder), make_rows(args.rows))
        for key, path in files.items():
            size = path.stat().st_size / 1024 / 1024
            print(f"\n{key}: {size:.1f} MB")
            cases: list[tuple[str, Callable[[], object]]] = []
            if path.suffix == ".xlsx":
                cases.append(("openpyxl read_only (values)", lambda p=path: openpyxl_read_only(p)))
            if path.suffix in (".xlsx", ".xls"):
                cases.append(("calamine to_python", lambda p=path: calamine_raw(p)))
            if path.suffix == ".xlsx":
                cases.append(("  scan of the zip and sheet XML", lambda p=path: xlsx_scan(p)))
            cases.append(("read_sheet (checks + values + rows)", lambda p=path: read_sheet(p)))
            sheet = read_sheet(path)
            cases.append(
                (
                    "parse_institution_sheet",
                    lambda s=sheet: parse_institution_sheet(s, counties=counties, townships=townships),
                )
            )
            for label, work in cases:
                seconds = best_of(args.repeat, work)
                results[f"{key} | {label.strip()}"] = seconds
                print(f"  {label:<40} {seconds * 1000:8.0f} ms")
            parsed = parse_institution_sheet(sheet, counties=counties, townships=townships)
            print(f"  ({len(parsed.records):,} records, {len(parsed.errors)} errors)")
    key = "xlsx (openpyxl)"
    ratio = results[f"{key} | openpyxl read_only (values)"] / results[f"{key} | calamine to_python"]
    print(f"\ncalamine reads the same .xlsx {ratio:.1f}× faster than openpyxl read_only.")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
