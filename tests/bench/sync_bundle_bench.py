"""Writing and opening a sync bundle, beside plain zipfile + hashlib doing the same bytes in the same run.

    .venv/bin/python -m tests.bench.sync_bundle_bench [--mb 50] [--repeat 5] [--json FILE]

The members are a mix like a county's export: JSON rows (plain), photos (plain, incompressible) and
personal rows (encrypted to the target), about 60 / 20 / 20 % of ``--mb`` megabytes. Tuoyu writes
through a temporary file with fsync and checks every step on opening (directory, CRC-32, Ed25519,
SHA-256 of every member, ChaCha20-Poly1305); the baseline writes a stored zip with zipfile, hashes
each member with hashlib.sha256 and fsyncs, then reads each member back (keeping it, as an
importer does) and hashes it; zipfile checks each entry's CRC-32 as it reads. Figures are
the median of ``--repeat`` runs, interleaved; the machines are noisy, so read the ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from desktop.db.migrate import HEAD_REVISION
from desktop.domain.sync_bundle import BundleHeader, BundleMember
from desktop.services.sync_bundle_files import open_bundle, write_bundle

NOW = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)


def make_members(total_mb: int, seed: int = 1) -> list[BundleMember]:
    rng = random.Random(seed)
    members = []
    rows_bytes, photo_bytes, personal_bytes = (int(total_mb * 1024**2 * share) for share in (0.6, 0.2, 0.2))
    for index in range(30):
        row = {
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "name": f"托育机构{index}",
            "slots": rng.randint(10, 200),
        }
        line = json.dumps(row, ensure_ascii=False).encode() + b"\n"
        members.append(
            BundleMember(
                f"rows/table{index:02d}.json", (line * (rows_bytes // 30 // len(line) + 1))[: rows_bytes // 30]
            )
        )
    for index in range(10):
        members.append(BundleMember(f"photos/{index:04d}.jpg", rng.randbytes(photo_bytes // 10), "image/jpeg"))
    for index in range(5):
        line = json.dumps({"id_number": f"62070220{rng.randint(0, 10**10):010d}"}).encode() + b"\n"
        members.append(BundleMember(f"rows/personal{index}.json", _repeated(line, personal_bytes // 5), encrypt=True))
    return members


def _repeated(line: bytes, size: int) -> bytes:
    return (line * (size // len(line) + 1))[:size]


def tuoyu_round(folder: Path, members: list[BundleMember], keys: dict) -> tuple[float, float]:
    path = folder / "tuoyu.tuoyu-sync"
    header = BundleHeader(uuid.uuid4(), keys["source"], keys["target"], 1, HEAD_REVISION, NOW, NOW + timedelta(days=90))
    started = time.perf_counter()
    write_bundle(path, header, members, signing_key=keys["signing"], recipient_public_key=keys["x25519"].public_key())
    written = time.perf_counter()
    opened = open_bundle(
        path,
        this_node=keys["target"],
        signer_keys=lambda node: keys["signing"].public_key() if node == keys["source"] else None,
        last_sequence=lambda node: None,
        schema_revision=HEAD_REVISION,
        decryption_key=keys["x25519"],
        now=NOW,
    )
    done = time.perf_counter()
    assert len(opened.members) == len(members)
    path.unlink()
    return written - started, done - written


def baseline_round(folder: Path, members: list[BundleMember]) -> tuple[float, float]:
    path = folder / "plain.zip"
    started = time.perf_counter()
    digests = {}
    with path.open("wb") as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            for member in members:
                digests[member.name] = hashlib.sha256(member.data).hexdigest()
                archive.writestr(member.name, member.data)
        out.flush()
        os.fsync(out.fileno())
    written = time.perf_counter()
    kept = {}  # an importer keeps the members, as open_bundle does
    with zipfile.ZipFile(path) as archive:
        for member in members:
            kept[member.name] = archive.read(member.name)
            assert hashlib.sha256(kept[member.name]).hexdigest() == digests[member.name]
    done = time.perf_counter()
    path.unlink()
    return written - started, done - written


def run(total_mb: int, repeat: int) -> dict:
    members = make_members(total_mb)
    size_mb = sum(len(member.data) for member in members) / 1024**2
    keys = {
        "source": uuid.uuid4(),
        "target": uuid.uuid4(),
        "signing": Ed25519PrivateKey.generate(),
        "x25519": X25519PrivateKey.generate(),
    }
    figures: dict[str, list[float]] = {"tuoyu_write": [], "tuoyu_open": [], "zip_write": [], "zip_read": []}
    with tempfile.TemporaryDirectory(prefix="tuoyu-bench-") as name:
        folder = Path(name)
        tuoyu_round(folder, members, keys)  # warm-up: imports, page cache
        for _ in range(repeat):
            write_s, open_s = tuoyu_round(folder, members, keys)
            figures["tuoyu_write"].append(write_s)
            figures["tuoyu_open"].append(open_s)
            write_s, read_s = baseline_round(folder, members)
            figures["zip_write"].append(write_s)
            figures["zip_read"].append(read_s)
    medians = {name: statistics.median(values) for name, values in figures.items()}
    rates = {name: size_mb / seconds for name, seconds in medians.items()}
    return {
        "members": len(members),
        "encrypted_members": sum(member.encrypt for member in members),
        "megabytes": size_mb,
        "median_s": medians,
        "mb_per_s": rates,
        "ratio_write": rates["tuoyu_write"] / rates["zip_write"],
        "ratio_open": rates["tuoyu_open"] / rates["zip_read"],
        "runs_s": figures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.sync_bundle_bench")
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = run(args.mb, args.repeat)
    rates, medians = result["mb_per_s"], result["median_s"]
    print(
        f"sync bundle: {result['megabytes']:.1f} MB in {result['members']} members "
        f"({result['encrypted_members']} encrypted), median of {args.repeat}"
    )
    print(f"  Tuoyu write_bundle          {medians['tuoyu_write']:7.3f} s  {rates['tuoyu_write']:8.1f} MB/s")
    print(f"  zipfile + sha256 + fsync    {medians['zip_write']:7.3f} s  {rates['zip_write']:8.1f} MB/s")
    print(f"  ratio Tuoyu / raw (write)   {result['ratio_write']:7.2f} x")
    print(f"  Tuoyu open_bundle           {medians['tuoyu_open']:7.3f} s  {rates['tuoyu_open']:8.1f} MB/s")
    print(f"  zipfile read + sha256       {medians['zip_read']:7.3f} s  {rates['zip_read']:8.1f} MB/s")
    print(f"  ratio Tuoyu / raw (open)    {result['ratio_open']:7.2f} x")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
