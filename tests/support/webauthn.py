"""A software WebAuthn authenticator for tests: real P-256 keys, real CBOR
attestation objects ("none" format) and real assertions, so py_webauthn
verifies them exactly as it verifies a security key's.

The browser tests (tests/e2e/test_signoff_browser.py) use Chromium's virtual
authenticator instead; this one keeps the many integration cases fast.
"""

import base64
import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    def __init__(self, rp_id: str = "localhost", aaguid: bytes = bytes(16)):
        self.rp_id = rp_id
        self.aaguid = aaguid
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.count = 0

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _auth_data(self, flags: int, count: int, attested: bytes = b"", rp_id=None) -> bytes:
        rp_hash = hashlib.sha256((rp_id or self.rp_id).encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", count) + attested

    def register(
        self, challenge: bytes, origin: str, user_verified: bool = True, rp_id=None
    ) -> dict:
        """The JSON a browser sends after navigator.credentials.create."""
        client_data = json.dumps(
            {"type": "webauthn.create", "challenge": b64url(challenge), "origin": origin}
        ).encode()
        attested = (
            self.aaguid
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self.cose_public_key()
        )
        flags = UP | AT | (UV if user_verified else 0)
        auth_data = self._auth_data(flags, self.count, attested, rp_id)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "authenticatorAttachment": "cross-platform",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["usb", "nfc"],
            },
            "clientExtensionResults": {},
        }

    def assert_(
        self,
        challenge: bytes,
        origin: str,
        user_verified: bool = True,
        user_present: bool = True,
        count: int | None = None,
        rp_id=None,
        kind: str = "webauthn.get",
    ) -> dict:
        """authenticatorData, clientDataJSON and signature of navigator.credentials.get."""
        if count is None:
            self.count += 1
            count = self.count
        client_data = json.dumps(
            {"type": kind, "challenge": b64url(challenge), "origin": origin, "crossOrigin": False}
        ).encode()
        flags = (UP if user_present else 0) | (UV if user_verified else 0)
        auth_data = self._auth_data(flags, count, rp_id=rp_id)
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "credential_id": self.id,
            "authenticator_data": b64url(auth_data),
            "client_data_json": b64url(client_data),
            "signature": b64url(signature),
            "user_handle": None,
        }
