"""The nodes this installation has enrolled (登记): enrolling a public-key file, listing, looking up a peer's public
keys for bundles, and removing an enrolment.

An enrolled node's keys never change in place. The same file enrolled again changes nothing; a file for an
enrolled node with other keys is refused until a person removes the old enrolment, so a changed key always passes
through someone comparing fingerprints. Who may enrol whom is desktop/domain/node_enrolment.py. Every write goes
through the unit of work and so into the audit log.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.domain.enums import NodeKind
from desktop.domain.node_enrolment import EnrolmentRefused, NodeSide, check_enrolment, city_of, role_noun
from desktop.domain.node_keys import NodePublicKeys, grouped_fingerprint, normalized_fingerprint
from desktop.errors import NotFoundError
from desktop.models import Node, Region
from desktop.services.node_key_files import read_public_key_file
from desktop.services.nodes import ThisNode, this_node
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session


@dataclass(frozen=True)
class NodeEntry:
    """An enrolled node as lists and messages show it."""

    node_id: uuid.UUID
    role: NodeKind
    role_name: str
    name: str
    division_code: str
    division_name: str
    fingerprint: str
    enrolled_at: datetime
    enrolled_by: str

    @property
    def grouped_fingerprint(self) -> str:
        return grouped_fingerprint(self.fingerprint)


@dataclass(frozen=True)
class PeerKeys:
    """An enrolled node's public keys, as bundle export encrypts to and bundle import verifies signatures with."""

    node_id: uuid.UUID
    role: NodeKind
    name: str
    division_code: str
    fingerprint: str
    signing_key: Ed25519PublicKey
    encryption_key: X25519PublicKey


@dataclass(frozen=True)
class EnrolmentPreview:
    """What a public-key file would enrol, to show a person before they confirm (the fingerprint above all)."""

    node_id: uuid.UUID
    role: NodeKind
    role_name: str
    name: str
    division_code: str
    division_name: str
    fingerprint: str
    already_enrolled: bool

    @property
    def grouped_fingerprint(self) -> str:
        return grouped_fingerprint(self.fingerprint)


@dataclass(frozen=True)
class EnrolmentResult:
    node: NodeEntry
    # False when the same file had been enrolled before: nothing was changed.
    created: bool


def preview_enrolment(ctx: AppContext, path: Path) -> EnrolmentPreview:
    """Read a public-key file and check it may be enrolled here, without enrolling it (refusals raise)."""
    own = this_node(ctx)
    keys = read_public_key_file(Path(path))
    with read_session(ctx.db) as session:
        existing = _check(session, own, keys)
        return EnrolmentPreview(
            keys.node_id,
            keys.role,
            role_noun(keys.role),
            keys.name,
            keys.division_code,
            _region_name(session, keys.division_code),
            keys.fingerprint,
            existing is not None,
        )


def enrol_node(ctx: AppContext, path: Path, *, expected_fingerprint: str | None = None) -> EnrolmentResult:
    """Enrol the node of a public-key file. ``expected_fingerprint`` (what the person compared) must match the file.

    The same file again is a no-op (``created`` False); another node's keys, a node this one may not enrol, or an
    enrolled node's changed keys are refused with a Chinese message and nothing written.
    """
    own = this_node(ctx)
    keys = read_public_key_file(Path(path))
    if expected_fingerprint is not None and normalized_fingerprint(expected_fingerprint) != keys.fingerprint:
        raise EnrolmentRefused(
            f"“{Path(path).name}”的指纹是 {grouped_fingerprint(keys.fingerprint)}，与核对的指纹 "
            f"{grouped_fingerprint(normalized_fingerprint(expected_fingerprint))} 不一致，未登记。"
            "文件可能被调换或改动：请向对方当面或电话索取公钥文件，重新核对。"
        )
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        existing = _check(session, own, keys)
        if existing is not None:
            return EnrolmentResult(_entry(session, existing), created=False)
        node = Node(
            node_id=keys.node_id,
            role=keys.role,
            name=keys.name,
            division_code=keys.division_code,
            signing_key=_b64(keys.signing_key),
            encryption_key=_b64(keys.encryption_key),
            fingerprint=keys.fingerprint,
            enrolled_by=ctx.actor.username,
        )
        session.add(node)
        session.flush()
        return EnrolmentResult(_entry(session, node), created=True)


