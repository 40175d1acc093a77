"""Imports at the same time (reliability-anchors A30, E3): two clerks importing the same bundle at once import it
once — the other is told it is already imported — and an import that meets a serialization failure or deadlock
(PostgreSQL) is run again from the start, a bounded number of times, with nothing written twice.

The city runs on every engine under test.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import exc, func, select

from desktop.domain.enums import NodeKind
from desktop.models import Child, SyncReceivedBundle
from desktop.services.startup import open_app
from desktop.services.unit_of_work import read_session
from desktop.sync import importing, write_transaction
from desktop.sync.importing import import_bundle
from tests.integration.subsidizing import child, institution
from tests.integration.syncing import GANZHOU, Network


@pytest.fixture
def network(tmp_path: Path, database_url: str | None):
    net = Network(tmp_path)
    net.county = net.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU)
    net.city = net.node("张掖市卫生健康委员会", NodeKind.CITY, url=database_url)
    net.city_url = database_url
    net.enrol(net.county, net.city)
    institution_id = institution(net.county)
    for name in ("王小明", "李小红", "张小刚"):
        child(net.county, institution_id, name=name)
    yield net
    net.close()


def _counts(ctx) -> tuple[int, int]:
    with read_session(ctx.db) as session:
        return (
            session.scalar(select(func.count()).select_from(Child)),
            session.scalar(select(func.count()).select_from(SyncReceivedBundle)),
        )


def test_two_clerks_importing_the_same_bundle_at_once_import_it_once(network, tmp_path):
    bundle, _ = network.export(network.county, network.city)
    second_clerk = open_app(data_dir=tmp_path / "张掖市卫生健康委员会", url=network.city_url)
    outcomes, errors = [], []
    start = threading.Barrier(2)

    def clerk(ctx) -> None:
        try:
            start.wait()
            outcomes.append(import_bundle(ctx, bundle, write_receipt_file=False))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=clerk, args=(ctx,)) for ctx in (network.city, second_clerk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    second_clerk.close()
    assert errors == []
    assert sorted(o.already_imported for o in outcomes) == [False, True]
    assert all(not o.refused for o in outcomes)
    assert _counts(network.city) == (3, 1)


def test_an_import_meeting_a_serialization_failure_runs_again_from_the_start(network, monkeypatch):
    bundle, _ = network.export(network.county, network.city)
    real, attempts = importing._import_data, []

    class SerializationFailure(Exception):
        sqlstate = "40001"

    def failing_twice(connection, *args, **kwargs):
        attempts.append(1)
        result = real(connection, *args, **kwargs)  # everything written, then the commit's failure
        if len(attempts) <= 2:
            raise exc.OperationalError("COMMIT", {}, SerializationFailure("could not serialize access"))
        return result

    monkeypatch.setattr(importing, "_import_data", failing_twice)
    outcome = import_bundle(network.city, bundle, write_receipt_file=False)
    assert len(attempts) == 3 and not outcome.refused and outcome.created > 0
    assert _counts(network.city) == (3, 1)


def test_an_import_failing_every_time_stops_and_changes_nothing(network, monkeypatch):
    bundle, _ = network.export(network.county, network.city)
    real, attempts = importing._import_data, []

    class Deadlock(Exception):
        sqlstate = "40P01"

    def always_failing(connection, *args, **kwargs):
        attempts.append(1)
        real(connection, *args, **kwargs)
        raise exc.OperationalError("COMMIT", {}, Deadlock("deadlock detected"))

    monkeypatch.setattr(importing, "_import_data", always_failing)
    outcome = import_bundle(network.city, bundle, write_receipt_file=False)
    assert len(attempts) == write_transaction.MAX_ATTEMPTS
    assert outcome.refused and outcome.reason == "database_refused"
    assert _counts(network.city) == (0, 0)
