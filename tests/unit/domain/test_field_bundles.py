"""The envelope of field packages and results files: which files are ours, and which we can read."""

from __future__ import annotations

import pytest

from desktop.domain.field_bundles import (
    FORMAT_VERSION,
    PACKAGE_FORMAT,
    RESULTS_FORMAT,
    BundleRefused,
    check_file,
    check_manifest,
    sha256_hex,
    sign,
    signature_matches,
)

GOOD = {"format": RESULTS_FORMAT, "format_version": FORMAT_VERSION, "files": {"data.json": "ab"}}


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ([], "不是托育监管的检查结果文件"),
        ({"format": "zip"}, "不是托育监管的检查结果文件"),
        ({**GOOD, "format": PACKAGE_FORMAT}, "是检查任务包，不是检查结果文件"),
        ({**GOOD, "format_version": "1"}, "格式版本无效"),
        ({**GOOD, "format_version": FORMAT_VERSION + 1}, "请先升级本机的托育监管"),
        ({**GOOD, "files": None}, "缺少文件清单"),
    ],
)
def test_manifests_that_are_refused_say_why(manifest, message):
    with pytest.raises(BundleRefused, match=message):
        check_manifest(manifest, RESULTS_FORMAT, "r.tuoyu-results")


def test_a_good_manifest_passes():
    assert check_manifest(GOOD, RESULTS_FORMAT, "r.tuoyu-results") is GOOD


def test_a_file_must_be_present_and_match_its_hash():
    data = b"{}"
    assert check_file("x", "data.json", data, sha256_hex(data)) == data
    with pytest.raises(BundleRefused, match="缺少其中的"):
        check_file("x", "data.json", None, sha256_hex(data))
    with pytest.raises(BundleRefused, match="与清单不符"):
        check_file("x", "data.json", b"{ }", sha256_hex(data))


def test_the_signature_depends_on_the_secret_and_every_byte():
    secret, other = "11" * 32, "22" * 32
    signature = sign(secret, b"manifest")
    assert signature_matches(secret, b"manifest", signature + "\n")
    assert not signature_matches(other, b"manifest", signature)
    assert not signature_matches(secret, b"manifest ", signature)