def list_nodes(ctx: AppContext) -> list[NodeEntry]:
    """Every enrolled node: the city first, then counties, then laptops, each by division and name."""
    order = {NodeKind.CITY: 0, NodeKind.COUNTY: 1, NodeKind.LAPTOP: 2}
    with read_session(ctx.db) as session:
        nodes = list(session.scalars(select(Node)))
        names = _region_names(session, {node.division_code for node in nodes})
        entries = [_entry(session, node, names) for node in nodes]
    return sorted(entries, key=lambda e: (order[e.role], e.division_code, e.name, str(e.node_id)))


def peer_keys(ctx: AppContext, node_id: uuid.UUID) -> PeerKeys:
    """An enrolled node's role and public keys; NotFoundError (in Chinese) when it is not enrolled here."""
    with read_session(ctx.db) as session:
        found = peer_keys_in(session, node_id)
    if found is None:
        raise NotFoundError(_not_enrolled(node_id))
    return found


def peer_keys_in(session: Session, node_id: uuid.UUID) -> PeerKeys | None:
    """``peer_keys`` inside a session the caller already has open (an import's transaction); None if not enrolled."""
    node = session.scalar(select(Node).where(Node.node_id == node_id))
    if node is None:
        return None
    return PeerKeys(
        node.node_id,
        node.role,
        node.name,
        node.division_code,
        node.fingerprint,
        Ed25519PublicKey.from_public_bytes(base64.b64decode(node.signing_key)),
        X25519PublicKey.from_public_bytes(base64.b64decode(node.encryption_key)),
    )


def remove_node(ctx: AppContext, node_id: uuid.UUID) -> NodeEntry:
    """Remove an enrolment (audited): its bundles are refused from now on, and the node may be enrolled anew."""
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        node = session.scalar(select(Node).where(Node.node_id == node_id))
        if node is None:
            raise NotFoundError(_not_enrolled(node_id))
        entry = _entry(session, node)
        session.delete(node)
        return entry


# --------------------------------------------------------------------------- checks


def _check(session: Session, own: ThisNode, keys: NodePublicKeys) -> Node | None:
    """The enrolled row when this exact file was enrolled before; None when it may be enrolled; raise otherwise."""
    if keys.node_id == own.node_id:
        raise EnrolmentRefused(f"这是本机自己的公钥文件（“{keys.name}”），不需要登记。请登记对方导出的公钥文件。")
    names = _region_names(session, {own.division_code, keys.division_code, city_of(own.division_code)})
    check_enrolment(
        NodeSide(own.role, own.division_code, own.name), NodeSide(keys.role, keys.division_code, keys.name), names
    )
    existing = session.scalar(select(Node).where(Node.node_id == keys.node_id))
    if existing is not None:
        if existing.fingerprint == keys.fingerprint:
            return existing
        raise EnrolmentRefused(
            f"节点“{existing.name}”已经登记，但这份公钥文件的密钥或身份与登记时不同"
            f"（登记的指纹 {grouped_fingerprint(existing.fingerprint)}，文件的指纹 "
            f"{grouped_fingerprint(keys.fingerprint)}），未作任何改动。如果确认对方更换了密钥，"
            "请先“移除登记”（tuoyu node remove 节点编号），再与对方核对新指纹后重新登记；否则文件可能被调换，请勿登记。"
        )
    same_key = session.scalar(
        select(Node).where(
            or_(Node.signing_key == _b64(keys.signing_key), Node.encryption_key == _b64(keys.encryption_key))
        )
    )
    if same_key is not None:
        raise EnrolmentRefused(
            f"这份公钥文件中的密钥已登记为另一个节点“{same_key.name}”（{same_key.node_id}）。"
            "两台电脑不能共用密钥（可能复制了数据目录）：请让对方重新初始化生成自己的密钥后再登记。"
        )
    return None


# --------------------------------------------------------------------------- rows to entries


def _entry(session: Session, node: Node, names: dict[str, str] | None = None) -> NodeEntry:
    division_name = (names or {}).get(node.division_code) or _region_name(session, node.division_code)
    return NodeEntry(
        node.node_id,
        node.role,
        role_noun(node.role),
        node.name,
        node.division_code,
        division_name,
        node.fingerprint,
        node.enrolled_at,
        node.enrolled_by,
    )


def _region_names(session: Session, codes: set[str]) -> dict[str, str]:
    rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))
    return {code: name for code, name in rows}


def _region_name(session: Session, code: str) -> str:
    return session.scalar(select(Region.name).where(Region.code == code)) or code


def _not_enrolled(node_id: uuid.UUID) -> str:
    return (
        f"节点 {node_id} 没有在本机登记。"
        "请先登记该节点的公钥文件（tuoyu node enrol 文件，或“文件 → 本机与已登记节点”）。"
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
