"""Files written whole or not at all (desktop.files): the old file survives a failure, and a finished file gets the
permissions of any new file of the user, not the owner-only ones of the temporary file it was written as."""

from __future__ import annotations

import os
import stat

import pytest

from desktop.errors import TuoyuError
from desktop.files import REGULAR_FILE_MODE, atomic_target


def test_a_finished_file_replaces_the_old_one_with_ordinary_permissions(tmp_path) -> None:
    target = tmp_path / "报表.pdf"
    target.write_bytes(b"old")
    with atomic_target(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == REGULAR_FILE_MODE != 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["报表.pdf"]


def test_a_secret_can_still_be_narrowed_to_its_owner(tmp_path) -> None:
    target = tmp_path / "key.json"
    with atomic_target(target) as temporary:
        temporary.chmod(0o600)
        temporary.write_text("secret")
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path) -> None:
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_target(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("disk pulled")
    assert target.read_bytes() == b"old" and [path.name for path in tmp_path.iterdir()] == ["export.xlsx"]


def test_a_missing_folder_is_said_in_chinese(tmp_path) -> None:
    with pytest.raises(TuoyuError, match="请检查文件夹是否存在"), atomic_target(tmp_path / "无" / "x.pdf"):
        pass
