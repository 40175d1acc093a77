"""Open a Tuoyu database: the embedded SQLite file in the data folder, or a PostgreSQL URL.

Opening checks everything a user can get wrong before anything is written: the data folder exists
and is writable, the file is a local SQLite database and not corrupt, the URL can be reached.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from desktop.db import session_events, sqlite_pragmas
from desktop.db.location import check_database_location
from desktop.errors import StorageError
from desktop.paths import database_path


@dataclass
class Database:
    """An open database: the engine, a session factory and where it lives."""

    engine: Engine
    session_factory: sessionmaker[Session]
    url: str
    # The SQLite file, or None for a server database.
    path: Path | None = None
    # This machine's data folder (backups, node keys); with a server database only when --data-dir named one.
    data_dir: Path | None = None
    _closed: bool = field(default=False, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def describe(self) -> str:
        """Where the data is, for the status bar and messages (never shows a password)."""
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True


def ensure_data_dir(data_dir: Path) -> None:
    """Create the data folder if needed and prove that it is writable."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(
            f"无法创建数据目录 {data_dir}：{error.strerror or error}。请换一个有写入权限的目录（--data-dir）。"
        ) from error
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StorageError(f"数据目录 {data_dir} 不可写入。请检查文件夹权限，或用 --data-dir 指定另一个目录。")
    probe = data_dir / f".write-test-{uuid.uuid4().hex}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        raise StorageError(
            f"数据目录 {data_dir} 不可写入（{error.strerror or error}）。"
            "请检查磁盘空间和文件夹权限，或用 --data-dir 指定另一个目录。"
        ) from error


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def open_database(*, data_dir: Path | None = None, url: str | None = None, create: bool = True) -> Database:
    """Open the database named by ``url``, or the embedded one in ``data_dir``.

    Raises StorageError with a Chinese explanation when it cannot be used. Nothing is written to
    an existing database here; migrations are a separate, explicit step.
    """
    if url is None:
        if data_dir is None:
            raise ValueError("need a data_dir or a url")
        if create:
            ensure_data_dir(data_dir)
        path = database_path(data_dir)
        return _open_sqlite_file(path, data_dir=data_dir, create=create)
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise StorageError(
            f"数据库地址“{url}”格式不正确。示例：sqlite:///D:/tuoyu/tuoyu.db 或 "
            "postgresql+psycopg://用户名:密码@127.0.0.1:5432/tuoyu"
        ) from error
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise StorageError("请为 SQLite 数据库指定一个文件路径，例如 sqlite:///D:/tuoyu/tuoyu.db。")
        path = Path(parsed.database).expanduser().absolute()
        if data_dir is not None:
            ensure_data_dir(data_dir)
        elif create:
            ensure_data_dir(path.parent)
        return _open_sqlite_file(path, data_dir=data_dir or path.parent, create=create)
    return _open_server(url, data_dir=data_dir)


def _open_sqlite_file(path: Path, *, data_dir: Path, create: bool) -> Database:
    check_database_location(path)
    if not path.exists() and not create:
        raise StorageError(f"数据库文件 {path} 不存在。请先运行 tuoyu init 创建数据库。")
    if path.exists():
        _check_sqlite_file(path)
    engine = create_engine(sqlite_url(path), hide_parameters=True)
    sqlite_pragmas.install(engine)
    return _finish(engine, sqlite_url(path), path=path, data_dir=data_dir)


def _check_sqlite_file(path: Path) -> None:
    """Make sure an existing file is a readable, undamaged SQLite database. Read-only."""
    if path.is_dir():
        raise StorageError(f"{path} 是一个文件夹，不是数据库文件。")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise StorageError(
            f"数据库文件 {path} 已损坏或不是托育监管的数据库（{error}）。文件未作任何改动。"
            "请用 tuoyu db restore 从备份恢复，备份在数据目录的 backups 文件夹中。"
        ) from error
    if not result or result[0] != "ok":
        raise StorageError(
            f"数据库文件 {path} 完整性检查未通过（{result[0] if result else '无结果'}）。文件未作任何改动。"
            "请用 tuoyu db restore 从最近的备份恢复。"
        )


def _open_server(url: str, *, data_dir: Path | None) -> Database:
    try:
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except exc.NoSuchModuleError as error:
        raise StorageError(
            f"不支持的数据库类型：{make_url(url).drivername}。请使用 sqlite 或 postgresql+psycopg。"
        ) from error
    except (exc.OperationalError, exc.InterfaceError, exc.DatabaseError) as error:
        shown = make_url(url).render_as_string(hide_password=True)
        raise StorageError(
            f"无法连接数据库 {shown}：{_first_line(error.orig or error)}。"
            "请检查地址、端口、用户名和密码，以及数据库服务是否已启动。"
        ) from error
    return _finish(engine, url, data_dir=data_dir)


# Engines are made with hide_parameters=True: a database error's text then never carries the
# values of the statement, which may be ID numbers, into a message, a traceback or a log.


def _finish(engine: Engine, url: str, **where: object) -> Database:
    factory = sessionmaker(engine, expire_on_commit=False)
    session_events.install(factory)
    return Database(engine=engine, session_factory=factory, url=url, **where)  # type: ignore[arg-type]


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


@event.listens_for(Engine, "handle_error")
def _explain_full_disk(context: exc.ExceptionContext) -> None:
    """A full disk is the user's to fix: say so in Chinese instead of a raw driver error."""
    original = context.original_exception
    if isinstance(original, sqlite3.OperationalError) and "disk is full" in str(original):
        raise StorageError("磁盘空间已满，本次修改没有保存，数据库保持原样。请清理磁盘空间后重试。") from original
