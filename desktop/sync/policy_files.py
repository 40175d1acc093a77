"""Subsidy policy files between a city and its counties (docs/sync.md "Policies").

Policies are TOML files (resources/policies, desktop/services/subsidy_policies.py), not rows. A city sends the
files it works with — the bundled ones, and any in its data folder's ``policies`` folder, which win by name —
and a county keeps the files it receives in its own data folder's ``policies`` folder, checked first, written
whole or not at all, and only when their content is new.
"""

from __future__ import annotations

from pathlib import Path

from desktop.domain.subsidy_policy import PolicyFormatError, parse_policy
from desktop.errors import TuoyuError
from desktop.files import atomic_target
from desktop.services.startup import AppContext
from desktop.services.subsidy_policies import policy_files, received_policy_folder
from desktop.sync.refusals import bad_content


def received_policies_dir(ctx: AppContext) -> Path | None:
    """Where this installation keeps policy files from its city (None: a server database with no data folder)."""
    return received_policy_folder(ctx.db.data_dir)


def policies_to_send(ctx: AppContext) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in policy_files(received=received_policies_dir(ctx))]


def check_policies(files: list[tuple[str, bytes]], label: str) -> None:
    """Refuse (bad_content) a bundle whose policy files are not valid policies, before anything is written."""
    for name, data in files:
        try:
            parse_policy(data.decode("utf-8"), source_name=name)
        except (UnicodeDecodeError, PolicyFormatError, TuoyuError) as error:
            raise bad_content(label, f"政策文件 {name} 无效") from error


def store_policies(ctx: AppContext, files: list[tuple[str, bytes]]) -> list[str]:
    """Write the policy files whose content is new; returns their names."""
    folder = received_policies_dir(ctx)
    if folder is None or not files:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files:
        path = folder / name
        if path.exists() and path.read_bytes() == data:
            continue
        with atomic_target(path) as temporary:
            Path(temporary).write_bytes(data)
        written.append(name)
    return written
