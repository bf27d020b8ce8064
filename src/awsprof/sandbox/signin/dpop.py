"""Verification of DPoP proofs (RFC 9449) as the Sign-In token endpoint needs them.

A proof is a compact JWS: header ``{"typ": "dpop+jwt", "alg": "ES256", "jwk": <P-256 public key>}``,
claims ``htm`` (the HTTP method), ``htu`` (the URL without query), ``iat`` (seconds) and ``jti``
(unique). The signature is the raw ``r || s`` pair (64 bytes), checked with the key in the header;
the key's RFC 7638 thumbprint is what refresh tokens are bound to.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any


class ProofError(Exception):
    """The proof is missing, malformed, wrongly signed, stale, replayed or for another request."""


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, without spaces."""
    canonical = json.dumps(
        {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"], "y": jwk["y"]},
        separators=(",", ":"),
        sort_keys=True,
    )
    return b64url(hashlib.sha256(canonical.encode()).digest())


@dataclass(frozen=True)
class Proof:
    jti: str
    iat: int
    jkt: str  # thumbprint of the key that signed it


def _json_part(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(part))
    except (ValueError, binascii.Error) as error:
        raise ProofError(f"the DPoP {what} is not base64url JSON") from error
    if not isinstance(value, dict):
        raise ProofError(f"the DPoP {what} is not a JSON object")
    return value


def verify(proof: str | None, method: str, url: str, now: float, max_age: float) -> Proof:
    """Check a proof for this request; the caller checks ``jti`` for replay."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    if not proof:
        raise ProofError("the DPoP header is missing")
    parts = proof.split(".")
    if len(parts) != 3:
        raise ProofError("the DPoP proof is not a compact JWS")
    header, claims = _json_part(parts[0], "header"), _json_part(parts[1], "payload")
    if header.get("typ") != "dpop+jwt" or header.get("alg") != "ES256":
        raise ProofError("the DPoP proof must have typ dpop+jwt and alg ES256")
    jwk = header.get("jwk")
    if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ProofError("the DPoP proof must carry a P-256 public key in jwk")
    if "d" in jwk:
        raise ProofError("the DPoP jwk holds a private key")
    try:
        x = int.from_bytes(b64url_decode(str(jwk["x"])), "big")
        y = int.from_bytes(b64url_decode(str(jwk["y"])), "big")
        key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
        raw = b64url_decode(parts[2])
    except (KeyError, ValueError, binascii.Error) as error:
        raise ProofError("the DPoP jwk or signature is malformed") from error
    if len(raw) != 64:
        raise ProofError("the DPoP signature is not a 64-byte ES256 signature")
    signature = encode_dss_signature(
        int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    )
    try:
        key.verify(signature, f"{parts[0]}.{parts[1]}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ProofError("the DPoP signature does not verify with its jwk") from None
    if claims.get("htm") != method:
        raise ProofError(f"the DPoP htm is not {method}")
    if claims.get("htu") != url:
        raise ProofError(f"the DPoP htu is not {url}")
    iat, jti = claims.get("iat"), claims.get("jti")
    if not isinstance(iat, int) or isinstance(iat, bool) or abs(now - iat) > max_age:
        raise ProofError("the DPoP iat is missing or not recent")
    if not isinstance(jti, str) or not jti:
        raise ProofError("the DPoP jti is missing")
    return Proof(jti, iat, thumbprint(jwk))
