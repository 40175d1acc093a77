"""Import: a bundle from an enrolled node, all of it in one transaction or nothing (docs/sync.md "Import").

1. The container's checks, in the order of docs/bundle-format.md (desktop/services/sync_bundle_files.open_bundle).
   A bundle this node has already imported (same bundle id) is "nothing to do": its receipt is written again.
2. The members are read strictly (desktop/sync/payload.py), an older schema's rows upgraded.
3. In one transaction — BEGIN IMMEDIATE on SQLite; SERIALIZABLE on PostgreSQL, the whole import tried again on a
   serialization failure or deadlock (desktop/sync/write_transaction.py) — the plan (desktop/sync/import_plan.py)
   and, unless this is a dry run, its writing (desktop/sync/import_apply.py), the source's sequence and the bundle
   id recorded, and the receipt's number taken.
4. After the commit, the receipt file is written (desktop/sync/receipts.py), and policy files a city sent are
   stored. A receipt that cannot be written is said so; importing the same file again writes it.

A receipt bundle is recognised by its one member, ``receipt.json``, and marks what it acknowledges.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from desktop.db.migrate import HEAD_REVISION
from desktop.domain.node_enrolment import role_noun
from desktop.domain.sync_bundle import RefusalReason, SyncBundleRefused, china_time_text
from desktop.domain.sync_bundle_checks import check_sequence
from desktop.domain.sync_merge import Outcome
from desktop.errors import TuoyuError
from desktop.models import AuditEntry, Node, SyncReceivedBundle
from desktop.models.base import utc_now
from desktop.services.enrolled_nodes import PeerKeys, peer_keys_in
from desktop.services.nodes import OwnKeys, own_keys
from desktop.services.record_codec import RecordFormatError
from desktop.services.startup import AppContext
from desktop.services.sync_bundle_files import OpenedBundle, open_bundle
from desktop.services.unit_of_work import read_session
from desktop.sync import scopes, state
from desktop.sync.import_apply import apply_plan, import_audit
from desktop.sync.import_plan import ImportPlan, default_value, plan_import
from desktop.sync.memory import no_cyclic_gc
from desktop.sync.payload import DATA, RECEIPT, DataPayload, ReceiptPayload, is_receipt, parse_data, parse_receipt
from desktop.sync.policy_files import check_policies, store_policies
from desktop.sync.receipts import ReceiptTicket, apply_receipt, default_receipt_path, reserve_receipt, write_receipt
from desktop.sync.refusals import NOTHING_CHANGED, ContentRefusal, SyncContentRefused, bad_content
from desktop.sync.row_codec import DriverWriter, codec
from desktop.sync.write_transaction import in_write_transaction


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did (or, for a dry run, would do). ``refused``: nothing was changed, ``reason`` says why."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: bool = False
    reason: str | None = None
    deleted: int = 0
    message: str = ""
    kind: str = DATA
    dry_run: bool = False
    already_imported: bool = False
    bundle_id: str | None = None
    source: str | None = None
    source_name: str | None = None
    sequence: int | None = None
    audit_entries: int = 0
    photos: int = 0
    policies: tuple[str, ...] = ()
    receipt_file: str | None = None
    receipt_error: str | None = None
    acknowledged_bundle: str | None = None
    # Per table (its name in the database, parents first): created / updated / deleted / unchanged / conflicts.
    tables: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        document = asdict(self)
        document["policies"] = list(self.policies)
        return document


def import_bundle(
    ctx: AppContext,
    path: Path,
    *,
    dry_run: bool = False,
    receipt_path: Path | None = None,
    write_receipt_file: bool = True,
    now: datetime | None = None,
) -> ImportOutcome:
    """Import the bundle at ``path`` (see the module docstring). Refusals come back as ``refused`` outcomes."""
    with no_cyclic_gc():
        return _import(ctx, Path(path), dry_run, receipt_path, write_receipt_file, now)


def _import(
    ctx: AppContext,
    path: Path,
    dry_run: bool,
    receipt_path: Path | None,
    write_receipt_file: bool,
    now: datetime | None,
) -> ImportOutcome:
    own = own_keys(ctx)
    now = now or utc_now()
    peers = _enrolled(ctx)
    label = path.name

    def opening(kind: str, *, replaying: bool = False) -> OpenedBundle:
        return open_bundle(
            path,
            this_node=own.node_id,
            signer_keys=lambda node: peers[node].signing_key if node in peers else None,
            last_sequence=(lambda node: None) if replaying else (lambda node: _last_sequence(ctx, node, kind)),
            schema_revision=HEAD_REVISION,
            decryption_key=own.encryption_key,
            now=now,
        )

    try:
        try:
            opened = opening(DATA)
        except SyncBundleRefused as refusal:
            if refusal.reason not in (RefusalReason.REPLAYED, RefusalReason.ROLLED_BACK) or refusal.manifest is None:
                raise
            manifest = refusal.manifest
            known = _received(ctx, manifest.header.bundle_id)
            if known is not None:
                return _replayed(ctx, own, peers, known, opening, path, dry_run, receipt_path, write_receipt_file)
            if not is_receipt([member.name for member in manifest.members]):
                raise
            opened = opening(RECEIPT)
        header = opened.header
        source = peers[header.source_node]
        if is_receipt(list(opened.members)):
            return _import_receipt(ctx, own, source, opened, label, dry_run, now)
        payload = parse_data(opened.members, label)
        audit_rows = _audit_rows(payload, label)
        if payload.policies:
            if not scopes.sends_policies(source.role, own.role):
                raise SyncContentRefused(
                    ContentRefusal.NOT_ALLOWED,
                    f"“{label}”中有政策文件，但{role_noun(source.role)}不向本机下发政策。{NOTHING_CHANGED}",
                )
            check_policies(payload.policies, label)
        plan, ticket = in_write_transaction(
            ctx,
            lambda connection: _import_data(
                connection, ctx, own, source, opened, payload, audit_rows, label, dry_run, now
            ),
            rollback=dry_run,
        )
    except SyncBundleRefused as refusal:
        return _refused(refusal.reason.value, refusal.message, refusal)
    except SyncContentRefused as refusal:
        return _refused(refusal.reason.value, refusal.message)
    except RecordFormatError as error:
        return _refused(ContentRefusal.BAD_CONTENT.value, f"“{label}”的内容无效：{error.message}{NOTHING_CHANGED}")
    if isinstance(plan, ImportOutcome):
        return plan  # imported meanwhile by someone else: nothing to do
    outcome = _outcome(plan, opened, source, dry_run, len(audit_rows), len(payload.photos))
    if dry_run:
        return outcome
    policies = tuple(store_policies(ctx, payload.policies))
    receipt_file, receipt_error = None, None
    if write_receipt_file and ticket is not None:
        receipt_file, receipt_error = _write_receipt_file(
            receipt_path or default_receipt_path(path),
            ticket,
            own,
            source.node_id,
            plan,
            header.bundle_id,
            header.sequence,
        )
    return _with(outcome, policies=policies, receipt_file=receipt_file, receipt_error=receipt_error)


# ---- data bundles ---------------------------------------------------------------------------------


def _import_data(
    connection: Connection,
    ctx: AppContext,
    own: OwnKeys,
    source: PeerKeys,
    opened: OpenedBundle,
    payload: DataPayload,
    audit_rows: list[dict[str, Any]],
    label: str,
    dry_run: bool,
    now: datetime,
) -> tuple[ImportPlan | ImportOutcome, ReceiptTicket | None]:
    header = opened.header
    known = state.received_bundle(connection, header.bundle_id)
    if known is not None:
        return _nothing_changed(known, source), None
    # Checked again inside the transaction: another clerk may have imported a later bundle meanwhile.
    check_sequence(opened.manifest, state.last_received_sequence(connection, source.node_id, DATA), label)
    plan = plan_import(
        connection,
        payload,
        source=source,
        own_node=own.node_id,
        own_role=own.role,
        schema=opened.schema,
        label=label,
    )
    if dry_run:
        return plan, None
    apply_plan(
        connection,
        plan,
        photos=payload.photos,
        audit_rows=audit_rows,
        source=source.node_id,
        actor=ctx.actor.username,
        own_node=own.node_id,
        now=now,
    )
    ticket = reserve_receipt(
        connection, source=source.node_id, records=len(plan.entries), now=now, actor=ctx.actor.username
    )
    connection.execute(
        SyncReceivedBundle.__table__.insert().values(
            bundle_id=header.bundle_id,
            source_node=source.node_id,
            sequence=header.sequence,
            kind=DATA,
            record_count=len(plan.entries),
            created=plan.count(Outcome.CREATED),
            updated=plan.count(Outcome.UPDATED),
            deleted=plan.count(Outcome.DELETED),
            unchanged=plan.count(Outcome.UNCHANGED),
            conflicts=plan.count(Outcome.CONFLICT),
            imported_at=now,
            imported_by=ctx.actor.username[:60],
            receipt_bundle_id=ticket.bundle_id,
            receipt_sequence=ticket.sequence,
            receipt_created_at=ticket.created_at,
        )
    )
    DriverWriter(connection, AuditEntry.__table__, codec(AuditEntry.__table__).columns).insert(
        [
            import_audit(
                plan,
                bundle_id=header.bundle_id,
                label=label,
                describe=f"“{source.name}”的第 {header.sequence} 号同步包",
                actor=ctx.actor.username,
                own_node=own.node_id,
                now=now,
            )
        ]
    )
    return plan, ticket


def _audit_rows(payload: DataPayload, label: str) -> list[dict[str, Any]]:
    """The source's audit entries as rows of this database's audit log, the columns checked now."""
    audit_codec = codec(AuditEntry.__table__)
    unknown = set(payload.audit_columns) - set(audit_codec.columns)
    if unknown or ("id" not in payload.audit_columns and payload.audit_rows):
        raise bad_content(label, "审计记录的字段与本版本不符")
    missing = [name for name in audit_codec.columns if name not in payload.audit_columns]
    defaults = {}
    for name in missing:
        try:
            defaults[name] = default_value(AuditEntry.__table__.c[name], audit_codec)
        except ValueError as error:
            raise bad_content(label, f"审计记录缺少字段 {name}") from error
    # Kept in the shared JSON form: the import converts (and so checks) each value as it writes it.
    return [dict(zip(payload.audit_columns, values, strict=True)) | defaults for values in payload.audit_rows]


def _outcome(
    plan: ImportPlan, opened: OpenedBundle, source: PeerKeys, dry_run: bool, audit_entries: int, photos: int
) -> ImportOutcome:
    header = opened.header
    counts = {outcome: plan.count(outcome) for outcome in Outcome}
    verb = "将" if dry_run else "已"
    message = (
        f"{'试导入（未写入）' if dry_run else '已导入'}“{source.name}”的第 {header.sequence} 号同步包："
        f"{verb}新增 {counts[Outcome.CREATED]} 条，更新 {counts[Outcome.UPDATED]} 条，"
        f"删除 {counts[Outcome.DELETED]} 条，未变 {counts[Outcome.UNCHANGED]} 条，冲突 {counts[Outcome.CONFLICT]} 条。"
    )
    if counts[Outcome.CONFLICT]:
        message += "冲突的记录两边的版本都已保留，请在“同步冲突”中逐条处理（tuoyu sync conflicts）。"
    return ImportOutcome(
        created=counts[Outcome.CREATED],
        updated=counts[Outcome.UPDATED],
        unchanged=counts[Outcome.UNCHANGED],
        conflicts=counts[Outcome.CONFLICT],
        deleted=counts[Outcome.DELETED],
        message=message,
        kind=DATA,
        dry_run=dry_run,
        bundle_id=str(header.bundle_id),
        source=str(header.source_node),
        source_name=source.name,
        sequence=header.sequence,
        audit_entries=audit_entries,
        photos=photos,
        tables=plan.table_counts(),
    )


def _replayed(
    ctx: AppContext,
    own: OwnKeys,
    peers: dict[uuid.UUID, PeerKeys],
    known: Any,
    opening: Callable[..., OpenedBundle],
    path: Path,
    dry_run: bool,
    receipt_path: Path | None,
    write_receipt_file: bool,
) -> ImportOutcome:
    """A bundle imported before: nothing changes; a data bundle's receipt is written again, the same one."""
    source = peers.get(known.source_node)
    outcome = _nothing_changed(known, source)
    if known.kind != DATA or dry_run or not write_receipt_file or known.receipt_bundle_id is None or source is None:
        return outcome
    ticket = ReceiptTicket(known.receipt_bundle_id, known.receipt_sequence, known.receipt_created_at)
    try:
        opened = opening(DATA, replaying=True)
        payload = parse_data(opened.members, path.name)
        with ctx.db.engine.connect() as connection, connection.begin():
            plan = plan_import(
                connection,
                payload,
                source=source,
                own_node=own.node_id,
                own_role=own.role,
                schema=opened.schema,
                label=path.name,
            )
    except (SyncBundleRefused, SyncContentRefused, RecordFormatError) as error:
        return _with(outcome, receipt_error=f"回执未能重新生成：{error.message}")
    receipt_file, receipt_error = _write_receipt_file(
        receipt_path or default_receipt_path(path),
        ticket,
        own,
        source.node_id,
        plan,
        opened.header.bundle_id,
        opened.header.sequence,
    )
    return _with(outcome, receipt_file=receipt_file, receipt_error=receipt_error)


