"""Subsidy policy files on disk: the bundled ``resources/policies/*.toml``, those the city sent this installation
(kept in its data folder's ``policies`` folder by desktop.sync; a received file replaces a bundled one of the same
file name), or a file an auditor names.

Reading only, no database: the calculator (``tuoyu subsidy quote``) works from these files alone.
Parsing and every check live in ``desktop.domain.subsidy_policy``; this module opens the files and
names them in messages.
"""

from __future__ import annotations

from pathlib import Path

from desktop.domain.subsidy_policy import PolicyFormatError, SubsidyPolicy, check_policy_set, parse_policy
from desktop.errors import TuoyuError
from desktop.paths import resources_dir

__all__ = ["choose_policy", "load_policies", "policy_files", "read_policy_file", "received_policy_folder"]

RECEIVED_FOLDER = "policies"


def received_policy_folder(data_dir: Path | None) -> Path | None:
    """Where an installation keeps the policy files its city sent (None: no data folder, e.g. a server database)."""
    return None if data_dir is None else data_dir / RECEIVED_FOLDER


def policy_files(folder: Path | None = None, *, received: Path | None = None) -> list[Path]:
    """The bundled policy files (or ``folder``'s), with the received ones replacing those of the same name."""
    chosen = {path.name: path for path in (folder or resources_dir() / "policies").glob("*.toml")}
    if received is not None and received.is_dir():
        chosen |= {path.name: path for path in received.glob("*.toml")}
    return [chosen[name] for name in sorted(chosen)]


def read_policy_file(path: Path) -> SubsidyPolicy:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TuoyuError(f"找不到补贴政策文件 {path}。请检查文件名和路径。") from None
    except UnicodeDecodeError:
        raise PolicyFormatError(f"补贴政策文件“{path.name}”不是 UTF-8 编码的文本，请用 UTF-8 保存后再试。") from None
    except OSError as error:
        raise TuoyuError(f"无法读取补贴政策文件 {path}：{error.strerror or error}。") from None
    return parse_policy(text, source_name=path.name)


def load_policies(folder: Path | None = None, *, received: Path | None = None) -> tuple[SubsidyPolicy, ...]:
    """The policies that count (highest version of each name), bundled and received, checked as a set."""
    return check_policy_set(read_policy_file(path) for path in policy_files(folder, received=received))


def choose_policy(wanted: str, folder: Path | None = None) -> SubsidyPolicy:
    """The policy named ``wanted``: the path of a .toml file, or the name of a bundled policy."""
    path = Path(wanted)
    if path.suffix == ".toml" or path.exists():
        return read_policy_file(path)
    policies = load_policies(folder)
    for policy in policies:
        if policy.name == wanted:
            return policy
    names = "、".join(p.name for p in policies) or "（没有）"
    raise TuoyuError(f"没有名为“{wanted}”的补贴政策。已有的政策：{names}；也可以给出一个 .toml 政策文件的路径。")
