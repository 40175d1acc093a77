"""This installation as a node: initialising it (role, name, division, new keys), its identity and fingerprint,
its private keys for signing and decrypting bundles, and the public-key file it hands to the nodes it works with.

The identity is kept in the database's app_settings (``node_id`` and ``node_kind`` as before, plus ``node_name``
and ``node_division_code``); the private keys in the data folder (desktop/services/node_key_files.py). The peers
this node has enrolled are in desktop/services/enrolled_nodes.py.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.enums import NodeKind, RegionLevel
from desktop.domain.node_enrolment import role_noun
from desktop.domain.node_keys import (
    NodePrivateKeys,
    NodePublicKeys,
    clean_node_name,
    fingerprint_lines,
    grouped_fingerprint,
)
from desktop.errors import TuoyuError
from desktop.models import AppSetting, FieldPackage, Institution, Region
from desktop.services.field_laptop import is_field_laptop
from desktop.services.installation import NODE_KIND_KEY
from desktop.services.node_key_files import (
    INIT_HINT,
    private_key_path,
    read_private_keys,
    write_private_keys,
    write_public_key_file,
)
from desktop.services.regions import RegionOption
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session, write_session

NODE_NAME_KEY = "node_name"
NODE_DIVISION_CODE_KEY = "node_division_code"
# Times on the printed sheet are the bureau's, whatever the machine's clock is set to.
CHINA_TIME = timezone(timedelta(hours=8))


class NodeNotInitialised(TuoyuError):
    """This installation has not been given a role, a name and keys yet."""


class NodeAlreadyInitialised(TuoyuError):
    """Initialising again would replace keys others have enrolled; the caller did not ask for that."""


@dataclass(frozen=True)
class ThisNode:
    """This installation as the other nodes know it."""

    node_id: uuid.UUID
    role: NodeKind
    name: str
    division_code: str
    division_name: str
    fingerprint: str
    keys_created_at: datetime

    @property
    def grouped_fingerprint(self) -> str:
        return grouped_fingerprint(self.fingerprint)

    @property
    def role_noun(self) -> str:
        return role_noun(self.role)


@dataclass(frozen=True)
class OwnKeys:
    """This node's private keys, as bundle export signs with and bundle import decrypts with."""

    node_id: uuid.UUID
    role: NodeKind
    signing_key: Ed25519PrivateKey
    encryption_key: X25519PrivateKey


