"""Signing manifests and sealing personal members: only the right key verifies or opens, any change is caught."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.sync_bundle import Encryption
from desktop.domain.sync_bundle_crypto import (
    associated_data,
    opening_cipher,
    sealing_cipher,
    sign_manifest,
    signature_valid,
)

BUNDLE = uuid.UUID("0190f0a0-0000-7000-8000-0000000000aa")
SIGNING = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
TARGET = X25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
OTHER = X25519PrivateKey.from_private_bytes(bytes(range(2, 34)))
EPHEMERAL = X25519PrivateKey.from_private_bytes(bytes(range(3, 35)))
SECRET = b'[{"id_number": "620702199001010000"}]'


def test_a_signature_verifies_only_the_exact_bytes_under_the_right_key():
    signature = sign_manifest(SIGNING, b"manifest")
    assert len(signature) == 64
    assert signature_valid(SIGNING.public_key(), b"manifest", signature)
    assert not signature_valid(SIGNING.public_key(), b"manifest ", signature)
    assert not signature_valid(Ed25519PrivateKey.generate().public_key(), b"manifest", signature)
    assert not signature_valid(SIGNING.public_key(), b"manifest", signature[:-1])
    assert not signature_valid(SIGNING.public_key(), b"manifest", signature + b"\0")


@given(position=st.integers(0, 63), mask=st.integers(1, 255))
def test_no_flipped_bit_of_a_signature_verifies(position, mask):
    signature = bytearray(sign_manifest(SIGNING, b"manifest"))
    signature[position] ^= mask
    assert not signature_valid(SIGNING.public_key(), b"manifest", bytes(signature))


def test_a_sealed_member_opens_for_the_target_under_its_name_in_its_bundle():
    encryption, cipher = sealing_cipher(TARGET.public_key(), BUNDLE)
    stored = cipher.seal("rows/children.json", SECRET)
    assert SECRET not in stored and len(stored) == len(SECRET) + 28
    opener = opening_cipher(encryption, TARGET, BUNDLE)
    assert opener is not None and opener.open("rows/children.json", stored) == SECRET
    assert opener.open("rows/staff.json", stored) is None  # moved to another name
    other_bundle = opening_cipher(encryption, TARGET, uuid.uuid4())
    assert other_bundle is not None and other_bundle.open("rows/children.json", stored) is None


def test_each_seal_uses_a_fresh_nonce():
    _, cipher = sealing_cipher(TARGET.public_key(), BUNDLE)
    assert cipher.seal("a", SECRET)[:12] != cipher.seal("a", SECRET)[:12]


def test_another_nodes_key_cannot_open_it():
    encryption, cipher = sealing_cipher(TARGET.public_key(), BUNDLE)
    stored = cipher.seal("a", SECRET)
    assert opening_cipher(encryption, OTHER, BUNDLE) is None
    # Even told the bundle was sealed for it, the other key derives another secret and the tag fails.
    pretended = Encryption(encryption.ephemeral_public_key, OTHER.public_key().public_bytes_raw())
    opener = opening_cipher(pretended, OTHER, BUNDLE)
    assert opener is not None and opener.open("a", stored) is None


def test_a_low_order_one_off_key_opens_nothing():
    encryption = Encryption(bytes(32), TARGET.public_key().public_bytes_raw())
    assert opening_cipher(encryption, TARGET, BUNDLE) is None


@given(position=st.integers(0, len(SECRET) + 27), mask=st.integers(1, 255))
def test_any_changed_byte_of_a_sealed_member_is_caught(position, mask):
    encryption, cipher = sealing_cipher(TARGET.public_key(), BUNDLE, EPHEMERAL)
    stored = bytearray(cipher.seal("a", SECRET, nonce=bytes(12)))
    stored[position] ^= mask
    opener = opening_cipher(encryption, TARGET, BUNDLE)
    assert opener is not None and opener.open("a", bytes(stored)) is None


def test_truncated_sealed_bytes_open_nothing():
    encryption, cipher = sealing_cipher(TARGET.public_key(), BUNDLE)
    stored = cipher.seal("a", SECRET)
    opener = opening_cipher(encryption, TARGET, BUNDLE)
    assert opener is not None
    assert all(opener.open("a", stored[:cut]) is None for cut in range(len(stored)))


def test_the_scheme_is_the_one_docs_bundle_format_describes():
    """Recomputed here from the primitives, step by step as the document tells a person to."""
    encryption, cipher = sealing_cipher(TARGET.public_key(), BUNDLE, EPHEMERAL)
    stored = cipher.seal("rows/children.json", SECRET)
    shared = TARGET.exchange(X25519PublicKey.from_public_bytes(encryption.ephemeral_public_key))
    info = b"tuoyu-sync-bundle/1 member key" + encryption.ephemeral_public_key + TARGET.public_key().public_bytes_raw()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=BUNDLE.bytes, info=info).derive(shared)
    aad = f"tuoyu-sync-bundle/1|{BUNDLE}|rows/children.json".encode()
    assert aad == associated_data(BUNDLE, "rows/children.json")
    assert ChaCha20Poly1305(key).decrypt(stored[:12], stored[12:], aad) == SECRET
    assert encryption.ephemeral_public_key == EPHEMERAL.public_key().public_bytes_raw()


def test_a_nonce_must_be_twelve_bytes():
    _, cipher = sealing_cipher(TARGET.public_key(), BUNDLE)
    with pytest.raises(ValueError):
        cipher.seal("a", SECRET, nonce=bytes(8))
