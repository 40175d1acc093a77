"""Benchmarks, each beside the raw library doing the same work in the same run.

    .venv/bin/python -m tests.bench [--scale province] [--repeat 5] [--json FILE] [--no-inspections]
                                    [--no-enrollment]

At province scale it then runs tests.bench.inspection_bench (recording an inspection, the ledger on
~100,000 inspections), which builds its own province demo with the inspection history, and
tests.bench.enrollment_bench (a month of enrollment subsidies for the province's ~200,000 children
beside raw sqlite3 executemany), which builds its own too.

The machines are noisy (one case varied 1.9x between runs minutes apart), so read the ratios, not
the absolute figures. Not part of ``make test``'s pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path

from desktop.demo.zhangye import DemoData, Scale, generate
from desktop.paths import resources_dir
from desktop.services.demo_service import store_demo
from desktop.services.regions import ensure_regions, read_region_file
from desktop.services.startup import open_app

TODAY = date(2026, 11, 23)
TABLES = (("institutions", "institutions"), ("class_groups", "class_groups"), ("staff", "staff"))


def _sqlite_value(value: object) -> object:
    """A value as SQLAlchemy stores it in SQLite, computed before the raw baseline is timed."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset):
        return ",".join(sorted(v.value for v in value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    return value


def bench_demo_load(scale: Scale, seed: int, workdir: Path) -> dict:
    regions = read_region_file(resources_dir() / "regions" / "620700.toml")
    started = time.perf_counter()
    data = generate(regions, scale=scale, seed=seed, today=TODAY)
    generate_s = time.perf_counter() - started
    rows = len(data.institutions) + len(data.class_groups) + len(data.staff) + len(data.users)

    ctx = open_app(data_dir=workdir / "service", url=None)
    ensure_regions(ctx)
    started = time.perf_counter()
    store_demo(ctx, data, scale=scale, seed=seed)
    service_s = time.perf_counter() - started
    ctx.close()

    raw_s = _raw_executemany(data, workdir / "raw")
    return {
        "rows": rows,
        "generate_s": generate_s,
        "service_insert_s": service_s,
        "raw_executemany_s": raw_s,
        "service_rows_per_s": rows / service_s,
        "raw_rows_per_s": rows / raw_s,
        "ratio": service_s / raw_s,
    }


def _raw_executemany(data: DemoData, data_dir: Path) -> float:
    """The same rows into the same migrated schema with plain sqlite3, one transaction."""
    ctx = open_app(data_dir=data_dir, url=None)
    ensure_regions(ctx)
    path = ctx.db.path
    ctx.close()
    now = datetime.now()
    stamp = {"created_at": now, "updated_at": now, "origin": uuid.uuid4(), "version": 1}
    prepared = []
    for table, rows in (
        ("institutions", data.institutions),
        ("class_groups", data.class_groups),
        ("staff", data.staff),
        ("users", data.users),
    ):
        full = [row | stamp for row in rows]
        columns = list(full[0])
        values = [tuple(_sqlite_value(row[c]) for c in columns) for row in full]
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        prepared.append((sql, values))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("PRAGMA synchronous=EXTRA")
    connection.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    for sql, values in prepared:
        connection.executemany(sql, values)
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def _probe(kind: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.startup_probe", kind, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1]) - started


def bench_cold_start(data_dir: Path, repeat: int) -> dict:
    """Process start to the first painted main window with the institution list, vs raw PySide6."""
    _probe("tuoyu", str(data_dir))  # first run after the load warms the page cache, as a second start would
    figures = {"tuoyu": [], "bare_window": [], "table_10k_rows": []}
    for _ in range(repeat):  # interleaved, so noise hits every case alike
        figures["tuoyu"].append(_probe("tuoyu", str(data_dir)))
        figures["bare_window"].append(_probe("bare"))
        figures["table_10k_rows"].append(_probe("table", str(data_dir)))
    medians = {name: statistics.median(values) for name, values in figures.items()}
    return {
        "median_s": medians,
        "runs_s": figures,
        "ratio_to_table_baseline": medians["tuoyu"] / medians["table_10k_rows"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench")
    parser.add_argument("--scale", choices=[s.value for s in Scale], default="province")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-inspections", action="store_true", help="skip tests.bench.inspection_bench")
    parser.add_argument("--no-enrollment", action="store_true", help="skip tests.bench.enrollment_bench")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tuoyu-bench-") as folder:
        workdir = Path(folder)
        load = bench_demo_load(Scale(args.scale), args.seed, workdir)
        print(f"demo load ({args.scale}, {load['rows']:,} rows)")
        print(f"  generate rows in Python        {load['generate_s']:7.2f} s")
        tuoyu_rate, raw_rate = load["service_rows_per_s"], load["raw_rows_per_s"]
        print(f"  Tuoyu (SQLAlchemy Core bulk)   {load['service_insert_s']:7.2f} s  {tuoyu_rate:9,.0f} rows/s")
        print(f"  raw sqlite3 executemany        {load['raw_executemany_s']:7.2f} s  {raw_rate:9,.0f} rows/s")
        print(f"  ratio Tuoyu / raw              {load['ratio']:7.2f} x")
        start = bench_cold_start(workdir / "service", args.repeat)
        medians = start["median_s"]
        print(f"cold start to painted main window with the institution list (median of {args.repeat})")
        print(f"  Tuoyu, {args.scale} database        {medians['tuoyu']:7.3f} s")
        print(f"  raw PySide6: bare window       {medians['bare_window']:7.3f} s")
        print(f"  raw PySide6 + SQLAlchemy Core, 10k-row table {medians['table_10k_rows']:7.3f} s")
        print(f"  ratio Tuoyu / 10k-row table    {start['ratio_to_table_baseline']:7.2f} x")
    figures = {"demo_load": load, "cold_start": start}
    if args.scale == Scale.PROVINCE and not args.no_inspections:
        from tests.bench import inspection_bench

        figures["inspections"] = inspection_bench.run(None, args.seed, args.repeat)
    if args.scale == Scale.PROVINCE and not args.no_enrollment:
        from tests.bench import enrollment_bench

        figures["enrollment"] = enrollment_bench.run(None, args.seed, 200_000, 3)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
