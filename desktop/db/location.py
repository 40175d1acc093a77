"""Refuse to keep a live database where SQLite cannot protect it.

SQLite's locking is unreliable on network file systems and USB sticks lie about flushes
(sqlite.org/howtocorrupt.html §2.1, §3.1), and cloud-sync clients copy files mid-transaction. A live
database therefore lives on a local fixed disk only; backups and bundles may go anywhere.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath

from desktop.errors import StorageError

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "ncpfs",
        "coda",
        "9p",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "glusterfs",
        "fuse.glusterfs",
        "ceph",
        "fuse.ceph",
        "lustre",
        "gpfs",
        "fuse.s3fs",
    }
)

# Folder names of common sync clients; a database inside one is copied mid-write.
CLOUD_SYNC_FOLDERS = (
    "onedrive",
    "dropbox",
    "google drive",
    "icloud drive",
    "baidunetdisk",
    "百度网盘",
    "坚果云",
    "nutstore",
    "wps云盘",
    "seafile",
)


@dataclass(frozen=True)
class Mount:
    mount_point: str
    fs_type: str
    device: str


def parse_mounts(text: str) -> list[Mount]:
    """Parse /proc/mounts (octal escapes such as \\040 for spaces are decoded)."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            decode = lambda s: s.encode().decode("unicode_escape")  # noqa: E731
            mounts.append(Mount(decode(fields[1]), fields[2], fields[0]))
    return mounts


def mount_of(path: PurePath, mounts: list[Mount]) -> Mount | None:
    """The mount that holds ``path``: the one with the longest matching mount point."""
    best: Mount | None = None
    text = str(path)
    for mount in mounts:
        point = mount.mount_point.rstrip("/") or "/"
        inside = text == point or text.startswith(point if point == "/" else point + "/")
        if inside and (best is None or len(point) > len(best.mount_point.rstrip("/") or "/")):
            best = mount
    return best


def linux_block_device_is_removable(device: str, sys_block: Path = Path("/sys/block")) -> bool:
    """True when ``/dev/sdb1``'s disk says it is removable or hangs off a USB bus."""
    if not device.startswith("/dev/"):
        return False
    name = Path(device).name
    for disk in sys_block.iterdir() if sys_block.is_dir() else ():
        if name == disk.name or name.startswith(disk.name):
            removable = (disk / "removable").read_text().strip() if (disk / "removable").exists() else "0"
            target = os.path.realpath(disk)
            return removable == "1" or "/usb" in target
    return False


def unsafe_location_reason(
    path: Path, *, mounts_text: str | None = None, sys_block: Path = Path("/sys/block")
) -> str | None:
    """Why a live database must not be kept at ``path``, or None when the place is safe."""
    resolved = Path(os.path.abspath(path))
    lowered = [part.lower() for part in resolved.parts]
    for folder in CLOUD_SYNC_FOLDERS:
        if folder in lowered:
            return f"位于云同步文件夹（{folder}）中"
    if sys.platform == "win32":
        return _windows_reason(resolved)
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text()
        except OSError:
            return None  # Not Linux (macOS): no cheap, reliable test; allow.
    mount = mount_of(resolved, parse_mounts(mounts_text))
    if mount is None:
        return None
    if mount.fs_type in NETWORK_FILESYSTEMS or mount.fs_type.startswith("nfs"):
        return f"位于网络共享（{mount.fs_type}：{mount.mount_point}）上"
    if linux_block_device_is_removable(mount.device, sys_block):
        return f"位于移动存储设备（{mount.device}）上"
    return None


def _windows_reason(path: Path) -> str | None:
    text = str(path)
    if text.startswith("\\\\"):
        return "位于网络共享（UNC 路径）上"
    import ctypes  # Windows only

    drive_type = ctypes.windll.kernel32.GetDriveTypeW(path.drive + "\\")
    if drive_type == 4:  # DRIVE_REMOTE
        return f"位于网络驱动器（{path.drive}）上"
    if drive_type == 2:  # DRIVE_REMOVABLE
        return f"位于移动存储设备（{path.drive}）上"
    return None


def check_database_location(path: Path, **probe: object) -> None:
    """Raise a StorageError in Chinese when ``path`` is no place for a live database."""
    reason = unsafe_location_reason(path, **probe)  # type: ignore[arg-type]
    if reason:
        raise StorageError(
            f"数据库文件 {path} {reason}。在这种位置上打开数据库可能损坏数据。"
            "请把数据目录放在本机硬盘上（用 --data-dir 指定），U 盘和网络共享只用来存放备份和同步包。"
        )
