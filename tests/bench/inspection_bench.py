"""Recording an inspection, and the inspection ledger at province scale, each beside raw sqlite3.

    .venv/bin/python -m tests.bench.inspection_bench [--data-dir DIR] [--repeat 7] [--json FILE]

1. Recording a 40-item inspection the way the 检查 screen does (start_inspection, save_answers with
   40 answers and their notes, finish_inspection issuing a rectification notice: three
   transactions), and computing its outcome alone (``inspection_outcome.evaluate``). Baseline: plain
   sqlite3 writing the same rows (one inspection, 40 answers, the counter and one notice) in one
   transaction, and in three as the screen does.
2. The ledger on the province demo (~100,000 inspections): ``county_ledgers`` with ``due_this_week``
   for one county and for all (what the 检查 screen shows), and the InspectionOverviewView built and
   painted offscreen. Baseline: the same counts in hand-written SQL with sqlite3. Measured on
   2026-11-23 (the demo's today) and on 2026-12-07, in the half-year's last month, when the list of
   institutions still without their half-year inspection is added. The current quarter's draw is
   recorded first, as a bureau would have done by then.

The province demo is built (and its load timed) unless --data-dir names one; the benchmark writes
into that database (a 40-item checklist version, a draw, the recorded inspections). The machines
are noisy: read the ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.db.sqlite_pragmas import CACHE_SIZE_KIB, journal_settings
from desktop.demo.zhangye import Scale
from desktop.domain.checklist_format import dump_template
from desktop.domain.checklists import Answer, ChecklistTemplate
from desktop.domain.document_numbers import rectification_notice_number
from desktop.domain.enums import InspectionKind
from desktop.domain.finding_records import finding_to_json
from desktop.domain.inspection_outcome import evaluate
from desktop.domain.working_days import official_calendar
from desktop.models.uuid7 import uuid7
from desktop.services.checklist_templates import bundled_template_files, import_template, read_template_file
from desktop.services.demo_service import load_demo
from desktop.services.inspection_ledger import county_ledgers, due_this_week, half_year, half_year_end, quarter
from desktop.services.inspection_plan import county_plan
from desktop.services.inspections import finish_inspection, save_answers, start_inspection
from desktop.services.random_draws import draw_counties
from desktop.services.startup import AppContext, open_app

TODAY = date(2026, 11, 23)
LAST_MONTH = date(2026, 12, 7)  # the half-year's last month: the pending half-year list shows too
COUNTY = "620702"  # 甘州区, the largest county
ITEMS = 40
FAILING = 3
TARGET_S = 0.5


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def timed(work: Callable[..., object], *args: object, **kwargs: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = work(*args, **kwargs)
    return time.perf_counter() - started, result


# --- the province demo -------------------------------------------------------------------------


def build_province(data_dir: Path, seed: int) -> float:
    ctx = open_app(data_dir=data_dir, url=None)
    started = time.perf_counter()
    load_demo(ctx, scale=Scale.PROVINCE, seed=seed, today=TODAY)
    elapsed = time.perf_counter() - started
    ctx.close()
    return elapsed


def raw_connection(path: Path) -> sqlite3.Connection:
    """Plain sqlite3 with the application's own PRAGMAs, so only the layers above differ."""
    journal_mode, synchronous = journal_settings(sqlite3.sqlite_version_info)
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "foreign_keys=ON",
        f"journal_mode={journal_mode}",
        f"synchronous={synchronous}",
        f"cache_size=-{CACHE_SIZE_KIB}",
        "secure_delete=ON",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


# --- 1. recording a 40-item inspection -----------------------------------------------------------


def forty_item_template(ctx: AppContext, folder: Path) -> ChecklistTemplate:
    """The bundled checklist cut to its first 40 items, issued as the version in force from 2 January."""
    bundled = read_template_file(bundled_template_files()[0])
    items = bundled.items[:ITEMS]
    used = {item.area for item in items}
    template = dataclasses.replace(
        bundled,
        code="bench-forty",
        version="2026.1",
        title=f"{bundled.title}（{ITEMS} 项）",
        effective_from=date(2026, 1, 2),
        areas=tuple(area for area in bundled.areas if area.code in used),
        items=items,
    )
    path = folder / "bench-forty-2026.1.toml"
    path.write_text(dump_template(template), encoding="utf-8")
    import_template(ctx, path)
    return template


