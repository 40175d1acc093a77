"""Bad places and bad files get a clear Chinese message, and nothing is overwritten."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from desktop.db.database import open_database
from desktop.errors import StorageError
from desktop.services.startup import open_app


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_corrupt_database_file_is_refused_and_left_untouched(data_dir):
    data_dir.mkdir(parents=True)
    damaged = data_dir / "tuoyu.db"
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    before = _digest(damaged)
    with pytest.raises(StorageError, match="已损坏.*未作任何改动.*tuoyu db restore"):
        open_app(data_dir=data_dir, url=None)
    assert _digest(damaged) == before


def test_a_file_that_is_not_a_database_is_refused(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "tuoyu.db").write_text("机构名单,托位\n阳光托育,60\n", encoding="utf-8")
    with pytest.raises(StorageError, match="已损坏或不是"):
        open_app(data_dir=data_dir, url=None)


def test_a_database_of_another_program_is_refused(data_dir):
    data_dir.mkdir(parents=True)
    with sqlite3.connect(data_dir / "tuoyu.db") as connection:
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(StorageError, match="不是托育监管数据库"):
        open_app(data_dir=data_dir, url=None)


def test_a_data_folder_that_cannot_be_created_is_explained(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="无法创建数据目录"):
        open_app(data_dir=blocker / "data", url=None)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_data_folder_is_explained(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(StorageError, match="不可写入"):
            open_app(data_dir=folder, url=None)
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "格式不正确"),
        ("oracle+nothing://user@host/db", "不支持的数据库类型"),
        ("postgresql+psycopg://nobody:wrong@127.0.0.1:1/tuoyu", "无法连接数据库"),
        ("sqlite://", "指定一个文件路径"),
    ],
)
def test_a_database_url_that_cannot_be_opened_is_explained(url, message):
    with pytest.raises(StorageError, match=message):
        open_database(url=url)


def test_a_password_in_a_url_never_appears_in_the_message():
    with pytest.raises(StorageError) as caught:
        open_database(url="postgresql+psycopg://clerk:s3cret-pw@127.0.0.1:1/tuoyu")
    assert "s3cret-pw" not in caught.value.message


def test_the_second_open_of_an_up_to_date_database_changes_nothing(data_dir):
    open_app(data_dir=data_dir, url=None).close()
    before = _digest(data_dir / "tuoyu.db")
    context = open_app(data_dir=data_dir, url=None)
    context.close()
    assert _digest(data_dir / "tuoyu.db") == before


def test_a_data_folder_without_write_permission_is_explained(tmp_path, monkeypatch):
    # Tests run as root on CI, where chmod cannot take write permission away; the check itself is
    # what matters: Tuoyu asks the OS before it writes anything.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(StorageError, match="不可写入.*--data-dir"):
        open_app(data_dir=tmp_path, url=None)
    assert list(tmp_path.iterdir()) == []
