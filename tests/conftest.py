"""Fixtures shared by the Qt-free suites: real databases (SQLite files, and PostgreSQL when available).

PostgreSQL tests run when TUOYU_TEST_PG names a server URL whose role may create databases
(``.ci/run`` starts one on 127.0.0.1); each test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from desktop.services.startup import AppContext, open_app

TODAY = date(2026, 11, 23)
PG_URL = os.environ.get("TUOYU_TEST_PG")


def _pg_database() -> Iterator[str]:
    """Create a throwaway PostgreSQL database and yield its URL."""
    if not PG_URL:
        pytest.skip("TUOYU_TEST_PG is not set: no PostgreSQL server for this run")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"tuoyu_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin, name: str) -> None:
    """Drop a test database, waiting out a background worker (autovacuum) that may still be on it."""
    for attempt in range(10):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == 9:
                raise
            time.sleep(0.5)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """None for the embedded SQLite database in tmp_path, or the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield None
    else:
        yield from _pg_database()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ctx(database_url: str | None, data_dir: Path) -> Iterator[AppContext]:
    """An opened, migrated, empty database on every engine under test."""
    context = open_app(data_dir=data_dir, url=database_url)
    yield context
    context.close()


@pytest.fixture
def sqlite_ctx(data_dir: Path) -> Iterator[AppContext]:
    context = open_app(data_dir=data_dir, url=None)
    yield context
    context.close()


@pytest.fixture
def demo_ctx(ctx: AppContext) -> AppContext:
    """``ctx`` with the county-scale demo loaded."""
    from desktop.demo.zhangye import Scale
    from desktop.services.demo_service import load_demo

    load_demo(ctx, scale=Scale.COUNTY, seed=7, today=TODAY)
    return ctx
