"""Signing a sync bundle's manifest and encrypting its personal members to the target node.

Signature: Ed25519 over the exact bytes of manifest.json (64 raw bytes in manifest.sig).

Encryption (scheme ``x25519-hkdf-sha256-chacha20poly1305``): the writer makes a one-off X25519 key
for the bundle and agrees a secret with the target's X25519 public key; HKDF-SHA256 (salt: the
16 bytes of the bundle id; info: a label, the one-off public key and the target's public key)
turns it into one 32-byte ChaCha20-Poly1305 key for the bundle. Each member is sealed with a
fresh random 12-byte nonce, and the associated data names the format, the bundle id and the
member, so a member cannot be moved to another name or another bundle without the tag failing.
Stored bytes: nonce ‖ ciphertext ‖ tag. docs/bundle-format.md shows how to do this by hand.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.domain.sync_bundle import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SIGNATURE_BYTES,
    BundleManifest,
    Encryption,
    RefusalReason,
    SyncBundleRefused,
)

NONCE_BYTES = 12
KEY_INFO_LABEL = f"{FORMAT_NAME}/{FORMAT_VERSION} member key".encode("ascii")


def sign_manifest(signing_key: Ed25519PrivateKey, manifest_bytes: bytes) -> bytes:
    return signing_key.sign(manifest_bytes)


def signature_valid(public_key: Ed25519PublicKey, manifest_bytes: bytes, signature: bytes) -> bool:
    if len(signature) != SIGNATURE_BYTES:
        return False
    try:
        public_key.verify(signature, manifest_bytes)
    except InvalidSignature:
        return False
    return True


def associated_data(bundle_id: uuid.UUID, member_name: str) -> bytes:
    """What each member's tag also authenticates: ``tuoyu-sync-bundle/1|<bundle id>|<member name>``."""
    return f"{FORMAT_NAME}/{FORMAT_VERSION}|{bundle_id}|{member_name}".encode()


@dataclass(frozen=True)
class MemberCipher:
    """The bundle's member key; seals members on export and opens them on import."""

    bundle_id: uuid.UUID
    key: bytes

    def seal(self, member_name: str, plaintext: bytes, nonce: bytes | None = None) -> bytes:
        nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
        if len(nonce) != NONCE_BYTES:
            raise ValueError("a ChaCha20-Poly1305 nonce is 12 bytes")
        sealed = ChaCha20Poly1305(self.key).encrypt(nonce, plaintext, associated_data(self.bundle_id, member_name))
        return nonce + sealed

    def open(self, member_name: str, stored: bytes) -> bytes | None:
        """The plaintext, or None when the bytes were not sealed with this key for this member of this bundle."""
        nonce, sealed = stored[:NONCE_BYTES], stored[NONCE_BYTES:]
        if len(nonce) != NONCE_BYTES:
            return None
        try:
            return ChaCha20Poly1305(self.key).decrypt(nonce, sealed, associated_data(self.bundle_id, member_name))
        except InvalidTag:
            return None


def sealing_cipher(
    recipient_public_key: X25519PublicKey,
    bundle_id: uuid.UUID,
    ephemeral_key: X25519PrivateKey | None = None,
) -> tuple[Encryption, MemberCipher]:
    """A new one-off key for a bundle: what the manifest records, and the cipher to seal members with."""
    ephemeral_key = X25519PrivateKey.generate() if ephemeral_key is None else ephemeral_key
    encryption = Encryption(ephemeral_key.public_key().public_bytes_raw(), recipient_public_key.public_bytes_raw())
    shared = ephemeral_key.exchange(recipient_public_key)
    return encryption, MemberCipher(bundle_id, _member_key(shared, encryption, bundle_id))


def opening_cipher(
    encryption: Encryption, decryption_key: X25519PrivateKey, bundle_id: uuid.UUID
) -> MemberCipher | None:
    """The cipher that opens a bundle's members, or None when they were sealed for another key."""
    if decryption_key.public_key().public_bytes_raw() != encryption.recipient_public_key:
        return None
    try:
        shared = decryption_key.exchange(X25519PublicKey.from_public_bytes(encryption.ephemeral_public_key))
    except ValueError:  # a low-order point: no secret can be agreed with it
        return None
    return MemberCipher(bundle_id, _member_key(shared, encryption, bundle_id))


def _member_key(shared: bytes, encryption: Encryption, bundle_id: uuid.UUID) -> bytes:
    info = KEY_INFO_LABEL + encryption.ephemeral_public_key + encryption.recipient_public_key
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=bundle_id.bytes, info=info).derive(shared)


def cannot_decrypt(label: str, problem: str, manifest: BundleManifest | None = None) -> SyncBundleRefused:
    return SyncBundleRefused(
        RefusalReason.CANNOT_DECRYPT,
        f"“{label}”中的加密内容无法用本机的密钥解开（{problem}）。没有导入任何内容。"
        "请确认对方登记的是本机当前的公钥，然后请对方重新导出。",
        manifest=manifest,
    )