def _nothing_changed(known: Any, source: PeerKeys | None) -> ImportOutcome:
    name = source.name if source is not None else str(known.source_node)
    what = "回执" if known.kind == RECEIPT else "同步包"
    when = china_time_text(known.imported_at)
    return ImportOutcome(
        unchanged=known.record_count if known.kind == DATA else 0,
        kind=known.kind,
        already_imported=True,
        bundle_id=str(known.bundle_id),
        source=str(known.source_node),
        source_name=name,
        sequence=known.sequence,
        message=(f"“{name}”的第 {known.sequence} 号{what}已于 {when}（北京时间）导入过，本次没有任何改动。"),
    )


# ---- receipts -------------------------------------------------------------------------------------


def _import_receipt(
    ctx: AppContext, own: OwnKeys, source: PeerKeys, opened: OpenedBundle, label: str, dry_run: bool, now: datetime
) -> ImportOutcome:
    receipt = parse_receipt(opened.members, label)
    header = opened.header

    def work(connection: Connection) -> ImportOutcome:
        known = state.received_bundle(connection, header.bundle_id)
        if known is not None:
            return _nothing_changed(known, source)
        check_sequence(opened.manifest, state.last_received_sequence(connection, source.node_id, RECEIPT), label)
        applied = apply_receipt(
            connection,
            receipt,
            own_role=own.role,
            peer=source,
            receipt_bundle=header.bundle_id,
            receipt_sequence=header.sequence,
            actor=ctx.actor.username,
            own_node=own.node_id,
            now=now,
            label=label,
            dry_run=dry_run,
        )
        kept = applied.records - applied.accepted
        message = (
            f"{'试导入（未写入）' if dry_run else '已导入'}“{source.name}”的回执："
            f"本机第 {applied.acknowledged_sequence} 号同步包已送达，{applied.records} 条记录"
            + (f"，其中 {kept} 条对方保留了不同的版本（已列入下次导出）。" if kept else "全部被接受。")
        )
        return ImportOutcome(
            kind=RECEIPT,
            dry_run=dry_run,
            bundle_id=str(header.bundle_id),
            source=str(source.node_id),
            source_name=source.name,
            sequence=header.sequence,
            acknowledged_bundle=str(applied.acknowledged_bundle),
            message=message,
        )

    return in_write_transaction(ctx, work, rollback=dry_run)