def answers_for(template: ChecklistTemplate) -> tuple[dict[str, Answer], dict[str, str]]:
    """40 answers: three ordinary items fail with what was seen, two that pass carry a remark."""
    ordinary = [item for item in template.items if not item.veto]
    answers = {item.code: Answer.COMPLIANT for item in template.items}
    notes = {}
    for item in ordinary[:FAILING]:
        answers[item.code] = Answer.NON_COMPLIANT
        notes[item.code] = f"现场检查发现：{item.text[:24]}……未达到要求，已当场指出"
    for item in ordinary[-2:]:
        notes[item.code] = "符合要求，建议继续保持"
    return answers, notes


def institutions_to_inspect(path: Path, count: int) -> list[tuple[str, str, str]]:
    """(id hex, county code, principal) of operating institutions, one per recording."""
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT id, county_code, principal_name FROM institutions WHERE operating_status = 'operating' "
        "ORDER BY name_initials LIMIT ?",
        (count,),
    ).fetchall()
    connection.close()
    return rows


def record_with_services(ctx: AppContext, institution_hex: str, answers, notes) -> str | None:
    inspection_id = start_inspection(
        ctx,
        uuid.UUID(institution_hex),
        kind=InspectionKind.SEMIANNUAL_INSPECTION,
        period=half_year(TODAY),
        inspected_at=datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2),
        inspectors="张明、李华",
        representative="王芳",
    )
    save_answers(ctx, inspection_id, answers, notes)
    result = finish_inspection(ctx, inspection_id, expected_version=1, today=TODAY)
    return result.notice_number


class RawRecording:
    """The same rows with plain sqlite3: values prepared beforehand, only the database work timed."""

    def __init__(self, path: Path, template_hex: str, template: ChecklistTemplate, answers, notes) -> None:
        self.connection = raw_connection(path)
        self.county_names = dict(self.connection.execute("SELECT code, name FROM regions"))
        self.template_hex = template_hex
        outcome = evaluate(template, answers, notes, inspected_on=TODAY, calendar=official_calendar())
        self.outcome = outcome
        self.items_json = json.dumps([finding_to_json(f) for f in outcome.findings], ensure_ascii=False)
        self.answers, self.notes = answers, notes

    def prepare(self, institution: tuple[str, str, str]) -> dict:
        institution_hex, county, principal = institution
        now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        inspection_hex, origin = uuid7().hex, uuid7().hex
        stamp = (now, now, origin, 1)
        return {
            "inspection": (
                inspection_hex,
                institution_hex,
                self.template_hex,
                "semiannual_inspection",
                half_year(TODAY),
                f"{TODAY.isoformat()} 02:00:00.000000",
                "张明、李华",
                principal,
                *stamp,
            ),
            "answers": [
                (uuid7().hex, inspection_hex, code, answer.value, self.notes.get(code), *stamp)
                for code, answer in self.answers.items()
            ],
            "finish": (self.outcome.conclusion.value, self.outcome.score, now, inspection_hex),
            "county": county,
            "notice": (uuid7().hex, inspection_hex, institution_hex, county, now, origin),
        }

    def record(self, rows: dict, *, transactions: int) -> None:
        execute = self.connection.execute
        execute("BEGIN IMMEDIATE")
        execute(
            "INSERT INTO inspections (id, institution_id, template_id, kind, period, inspected_at, inspectors, "
            "representative, finished, conclusion, created_at, updated_at, origin, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 'incomplete', ?, ?, ?, ?)",
            rows["inspection"],
        )
        if transactions == 3:
            execute("COMMIT")
            execute("BEGIN IMMEDIATE")
        self.connection.executemany(
            "INSERT INTO inspection_answers (id, inspection_id, item_code, answer, note, created_at, updated_at, "
            "origin, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows["answers"],
        )
        if transactions == 3:
            execute("COMMIT")
            execute("BEGIN IMMEDIATE")
        execute(
            "UPDATE inspections SET finished = 1, conclusion = ?, score = ?, updated_at = ?, version = version + 1 "
            "WHERE id = ?",
            rows["finish"],
        )
        county, year = rows["county"], TODAY.year
        serial = execute(
            "INSERT INTO document_counters (county_code, year, kind, last_serial) VALUES (?, ?, 'rectification', 1) "
            "ON CONFLICT (county_code, year, kind) DO UPDATE SET last_serial = last_serial + 1 "
            "RETURNING last_serial",
            (county, year),
        ).fetchone()[0]
        notice_id, inspection_hex, institution_hex, _, now, origin = rows["notice"]
        execute(
            "INSERT INTO rectification_notices (id, inspection_id, institution_id, county_code, year, serial, "
            "document_number, issued_on, deadline, deadline_estimated, items_json, created_at, updated_at, origin, "
            "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            (
                notice_id,
                inspection_hex,
                institution_hex,
                county,
                year,
                serial,
                rectification_notice_number(self.county_names[county], year, serial),
                TODAY.isoformat(),
                self.outcome.deadline.due.isoformat(),
                int(self.outcome.deadline.estimated),
                self.items_json,
                now,
                now,
                origin,
            ),
        )
        execute("COMMIT")


