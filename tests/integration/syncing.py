"""Nodes that sync with each other for the sync tests: a county, its laptops and its city, enrolled both ways,
and a fingerprint of a whole database to compare before and after.

``Network`` opens each installation in a folder of its own (the county on the engine under test when asked),
initialises it as a node, and enrols each pair the rules allow. ``send`` exports from one node to another and
imports at the other, and ``acknowledge`` carries the receipt back.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, select, text

from desktop.db.backup import backup_sqlite
from desktop.domain.enums import NodeKind
from desktop.paths import database_path, keys_dir
from desktop.services.enrolled_nodes import enrol_node
from desktop.services.nodes import export_public_key, init_node
from desktop.services.startup import AppContext, open_app
from desktop.sync.export import ExportSummary, export_bundle
from desktop.sync.importing import ImportOutcome, import_bundle

GANZHOU, SUNAN, ZHANGYE = "620702", "620721", "620700"

# Bookkeeping of this installation alone: ids and times of its own imports and exports, its journal order.
LOCAL_TABLES = frozenset({"sync_journal", "sync_sent", "sync_received", "alembic_version"})


@dataclass
class Network:
    root: Path
    opened: list[AppContext] = field(default_factory=list)
    counter: int = 0

    def node(self, name: str, role: NodeKind, division: str | None = None, url: str | None = None) -> AppContext:
        ctx = open_app(data_dir=self.root / name, url=url)
        self.opened.append(ctx)
        init_node(ctx, role=role, name=name, division_code=division)
        return ctx

    def enrol(self, a: AppContext, b: AppContext) -> None:
        """``a`` and ``b`` enrol each other's public-key files."""
        for mine, theirs in ((a, b), (b, a)):
            key = self.root / f"{uuid.uuid4().hex}.tuoyu-pubkey"
            export_public_key(theirs, key)
            enrol_node(mine, key)

    def export(self, source: AppContext, target: AppContext, *, full: bool = False) -> tuple[Path, ExportSummary]:
        self.counter += 1
        path = self.root / f"bundle-{self.counter:03d}.tuoyu-sync"
        return path, export_bundle(source, to=target.node_id, out=path, full=full)

    def send(self, source: AppContext, target: AppContext, *, full: bool = False) -> ImportOutcome:
        path, _ = self.export(source, target, full=full)
        outcome = import_bundle(target, path)
        assert not outcome.refused, outcome.message
        return outcome

    def acknowledge(self, outcome: ImportOutcome, source: AppContext) -> ImportOutcome:
        """Import at ``source`` the receipt the import of ``outcome`` wrote."""
        assert outcome.receipt_file, outcome.receipt_error
        answered = import_bundle(source, Path(outcome.receipt_file))
        assert not answered.refused, answered.message
        return answered

    def clone(self, ctx: AppContext, name: str) -> AppContext:
        """A copy of an embedded SQLite node — database (backup API) and keys — opened from a folder of its own."""
        folder = self.root / name
        keys_dir(folder).parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(keys_dir(ctx.db.data_dir), keys_dir(folder))
        backup_sqlite(ctx.db.path, database_path(folder))
        copy = open_app(data_dir=folder, url=None)
        self.opened.append(copy)
        return copy

    def reopen(self, folder: Path) -> AppContext:
        ctx = open_app(data_dir=folder, url=None)
        self.opened.append(ctx)
        return ctx

    def close(self) -> None:
        for ctx in self.opened:
            ctx.close()


def fingerprint(
    ctx: AppContext,
    *,
    skip_tables: Iterable[str] = (),
    skip_columns: Iterable[str] = (),
    audit_origin_not: uuid.UUID | None = None,
) -> str:
    """SHA-256 over every row of every table (sorted), less what is asked to be left out."""
    prints = table_prints(ctx, skip_tables=skip_tables, skip_columns=skip_columns, audit_origin_not=audit_origin_not)
    return hashlib.sha256(json.dumps(prints, sort_keys=True).encode()).hexdigest()


def table_prints(
    ctx: AppContext,
    *,
    skip_tables: Iterable[str] = (),
    skip_columns: Iterable[str] = (),
    audit_origin_not: uuid.UUID | None = None,
) -> dict[str, str]:
    """Per table, SHA-256 over its rows (sorted): which table differs, when fingerprints differ."""
    skipped_tables, skipped_columns = set(skip_tables), set(skip_columns)
    prints = {}
    with ctx.db.engine.connect() as connection:
        for table in sorted(inspect(connection).get_table_names()):
            if table in skipped_tables:
                continue
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).mappings().all()
            shown = []
            for row in rows:
                if table == "audit_log" and audit_origin_not is not None and _same_id(row["origin"], audit_origin_not):
                    continue
                shown.append({k: _plain(v) for k, v in row.items() if k not in skipped_columns})
            shown.sort(key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
            prints[table] = hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return prints


def _same_id(value: object, node: uuid.UUID) -> bool:
    return str(value).replace("-", "") == node.hex


def _plain(value: object) -> object:
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, uuid.UUID):
        return value.hex
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def conflicts_of(ctx: AppContext) -> list[tuple[str, str, str, tuple[str, ...], str | None]]:
    """Each conflict as (table, record, status, candidate hashes, winner): what must not depend on import order."""
    from desktop.models import SyncConflict

    with ctx.db.engine.connect() as connection:
        rows = connection.execute(
            select(
                SyncConflict.entity_type,
                SyncConflict.entity_id,
                SyncConflict.status,
                SyncConflict.candidates_json,
                SyncConflict.winner_hash,
            )
        )
        return sorted((t, str(i), s, tuple(c["hash"] or "deleted" for c in json.loads(j)), w) for t, i, s, j, w in rows)
