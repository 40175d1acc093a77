"""An import killed at any moment leaves the database as it was or fully imported, never half (reliability-anchors
§3D D1, §4D): ``tuoyu sync import`` runs as a process of its own and gets SIGKILL after delays spread over the
time a whole import takes (and beyond it); after each kill SQLite's integrity check passes and the database is
either identical to before or holds everything the bundle brings. A killed import is simply imported again.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from desktop.demo.zhangye import Scale
from desktop.domain.enums import NodeKind
from desktop.services.demo_service import load_demo
from desktop.sync.importing import import_bundle
from tests.e2e.test_cli import TUOYU
from tests.integration.syncing import GANZHOU, LOCAL_TABLES, Network, fingerprint, table_prints

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

KILLS = 20
# What differs between two complete imports of the same bundle: this node's own bookkeeping of the import.
BOOKKEEPING = {"skip_tables": LOCAL_TABLES | {"sync_conflicts"}, "skip_columns": {"recorded_at", "version"}}


def _import_process(data_dir: Path, bundle: Path) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [str(TUOYU), "--data-dir", str(data_dir), "sync", "import", str(bundle), "--json"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def _imported(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM sync_received").fetchone()[0] == 1
    finally:
        connection.close()


def test_an_import_killed_at_random_moments_is_all_or_nothing(tmp_path):
    network = Network(tmp_path)
    try:
        county = network.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU)
        load_demo(county, scale=Scale.COUNTY, seed=7, today=date(2026, 11, 23))
        city = network.node("张掖市卫生健康委员会", NodeKind.CITY)
        network.enrol(county, city)
        bundle, summary = network.export(county, city, full=True)
        assert summary.record_count > 10_000

        untouched = fingerprint(city)
        reference = network.clone(city, "reference")
        assert import_bundle(reference, bundle, write_receipt_file=False).created > 10_000
        complete = table_prints(reference, audit_origin_not=reference.node_id, **BOOKKEEPING)

        started = time.perf_counter()
        whole = network.clone(city, "timing")
        whole.close()
        assert _import_process(tmp_path / "timing", bundle).wait(timeout=300) == 0
        duration = time.perf_counter() - started

        rng = random.Random(20261123)
        seen = {"before": 0, "after": 0}
        for kill in range(KILLS):
            copy = network.clone(city, f"kill-{kill:02d}")
            copy.close()
            folder = tmp_path / f"kill-{kill:02d}"
            process = _import_process(folder, bundle)
            time.sleep(duration * (kill / (KILLS - 4)) * rng.uniform(0.9, 1.1))  # the last ones outlive the import
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)

            database = folder / "tuoyu.db"
            assert _integrity(database) == "ok", kill
            reopened = network.reopen(folder)
            if _imported(database):
                assert table_prints(reopened, audit_origin_not=reopened.node_id, **BOOKKEEPING) == complete, kill
                seen["after"] += 1
            else:
                assert fingerprint(reopened) == untouched, kill
                seen["before"] += 1
                if seen["before"] == 1:  # a killed import is imported again, completely
                    again = import_bundle(reopened, bundle, write_receipt_file=False)
                    assert not again.refused and again.created > 10_000
        assert seen["before"] and seen["after"], seen
    finally:
        network.close()