def bench_recording(ctx: AppContext, folder: Path, repeat: int) -> dict:
    template = forty_item_template(ctx, folder)
    answers, notes = answers_for(template)
    path = ctx.db.path
    connection = sqlite3.connect(path)
    template_hex = connection.execute("SELECT id FROM checklist_templates WHERE code = 'bench-forty'").fetchone()[0]
    connection.close()
    # One more of each than measured: the first warms caches and imports.
    institutions = institutions_to_inspect(path, 3 * (repeat + 1))
    raw = RawRecording(path, template_hex, template, answers, notes)
    figures: dict[str, list[float]] = {"services": [], "raw_one_transaction": [], "raw_three_transactions": []}
    for run in range(repeat + 1):
        service_s, number = timed(record_with_services, ctx, institutions[3 * run][0], answers, notes)
        assert number, "a failed inspection issues a notice"
        one = raw.prepare(institutions[3 * run + 1])
        raw_one_s, _ = timed(raw.record, one, transactions=1)
        three = raw.prepare(institutions[3 * run + 2])
        raw_three_s, _ = timed(raw.record, three, transactions=3)
        if run:
            figures["services"].append(service_s)
            figures["raw_one_transaction"].append(raw_one_s)
            figures["raw_three_transactions"].append(raw_three_s)
    raw.connection.close()
    calendar = official_calendar()
    evaluations = []
    for _ in range(20 * repeat):
        seconds, outcome = timed(evaluate, template, answers, notes, inspected_on=TODAY, calendar=calendar)
        evaluations.append(seconds)
    assert len(outcome.findings) == FAILING and outcome.deadline is not None
    medians = {name: median_ms(values) for name, values in figures.items()}
    return {
        "items": len(template.items),
        "median_ms": medians | {"evaluate": median_ms(evaluations)},
        "runs_ms": {name: [v * 1000 for v in values] for name, values in figures.items()},
        "ratio_to_raw_one_transaction": medians["services"] / medians["raw_one_transaction"],
        "ratio_to_raw_three_transactions": medians["services"] / medians["raw_three_transactions"],
    }


# --- 2. the ledger -------------------------------------------------------------------------------

_OPEN = "NOT EXISTS (SELECT 1 FROM rectification_closures c WHERE c.notice_id = n.id)"


