"""WAL only on an SQLite with the WAL-reset fix; otherwise rollback journal with synchronous=EXTRA."""

from __future__ import annotations

import pytest

from desktop.db.sqlite_pragmas import journal_settings, wal_is_safe


@pytest.mark.parametrize(
    ("version", "safe"),
    [
        ((3, 40, 1), False),  # Debian 12's Python: the reference machine
        ((3, 44, 5), False),
        ((3, 44, 6), True),  # fix backported to 3.44
        ((3, 45, 1), False),  # Python 3.11.9 on Windows bundles this one
        ((3, 50, 4), False),
        ((3, 50, 7), True),  # fix backported to 3.50
        ((3, 51, 2), False),
        ((3, 51, 3), True),  # first release with the fix
        ((3, 53, 0), True),
        ((4, 0, 0), True),
    ],
)
def test_wal_is_used_only_where_the_reset_bug_is_fixed(version, safe):
    assert wal_is_safe(version) is safe
    assert journal_settings(version) == (("WAL", "FULL") if safe else ("DELETE", "EXTRA"))