def init_node(
    ctx: AppContext,
    *,
    role: NodeKind,
    name: str,
    division_code: str | None = None,
    replace_keys: bool = False,
    now: datetime | None = None,
) -> ThisNode:
    """Give this installation its role, name and division and a new pair of keys.

    Refused when keys exist already unless ``replace_keys``: the nodes that enrolled this one would then refuse its
    bundles until they remove the old enrolment and enrol the new public-key file. A key file that went missing
    needs no ``replace_keys`` — there is nothing left to replace.
    """
    role = NodeKind(role)
    name = clean_node_name(name)
    path = private_key_path(ctx.db)
    if path.exists() and not replace_keys:
        raise NodeAlreadyInitialised(
            f"本机已经初始化为节点{_described(ctx)}，密钥在 {path}。重新初始化会生成新密钥：已登记本机的县区或市级"
            "将不再接受本机的同步包，需要移除旧登记后重新登记。确需更换密钥时，请加 --replace-keys 再运行"
            "（图形界面中选择“重新初始化（更换密钥）”）。"
        )
    with read_session(ctx.db) as session:
        division_code = _division_for(session, role, division_code)
        _check_role_fits_database(session, role, division_code)
    keys = NodePrivateKeys(
        ctx.node_id,
        Ed25519PrivateKey.generate().private_bytes_raw(),
        X25519PrivateKey.generate().private_bytes_raw(),
        (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
    )
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        for key, value in ((NODE_KIND_KEY, role.value), (NODE_NAME_KEY, name), (NODE_DIVISION_CODE_KEY, division_code)):
            session.merge(AppSetting(key=key, value=value))
        session.flush()
        # Last, inside the transaction: if the file cannot be written, the settings are not changed either.
        write_private_keys(path, keys)
    return this_node(ctx)


def division_options(ctx: AppContext, role: NodeKind) -> list[RegionOption]:
    """The divisions a node of ``role`` may belong to, as the init form offers them: counties, or cities."""
    level = RegionLevel.CITY if NodeKind(role) is NodeKind.CITY else RegionLevel.COUNTY
    with read_session(ctx.db) as session:
        rows = session.execute(select(Region.code, Region.name).where(Region.level == level).order_by(Region.code))
        return [RegionOption(code, name) for code, name in rows]


def this_node(ctx: AppContext) -> ThisNode:
    """This node's identity and fingerprint; NodeNotInitialised or a key-file problem explained otherwise."""
    public = this_node_public_keys(ctx)
    with read_session(ctx.db) as session:
        division_name = _region_name(session, public.division_code)
    return ThisNode(
        public.node_id,
        public.role,
        public.name,
        public.division_code,
        division_name,
        public.fingerprint,
        public.created_at,
    )


def own_keys(ctx: AppContext) -> OwnKeys:
    """This node's private keys (bundle export signs with ``signing_key``, import decrypts with ``encryption_key``)."""
    role, _, _ = _identity(ctx)
    private = read_private_keys(private_key_path(ctx.db), ctx.node_id)
    return OwnKeys(ctx.node_id, role, private.signing_key(), private.encryption_key())


def this_node_public_keys(ctx: AppContext) -> NodePublicKeys:
    """What this node's public-key file says."""
    role, name, division_code = _identity(ctx)
    private = read_private_keys(private_key_path(ctx.db), ctx.node_id)
    return NodePublicKeys(
        ctx.node_id,
        role,
        name,
        division_code,
        private.signing_public_bytes(),
        private.encryption_public_bytes(),
        private.created_at,
    )


def export_public_key(ctx: AppContext, out: Path) -> ThisNode:
    """Write this node's public-key file (written whole or not at all) for the nodes that will enrol it."""
    write_public_key_file(Path(out), this_node_public_keys(ctx))
    return this_node(ctx)


def suggested_key_file_name(node: ThisNode) -> str:
    """“甘州区卫生健康局-公钥.tuoyu-pubkey”; characters Windows forbids in file names become “_”."""
    safe = re.sub(r'[\\/:*?"<>|]', "_", node.name)
    return f"{safe}-公钥.tuoyu-pubkey"


def fingerprint_sheet(node: ThisNode, *, printed_on: datetime) -> str:
    """A page to print and keep beside the machine: who this node is and its fingerprint, to read out on enrolment."""
    lines = [
        "托育监管 节点公钥指纹",
        "",
        f"节点名称：{node.name}",
        f"节点角色：{node.role_noun}",
        f"行政区划：{node.division_name}（{node.division_code}）",
        f"节点编号：{node.node_id}",
        f"密钥生成：{node.keys_created_at.astimezone(CHINA_TIME):%Y-%m-%d %H:%M}（北京时间）",
        "",
        "公钥指纹（SHA-256）：",
        *(f"    {line}" for line in fingerprint_lines(node.fingerprint)),
        "",
        "登记本节点时，对方屏幕上显示的指纹必须与上面逐组一致；不一致时不要登记，并立即联系本节点的管理人员。",
        f"打印日期：{printed_on.astimezone(CHINA_TIME):%Y-%m-%d}",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- identity in app_settings


def _identity(ctx: AppContext) -> tuple[NodeKind, str, str]:
    with read_session(ctx.db) as session:
        wanted = select(AppSetting.key, AppSetting.value).where(
            AppSetting.key.in_([NODE_KIND_KEY, NODE_NAME_KEY, NODE_DIVISION_CODE_KEY])
        )
        settings = {key: value for key, value in session.execute(wanted)}
    if NODE_NAME_KEY not in settings or NODE_DIVISION_CODE_KEY not in settings:
        raise NodeNotInitialised(
            f"本机尚未初始化为同步节点（没有角色、名称和密钥）。请先初始化：{INIT_HINT}。"
            "初始化后导出公钥文件，交给要登记本机的县区或市级。"
        )
    return NodeKind(settings[NODE_KIND_KEY]), settings[NODE_NAME_KEY], settings[NODE_DIVISION_CODE_KEY]


def _described(ctx: AppContext) -> str:
    """“甘州区卫生健康局（县区节点）” for a message, or nothing when the identity cannot be read."""
    try:
        role, name, _ = _identity(ctx)
    except TuoyuError:
        return ""
    return f"“{name}”（{role_noun(role)}）"


def _region_name(session: Session, code: str) -> str:
    return session.scalar(select(Region.name).where(Region.code == code)) or code


def _division_for(session: Session, role: NodeKind, code: str | None) -> str:
    """The division a node of ``role`` belongs to: a county of this database's regions, or its city."""
    if role is NodeKind.CITY:
        rows = session.execute(select(Region.code, Region.name).where(Region.level == RegionLevel.CITY))
        cities = {city: name for city, name in rows}
        if code is None:
            if len(cities) == 1:
                return next(iter(cities))
            known = "、".join(f"{name}（{city}）" for city, name in sorted(cities.items())) or "无"
            raise TuoyuError(f"请用 --city-code 指定本市的行政区划代码（本数据库中的市：{known}）。")
        if code not in cities:
            raise TuoyuError(f"行政区划代码“{code}”不是本数据库中的市。请填写本市的 6 位代码，如 620700（张掖市）。")
        return code
    noun = role_noun(role)
    if not code:
        raise TuoyuError(f"{noun}需要所属县区的行政区划代码（--county-code），如 620702（甘州区）。")
    level = session.scalar(select(Region.level).where(Region.code == code))
    if level is not RegionLevel.COUNTY:
        raise TuoyuError(f"行政区划代码“{code}”不是本数据库中的县区。请填写所属县区的 6 位代码，如 620702（甘州区）。")
    return code


def _check_role_fits_database(session: Session, role: NodeKind, division_code: str) -> None:
    """A laptop keeps no register of its own, and a laptop that works on a county's package stays that county's."""
    package_county = None
    if is_field_laptop(session):
        package_county = session.scalar(
            select(FieldPackage.county_code).order_by(FieldPackage.exported_at.desc()).limit(1)
        )
    if role is NodeKind.LAPTOP:
        if package_county is None and not is_field_laptop(session):
            own_register = session.scalar(select(func.count()).select_from(Institution))
            if own_register:
                raise TuoyuError(
                    f"这台电脑的数据库中已有 {own_register} 家机构的档案（县区数据库），不能初始化为检查笔记本。"
                    "请在检查笔记本上初始化；在同一台电脑上试用时，可用 --data-dir 另建一个数据目录。"
                )
        if package_county is not None and package_county != division_code:
            raise TuoyuError(
                f"这台检查笔记本载入的是 {_region_name(session, package_county)}（{package_county}）的检查任务包，"
                f"只能初始化为该县区的检查笔记本。请把县区代码填为 {package_county}。"
            )
    elif package_county is not None:
        raise TuoyuError(
            f"这台电脑是载入了检查任务包的检查笔记本，不能初始化为{role_noun(role)}。"
            "请在县区或市级的电脑上初始化；在同一台电脑上试用时，可用 --data-dir 另建一个数据目录。"
        )