def raw_ledger(connection: sqlite3.Connection, today: date, county: str | None) -> dict:
    """The ledger's counts and this week's list in hand-written SQL: the floor for the same work."""
    half, this_quarter, until = half_year(today), quarter(today), today + timedelta(days=7)
    counties = connection.execute("SELECT code, name FROM regions WHERE level = 'county' ORDER BY code").fetchall()
    done = dict(
        connection.execute(
            "SELECT i.county_code, COUNT(DISTINCT x.institution_id) FROM inspections x "
            "JOIN institutions i ON i.id = x.institution_id "
            "WHERE x.period = ? AND x.finished = 1 AND x.kind = 'semiannual_inspection' GROUP BY i.county_code",
            (half,),
        )
    )
    operating = dict(
        connection.execute(
            "SELECT county_code, COUNT(*) FROM institutions WHERE operating_status = 'operating' GROUP BY county_code"
        )
    )
    notices = {
        code: (total, overdue)
        for code, total, overdue in connection.execute(
            f"SELECT county_code, COUNT(*), SUM(deadline < ?) FROM rectification_notices n WHERE {_OPEN} "
            "GROUP BY county_code",
            (today.isoformat(),),
        )
    }
    checked = {
        row[0]
        for row in connection.execute(
            "SELECT institution_id FROM inspections "
            "WHERE period = ? AND kind = 'quarterly_spot_check' AND finished = 1",
            (this_quarter,),
        )
    }
    drawn: dict[str, dict[str, bool]] = {}
    for code, result_json in connection.execute(
        "SELECT county_code, result_json FROM random_draws WHERE period = ?", (this_quarter,)
    ):
        drawn[code] = {
            d["institution_id"]: d["institution_id"].replace("-", "") in checked for d in json.loads(result_json)
        }
    ledger = [
        (
            code,
            operating.get(code, 0),
            done.get(code, 0),
            len(drawn.get(code, {})),
            sum(drawn.get(code, {}).values()),
            *notices.get(code, (0, 0)),
        )
        for code, _ in counties
    ]
    where, parameters = ("AND i.county_code = ?", (county,)) if county else ("", ())
    due = connection.execute(
        "SELECT n.document_number, n.deadline, i.id, i.name, i.county_code FROM rectification_notices n "
        f"JOIN institutions i ON i.id = n.institution_id WHERE {_OPEN} AND n.deadline <= ? {where} "
        "ORDER BY n.deadline",
        (until.isoformat(), *parameters),
    ).fetchall()
    pending = {i.replace("-", "") for c in drawn.values() for i, done_ in c.items() if not done_}
    county_only = "WHERE county_code = ?" if county else ""
    due_drawn = [
        row
        for row in connection.execute(f"SELECT id, name, county_code FROM institutions {county_only}", parameters)
        if row[0] in pending
    ]
    due_half: list = []
    if half_year_end(today) - today <= timedelta(days=31):
        due_half = connection.execute(
            "SELECT i.id, i.name, i.county_code FROM institutions i WHERE i.operating_status = 'operating' "
            "AND i.id NOT IN (SELECT x.institution_id FROM inspections x WHERE x.period = ? "
            f"AND x.kind = 'semiannual_inspection' AND x.finished = 1) {where} ORDER BY i.name_initials",
            (half, *parameters),
        ).fetchall()
    return {"ledger": ledger, "due": len(due) + len(due_drawn) + len(due_half)}


def service_ledger(ctx: AppContext, today: date, county: str | None) -> dict:
    ledgers = county_ledgers(ctx, today=today)
    due = due_this_week(ctx, today=today, county_code=county)
    return {
        "ledger": [
            (c.county_code, c.operating, c.semiannual_done, c.drawn, c.drawn_done, c.open_notices, c.overdue_notices)
            for c in ledgers
        ],
        "due": len(due),
    }


def bench_ledger(ctx: AppContext, app, repeat: int) -> dict:
    from desktop.ui.views.inspection_overview_view import InspectionOverviewView

    draw_counties(ctx, period=quarter(TODAY), seed=7, rate=0.2)  # the current quarter's draw, as by now
    connection = raw_connection(ctx.db.path)
    figures: dict[str, dict] = {}
    for label, today in (("today", TODAY), ("last_month", LAST_MONTH)):
        for scope, county in (("county", COUNTY), ("all", None)):
            expected = service_ledger(ctx, today, county)  # also warms caches
            assert raw_ledger(connection, today, county) == expected, "the baseline must count the same"
            service, bare = [], []
            for _ in range(repeat):
                service.append(timed(service_ledger, ctx, today, county)[0])
                bare.append(timed(raw_ledger, connection, today, county)[0])
            figures[f"{label}_{scope}"] = {
                "due_items": expected["due"],
                "service_ms": median_ms(service),
                "raw_ms": median_ms(bare),
                "ratio": statistics.median(service) / statistics.median(bare),
            }

        def view_on_screen(day: date = today) -> None:
            view = InspectionOverviewView(ctx, today=day)
            view.resize(1400, 900)
            view.show()
            app.processEvents()
            view.close()
            view.deleteLater()

        view_on_screen()
        figures[f"{label}_view"] = {
            "service_ms": median_ms([timed(view_on_screen)[0] for _ in range(repeat)]),
            # The view's other query: the first county's half-year plan, shown in its second tab.
            "county_plan_ms": median_ms([timed(county_plan, ctx, COUNTY, today=today)[0] for _ in range(repeat)]),
        }
    connection.close()
    return figures


