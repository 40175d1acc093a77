"""A live database is refused on network shares, removable drives and in cloud-sync folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.db.location import check_database_location, parse_mounts, unsafe_location_reason
from desktop.errors import StorageError

MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
tmpfs /tmp tmpfs rw 0 0
//fileserver/share /mnt/bureau cifs rw 0 0
fileserver:/export /srv/nfs nfs4 rw 0 0
/dev/sdb1 /media/clerk/U\\040DISK vfat rw 0 0
"""


@pytest.fixture
def sys_block(tmp_path: Path) -> Path:
    """A fake /sys/block with a fixed disk (vda) and a USB stick (sdb)."""
    for name, removable in (("vda", "0"), ("sdb", "1")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "removable").write_text(removable + "\n")
    return tmp_path


def test_mount_points_with_spaces_are_decoded():
    assert parse_mounts(MOUNTS)[-1].mount_point == "/media/clerk/U DISK"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/home/clerk/.local/share/Tuoyu/tuoyu.db", None),
        ("/tmp/tuoyu/tuoyu.db", None),
        ("/mnt/bureau/tuoyu/tuoyu.db", "网络共享"),
        ("/srv/nfs/tuoyu.db", "网络共享"),
        ("/media/clerk/U DISK/tuoyu.db", "移动存储"),
        ("/home/clerk/OneDrive/托育/tuoyu.db", "云同步"),
        ("/home/clerk/百度网盘/tuoyu.db", "云同步"),
    ],
)
def test_where_a_live_database_may_be(path, reason, sys_block):
    found = unsafe_location_reason(Path(path), mounts_text=MOUNTS, sys_block=sys_block)
    assert (found is None) if reason is None else (reason in found)


def test_the_refusal_says_what_to_do(sys_block):
    with pytest.raises(StorageError, match="本机硬盘.*--data-dir"):
        check_database_location(Path("/mnt/bureau/tuoyu.db"), mounts_text=MOUNTS, sys_block=sys_block)