# ---- helpers --------------------------------------------------------------------------------------


def _enrolled(ctx: AppContext) -> dict[uuid.UUID, PeerKeys]:
    with read_session(ctx.db) as session:
        ids = list(session.scalars(select(Node.node_id)))
        return {node_id: peer for node_id in ids if (peer := peer_keys_in(session, node_id)) is not None}


def _last_sequence(ctx: AppContext, node: uuid.UUID, kind: str) -> int | None:
    with ctx.db.engine.connect() as connection:
        return state.last_received_sequence(connection, node, kind)


def _received(ctx: AppContext, bundle_id: uuid.UUID) -> Any:
    with ctx.db.engine.connect() as connection:
        return state.received_bundle(connection, bundle_id)


def _write_receipt_file(
    path: Path,
    ticket: ReceiptTicket,
    own: OwnKeys,
    source: uuid.UUID,
    plan: ImportPlan,
    bundle_id: uuid.UUID,
    sequence: int,
) -> tuple[str | None, str | None]:
    receipt = ReceiptPayload(bundle_id, sequence, plan.receipt_records())
    try:
        write_receipt(path, ticket, own, source, receipt)
    except TuoyuError as error:
        return None, f"回执未能写入 {path}：{error.message} 导入已完成；换一个位置重新导入同一个文件即可再生成回执。"
    return str(path), None


def _refused(reason: str, message: str, refusal: SyncBundleRefused | None = None) -> ImportOutcome:
    manifest = getattr(refusal, "manifest", None)
    header = manifest.header if manifest is not None else None
    return ImportOutcome(
        refused=True,
        reason=reason,
        message=message,
        bundle_id=str(header.bundle_id) if header else None,
        source=str(header.source_node) if header else None,
        sequence=header.sequence if header else None,
    )


def _with(outcome: ImportOutcome, **changes: Any) -> ImportOutcome:
    return replace(outcome, **changes)