# --- report --------------------------------------------------------------------------------------


def report(load_s: float | None, counts: dict, recording: dict, ledger: dict, repeat: int) -> None:
    if load_s is not None:
        print(f"province demo load (tuoyu demo --scale province, in process)  {load_s:7.1f} s")
    print(
        f"  {counts['inspections']:,} inspections, {counts['answers']:,} answers, {counts['notices']:,} notices "
        f"({counts['open']:,} open)"
    )
    med = recording["median_ms"]
    print(f"recording a {recording['items']}-item inspection with a notice (median of {repeat})")
    print(f"  services: start + save 40 answers + finish    {med['services']:8.1f} ms")
    print(f"  raw sqlite3, one transaction                 {med['raw_one_transaction']:8.1f} ms")
    print(f"  raw sqlite3, three transactions              {med['raw_three_transactions']:8.1f} ms")
    print(f"  ratio services / raw one transaction         {recording['ratio_to_raw_one_transaction']:8.2f} x")
    print(f"  ratio services / raw three transactions      {recording['ratio_to_raw_three_transactions']:8.2f} x")
    print(f"  evaluate() alone (outcome of 40 answers)     {med['evaluate']:8.3f} ms")
    print(f"ledger on the province demo (median of {repeat}; target on screen < {TARGET_S * 1000:.0f} ms)")
    for label, day in (("today", TODAY), ("last_month", LAST_MONTH)):
        for scope, text in (("county", f"one county ({COUNTY})"), ("all", "all counties")):
            f = ledger[f"{label}_{scope}"]
            print(
                f"  {day}  county_ledgers + due_this_week, {text:20s} {f['service_ms']:7.1f} ms"
                f"  raw {f['raw_ms']:6.1f} ms  ratio {f['ratio']:5.2f} x  ({f['due_items']} due)"
            )
        view = ledger[f"{label}_view"]
        print(
            f"  {day}  InspectionOverviewView built and painted  {view['service_ms']:7.1f} ms"
            f"  (of which county_plan {view['county_plan_ms']:.1f} ms)"
        )


def counts_of(path: Path) -> dict:
    connection = sqlite3.connect(path)
    one = lambda sql: connection.execute(sql).fetchone()[0]  # noqa: E731
    counts = {
        "inspections": one("SELECT COUNT(*) FROM inspections"),
        "answers": one("SELECT COUNT(*) FROM inspection_answers"),
        "notices": one("SELECT COUNT(*) FROM rectification_notices"),
        "open": one(f"SELECT COUNT(*) FROM rectification_notices n WHERE {_OPEN}"),
    }
    connection.close()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.inspection_bench")
    parser.add_argument("--data-dir", type=Path, help="an existing province demo (built if omitted)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures = run(args.data_dir, args.seed, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


def run(data_dir: Path | None, seed: int, repeat: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.chinese import install_chinese

    app = QApplication.instance() or QApplication(sys.argv)
    install_chinese(app)
    with tempfile.TemporaryDirectory(prefix="tuoyu-inspections-") as folder:
        load_s = None
        if data_dir is None:
            data_dir = Path(folder) / "province"
            load_s = build_province(data_dir, seed)
        ctx = open_app(data_dir=data_dir, url=None)
        counts = counts_of(ctx.db.path)
        ledger = bench_ledger(ctx, app, repeat)
        recording = bench_recording(ctx, Path(folder), repeat)
        ctx.close()
    report(load_s, counts, recording, ledger, repeat)
    return {"demo_load_s": load_s, "counts": counts, "recording": recording, "ledger": ledger}


if __name__ == "__main__":
    sys.exit(main())
