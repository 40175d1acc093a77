"""Sync export and import at province scale, beside plain sqlite3 doing the same rows in the same run.

    .venv/bin/python -m tests.bench.sync_bench [--data-dir DIR] [--county 620702] [--repeat 3] [--json FILE]

1. The province demo with children (tests.bench.enrollment_bench's build, ~1 min; or ``--data-dir`` a folder it
   built) becomes the county node of ``--county``: its records are that county's share of the province demo.
   A city node is made beside it and the two enrol each other.
2. Export: ``export_bundle(full=True)`` of everything the county sends the city, timed from the call to its
   return (reading, encoding, hashing, audit, sealing the children, writing and signing the file). Baselines:
   plain sqlite3 reading the same rows (``SELECT *`` of the city's tables once they hold them), and the raw insert
   rate of step 3.
3. Import: ``import_bundle`` into a fresh copy of the empty city (checks, decryption, parsing, planning, the
   writes with their journal and shadows, the audit entries; not the receipt file), median of ``--repeat`` rounds.
   Baseline: plain sqlite3 ``executemany`` of exactly the rows the import wrote to the record tables and the
   audit log (read back from the city, already in SQLite's storage form) into another copy of the empty city,
   in one transaction with the application's PRAGMAs. rows/s counts those rows for both.

Target (issue 7): at least a quarter of the raw rate. Not part of the test run's pass/fail.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from desktop.domain.enums import NodeKind
from desktop.services.enrolled_nodes import enrol_node
from desktop.services.nodes import export_public_key, init_node
from desktop.services.startup import open_app
from desktop.sync import scopes
from desktop.sync.export import export_bundle
from desktop.sync.importing import import_bundle
from tests.bench.enrollment_bench import build, snapshot
from tests.bench.inspection_bench import raw_connection

GANZHOU = "620702"


def _nodes(province: Path, workdir: Path, county_code: str) -> tuple[Path, Path]:
    """The county (a copy of the province demo) and an empty city, enrolled with each other."""
    county_dir, city_dir = workdir / "county", workdir / "city"
    county_dir.mkdir()
    snapshot(province / "tuoyu.db", county_dir / "tuoyu.db")
    county, city = open_app(data_dir=county_dir, url=None), open_app(data_dir=city_dir, url=None)
    init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code=county_code)
    init_node(city, role=NodeKind.CITY, name="张掖市卫生健康委员会")
    for own, peer in ((county, city), (city, county)):
        key = workdir / f"{peer.node_id}.tuoyu-pubkey"
        export_public_key(peer, key)
        enrol_node(own, key)
    county.close()
    city.close()
    return county_dir, city_dir


def _copy_node(source: Path, target: Path) -> None:
    target.mkdir()
    shutil.copytree(source / "keys", target / "keys")
    snapshot(source / "tuoyu.db", target / "tuoyu.db")


def _tables() -> list[str]:
    return [model.__tablename__ for model in scopes.tables_from(NodeKind.COUNTY, NodeKind.CITY)] + ["audit_log"]


def _rows(path: Path, tables: list[str], since: dict[str, int] | None = None) -> dict[str, tuple[list[str], list]]:
    """Rows as SQLite stores them (after ``since``: the rowid each table had before)."""
    connection = sqlite3.connect(path)
    found = {}
    for table in tables:
        columns = [c[1] for c in connection.execute(f"PRAGMA table_info({table})")]
        where = f"WHERE rowid > {since.get(table, 0)}" if since else ""
        found[table] = (columns, connection.execute(f"SELECT {', '.join(columns)} FROM {table} {where}").fetchall())
    connection.close()
    return found


def _high_rowids(path: Path, tables: list[str]) -> dict[str, int]:
    connection = sqlite3.connect(path)
    query = "SELECT coalesce(max(rowid), 0) FROM {}"
    found = {table: connection.execute(query.format(table)).fetchone()[0] for table in tables}
    connection.close()
    return found


def _raw_read(path: Path, tables: list[str]) -> tuple[float, int]:
    connection = raw_connection(path)
    started = time.perf_counter()
    count = 0
    for table in tables:
        count += len(connection.execute(f"SELECT * FROM {table}").fetchall())
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, count


def _raw_insert(path: Path, written: dict[str, tuple[list[str], list]]) -> float:
    raw = raw_connection(path)
    started = time.perf_counter()
    raw.execute("BEGIN IMMEDIATE")
    finished = []
    for table, (columns, rows) in written.items():
        if table == "inspections":  # as the import does: drafts first, finished once their answers are in
            at = columns.index("finished")
            finished = [(row[columns.index("id")],) for row in rows if row[at]]
            rows = [(*row[:at], 0, *row[at + 1 :]) for row in rows]
        marks = ", ".join("?" * len(columns))
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    raw.executemany("UPDATE inspections SET finished = 1 WHERE id = ?", finished)
    raw.execute("COMMIT")
    elapsed = time.perf_counter() - started
    raw.close()
    return elapsed


def bench(province: Path, workdir: Path, county_code: str, repeat: int) -> dict:
    county_dir, city_dir = _nodes(province, workdir, county_code)
    empty_city = workdir / "city-empty"
    _copy_node(city_dir, empty_city)
    tables = _tables()

    county = open_app(data_dir=county_dir, url=None)
    city_id = open_app(data_dir=empty_city, url=None)
    target = city_id.node_id
    city_id.close()
    bundle = workdir / "county-full.tuoyu-sync"
    started = time.perf_counter()
    exported = export_bundle(county, to=target, out=bundle, full=True)
    export_s = time.perf_counter() - started
    county.close()

    runs, raw_runs, outcome, written = [], [], None, {}
    for round_ in range(repeat):
        city_dir_round = workdir / f"city-{round_}"
        _copy_node(empty_city, city_dir_round)
        before = _high_rowids(city_dir_round / "tuoyu.db", tables)
        ctx = open_app(data_dir=city_dir_round, url=None)
        started = time.perf_counter()
        outcome = import_bundle(ctx, bundle, write_receipt_file=False)
        runs.append(time.perf_counter() - started)
        ctx.close()
        assert not outcome.refused, outcome.message
        written = _rows(city_dir_round / "tuoyu.db", tables, before)
        read_s, read_rows = _raw_read(city_dir_round / "tuoyu.db", [t for t in tables if t != "audit_log"])
        raw_copy = workdir / f"raw-{round_}"
        _copy_node(empty_city, raw_copy)
        raw_runs.append(_raw_insert(raw_copy / "tuoyu.db", written))
        shutil.rmtree(city_dir_round)
        shutil.rmtree(raw_copy)
    rows_written = sum(len(rows) for _, rows in written.values())
    import_s, raw_s = statistics.median(runs), statistics.median(raw_runs)
    records = exported.record_count
    return {
        "county": county_code,
        "records": records,
        "records_by_table": exported.records,
        "audit_entries": exported.audit_entries,
        "bundle_mb": exported.file_size / 1024**2,
        "export_s": export_s,
        "export_records_per_s": records / export_s,
        "raw_select_s": read_s,
        "raw_select_rows_per_s": read_rows / read_s,
        "import_runs_s": runs,
        "import_s": import_s,
        "created": outcome.created,
        "unchanged": outcome.unchanged,
        "rows_written": rows_written,
        "rows_written_by_table": {table: len(rows) for table, (_, rows) in written.items() if rows},
        "import_rows_per_s": rows_written / import_s,
        "raw_executemany_runs_s": raw_runs,
        "raw_executemany_s": raw_s,
        "raw_rows_per_s": rows_written / raw_s,
        "import_share_of_raw_rate": raw_s / import_s,
        "export_share_of_raw_insert_rate": (records / export_s) / (rows_written / raw_s),
    }


def report(figures: dict) -> None:
    b = figures["bench"]
    print(f"sync county {b['county']} → city, province demo: {b['records']:,} records, {b['audit_entries']:,} audit "
          f"entries, bundle {b['bundle_mb']:,.1f} MB")  # fmt: skip
    print(f"  {b['records_by_table']}")
    print(f"  export (full)                  {b['export_s']:7.2f} s  {b['export_records_per_s']:9,.0f} records/s")
    print(f"  raw sqlite3 SELECT of the rows {b['raw_select_s']:7.2f} s  {b['raw_select_rows_per_s']:9,.0f} rows/s")
    print(f"  import (median of {len(b['import_runs_s'])})           {b['import_s']:7.2f} s  "
          f"{b['import_rows_per_s']:9,.0f} rows/s ({b['rows_written']:,} rows written: records and audit)")  # fmt: skip
    print(f"  raw sqlite3 executemany        {b['raw_executemany_s']:7.2f} s  {b['raw_rows_per_s']:9,.0f} rows/s")
    print(f"  import rate / raw rate         {b['import_share_of_raw_rate']:7.2f}     (target ≥ 0.25)")
    print(f"  export rate / raw insert rate  {b['export_share_of_raw_insert_rate']:7.2f}")


def run(data_dir: Path | None, county: str, repeat: int, seed: int, children: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="tuoyu-sync-") as folder:
        setup = {}
        if data_dir is None:
            data_dir = Path(folder) / "province"
            setup = build(data_dir, seed, children)
        work = Path(folder) / "work"
        work.mkdir()
        figures = {"setup": setup, "bench": bench(data_dir, work, county, repeat)}
    report(figures)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.sync_bench")
    parser.add_argument("--data-dir", type=Path, help="a province demo with children (enrollment_bench --build)")
    parser.add_argument("--county", default=GANZHOU, help="the county node's division code (default 620702)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures = run(args.data_dir, args.county, args.repeat, args.seed, args.children)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
