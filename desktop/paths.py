"""Where Tuoyu finds its bundled files and keeps the user's data.

Bundled files (resources/, migrations/) live next to the package in a source checkout and under
``sys._MEIPASS`` in a PyInstaller build. User data lives in the platform's per-user data folder
(platformdirs), never next to the program and never on the Desktop.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop import APP_NAME

DATABASE_FILE_NAME = "tuoyu.db"


def install_root() -> Path:
    """The folder that holds resources/ and migrations/ (source checkout or frozen build)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return install_root() / "resources"


def migrations_dir() -> Path:
    return install_root() / "migrations"


def default_data_dir() -> Path:
    """The per-user data folder, e.g. ~/.local/share/Tuoyu or %LOCALAPPDATA%\\Tuoyu."""
    # Imported here: platformdirs is only needed when no --data-dir was given.
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILE_NAME


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def keys_dir(data_dir: Path) -> Path:
    """This installation's private keys: beside the database, never inside it (docs/nodes-and-keys.md)."""
    return data_dir / "keys"
