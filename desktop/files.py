"""Writing files that people keep or carry (exports, bundles): all of the file or none of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.errors import TuoyuError

# A temporary file is created readable by its owner only; a finished export or PDF gets the permissions any new
# file of this user gets. Read once, at import, while the process is single-threaded (os.umask can only be read by
# setting it).
_UMASK = os.umask(0o022)
os.umask(_UMASK)
REGULAR_FILE_MODE = 0o666 & ~_UMASK


def write_failed(path: Path, error: OSError) -> TuoyuError:
    return TuoyuError(
        f"无法写入文件“{path}”（{error.strerror or error}）。请检查文件夹是否存在、是否有写入权限、磁盘空间是否足够，"
        "然后重试。"
    )


def check_target(path: Path, on_error: Callable[[Path, OSError], Exception] = write_failed) -> None:
    """Fail before any work when the folder to write into does not exist."""
    if not Path(path).parent.is_dir():
        raise on_error(Path(path), FileNotFoundError(2, "文件夹不存在"))


@contextmanager
def atomic_target(path: Path, on_error: Callable[[Path, OSError], Exception] = write_failed) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    A crash, a full disk or a pulled USB stick leaves the old file (or none), never half a file.
    """
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise on_error(path, error) from error
    os.close(handle)
    temporary_path = Path(temporary)
    os.chmod(temporary_path, REGULAR_FILE_MODE)  # a caller writing a secret narrows it before writing
    try:
        yield temporary_path
        with temporary_path.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary_path, path)
    except OSError as error:
        temporary_path.unlink(missing_ok=True)
        raise on_error(path, error) from error
    except BaseException:
        temporary_path.unlink(missing_ok=True)
        raise
